/**
 * Feature gates and the items they drop. wit-parser resolves every item first and drops the gated
 * ones afterwards, so a reference to a dropped type is reported at the item holding it (a type
 * definition, a record field, a function), not at the reference; an anonymous type such as
 * `list<t>` inherits the stability of its first gated or versioned component (`find_stability`)
 * and is dropped with it, passing the error up to its holder. Types left in a dropped interface or
 * world without a gate of their own are errors too.
 */
import { resolveError, type Span } from '../diagnostics.js';
import type { Stability } from '../model.js';
import type {
  AstInterface,
  AstType,
  AstUse,
  TypeDefBody,
  AstWorld,
  InterfaceItem,
  WorldItem,
} from '../text/ast.js';
import type { PackageContext } from './context.js';
import { resolveStability } from './docs.js';

/**
 * The stability of an anonymous type (wit-parser's `find_stability`): its holder's, or when that
 * has none, the first one found among its components (`named` gives a named type's).
 */
export function findStability(
  type: AstType,
  stability: Stability,
  named: (name: string) => Stability,
): Stability {
  if (stability.kind !== 'unknown') return stability;
  for (const part of typeParts(type)) {
    const found =
      part.kind === 'name'
        ? named(part.name.name)
        : part.kind === 'handle'
          ? named(part.resource.name)
          : part.kind === 'primitive'
            ? stability
            : findStability(part, stability, named);
    if (found.kind !== 'unknown') return found;
  }
  return stability;
}

/** The direct components of a type expression, in order. */
function typeParts(t: AstType): AstType[] {
  switch (t.kind) {
    case 'list':
      return [t.element];
    case 'map':
      return [t.key, t.value];
    case 'tuple':
      return t.types;
    case 'option':
      return [t.type];
    case 'future':
    case 'stream':
      return t.type === undefined ? [] : [t.type];
    case 'result':
      return [t.ok, t.err].filter((x): x is AstType => x !== undefined);
    case 'primitive':
    case 'name':
    case 'handle':
      return [t];
  }
}

/** Types of a dropped interface must be dropped too (wit-parser's `map_interface_for_type`). */
export function checkGatedInterface(ctx: PackageContext, iface: AstInterface): void {
  checkGatedOwner(ctx, iface.items, 'interface');
}

/** The same for the anonymous interfaces of dropped `import x: interface { ... }` world items. */
export function checkGatedInlineInterfaces(ctx: PackageContext, world: AstWorld): void {
  for (const item of world.items) {
    if ((item.kind !== 'import' && item.kind !== 'export') || item.extern.kind !== 'interface')
      continue;
    let stability: Stability;
    try {
      stability = resolveStability(item.attrs, ctx.pkgName, item.extern.name.span);
    } catch {
      continue; // a bad gate is reported when the world is resolved, in its turn
    }
    if (!ctx.included(stability)) checkGatedOwner(ctx, item.extern.items, 'interface');
  }
}

/** Types of a dropped world must be dropped too (wit-parser's `map_world_for_type`). */
export function checkGatedWorld(ctx: PackageContext, world: AstWorld): void {
  checkGatedOwner(ctx, world.items, 'world');
}

function checkGatedOwner(
  ctx: PackageContext,
  items: (InterfaceItem | WorldItem)[],
  what: 'interface' | 'world',
): void {
  const fail = (span: Span): never =>
    resolveError(
      `found a reference to a ${what} which is excluded due to its feature not being activated; this type is not gated by a feature but its ${what} is`,
      span,
    );
  const uses: AstUse[] = items.flatMap((i) => (i.kind === 'use' ? [i.use] : []));
  for (const use of uses) {
    const first = use.names[0];
    if (first === undefined) continue;
    if (ctx.included(resolveStability(use.attrs, ctx.pkgName, first.name.span)))
      fail(first.name.span);
  }
  for (const item of items) {
    if (item.kind !== 'type') continue;
    const { attrs, name } = item.def;
    if (ctx.included(resolveStability(attrs, ctx.pkgName, name.span))) fail(name.span);
  }
}

/** The type expressions a definition spells (fields, cases, alias target). */
export function bodyTypes(body: TypeDefBody): (AstType | undefined)[] {
  switch (body.kind) {
    case 'record':
      return body.fields.map((f) => f.type);
    case 'variant':
      return body.cases.map((c) => c.type);
    case 'alias':
      return [body.type];
    case 'enum':
    case 'flags':
    case 'resource':
      return [];
  }
}
