/**
 * World bodies: `use` and type definitions become type imports, then imports and exports in source
 * order (functions, inline interfaces, interface paths, `label: iface`), then `include`s, then the
 * elaboration of `elaborate.ts`.
 */
import { resolveError, type Span } from '../diagnostics.js';
import {
  addInterface,
  getWorld,
  worldKeyString,
  type Function,
  type InterfaceId,
  type Stability,
  type WorldId,
  type WorldItem as ModelWorldItem,
  type WorldKey,
} from '../model.js';
import type {
  AstDocs,
  AstTypeDef,
  AstWorld,
  Attribute,
  ExternKind,
  WorldItem as AstWorldItem,
} from '../text/ast.js';
import type { PackageContext } from './context.js';
import { externalIdOf, resolveDocs, resolveStability } from './docs.js';
import { elaborateWorld } from './elaborate.js';
import { GATED_TYPE } from './gated-reference.js';
import { includeWorld } from './include.js';
import { resolveFreestanding } from './functions.js';
import { resolveInterfaceBody, resourceFuncs } from './interfaces.js';
import { TypeScope } from './types.js';

type Entry = { key: WorldKey; item: ModelWorldItem };

/**
 * Fills world `id` from its AST items. Returns what is left for when every world has its items:
 * its `include`s and its elaboration (wit-parser does those after resolving all names).
 */
export function resolveWorldBody(ctx: PackageContext, id: WorldId, ast: AstWorld): () => void {
  const items = ast.items;
  const world = getWorld(ctx.resolve, id);
  const scope = new TypeScope(ctx, { kind: 'world', id });
  for (const item of items) if (item.kind === 'use') scope.resolveUse(item.use);
  const defs: AstTypeDef[] = items.flatMap((i) => (i.kind === 'type' ? [i.def] : []));
  scope.resolveTypeDefs(defs);
  checkNoGatedTypes(scope, items);
  if (ctx.checking) checkIncludes(ctx, ast);
  for (const [name, typeId] of scope.names) {
    if (typeId !== 'gated')
      world.imports.set(name, { key: { kind: 'name', name }, item: { kind: 'type', id: typeId } });
  }
  for (const item of items) {
    if (item.kind === 'type' && item.def.body.kind === 'resource') {
      resourceFuncs(scope, item.def, (fn) => {
        if (fn !== undefined)
          world.imports.set(fn.name, {
            key: { kind: 'name', name: fn.name },
            item: { kind: 'function', func: fn },
          });
      });
    }
    if (item.kind !== 'import' && item.kind !== 'export') continue;
    const stability = resolveStability(item.attrs, ctx.pkgName, externSpan(item.extern));
    if (!ctx.included(stability)) {
      if (item.extern.kind === 'path' || item.extern.kind === 'named-path')
        ctx.checkGatedPath(item.extern.path);
      continue;
    }
    const entry = externEntry(ctx, scope, item.extern, item, stability);
    if (entry === undefined) continue;
    addEntry(ctx, id, item.kind, entry, externSpan(item.extern));
  }
  return () => includeAndElaborate(ctx, id, ast);
}

/**
 * While checking names, an `include` must name a world (wit-parser's `resolve_include`, after the
 * world's types); it is applied when the package is added.
 */
function checkIncludes(ctx: PackageContext, ast: AstWorld): void {
  for (const item of ast.items) {
    if (item.kind !== 'include') continue;
    resolveStability(item.include.attrs, ctx.pkgName, item.include.path.name.span);
    ctx.worldAt(item.include.path);
  }
}

function includeAndElaborate(ctx: PackageContext, id: WorldId, ast: AstWorld): void {
  for (const item of ast.items) {
    if (item.kind !== 'include') continue;
    const { attrs, path } = item.include;
    const stability = resolveStability(attrs, ctx.pkgName, path.name.span);
    if (!ctx.included(stability)) {
      ctx.checkGatedPath(path);
      continue;
    }
    includeWorld(ctx, id, ctx.worldAt(path), item.include.with, path);
  }
  checkCaseInsensitiveNames(ctx, id);
  elaborateWorld(ctx.resolve, id, ast.name.span);
}

/**
 * Kebab-case names are case-insensitive: two imports (or exports) that differ only in case clash.
 * wit-parser checks this after the world's includes, and points at no place.
 */
function checkCaseInsensitiveNames(ctx: PackageContext, id: WorldId): void {
  const world = getWorld(ctx.resolve, id);
  for (const [dir, map] of [
    ['import', world.imports],
    ['export', world.exports],
  ] as const) {
    const seen = new Map<string, string>();
    for (const { key } of map.values()) {
      if (key.kind !== 'name') continue;
      const prior = seen.get(key.name.toLowerCase());
      if (prior !== undefined && prior !== key.name) {
        resolveError(
          `${dir} \`${key.name}\` in world \`${world.name}\` conflicts with ${dir} \`${prior}\` (kebab-case identifiers are case-insensitive)`,
        );
      }
      seen.set(key.name.toLowerCase(), key.name);
    }
  }
}

/**
 * A world's types are its imports, and wit-parser cannot drop one: a type (or `use`) of an active
 * world under an inactive gate is a reference to an excluded type, at its name.
 */
function checkNoGatedTypes(scope: TypeScope, items: AstWorld['items']): void {
  for (const item of items) {
    const names =
      item.kind === 'type'
        ? [item.def.name]
        : item.kind === 'use'
          ? item.use.names.map((n) => n.as ?? n.name)
          : [];
    for (const n of names)
      if (scope.names.get(n.name) === 'gated') resolveError(GATED_TYPE, n.span);
  }
}

/** Where wit-parser points for an import or export: its name, or the interface name of a path. */
function externSpan(ext: ExternKind): Span {
  return ext.kind === 'path' ? ext.path.name.span : ext.name.span;
}

function externEntry(
  ctx: PackageContext,
  scope: TypeScope,
  ext: ExternKind,
  item: Extract<AstWorldItem, { kind: 'import' | 'export' }>,
  stability: ReturnType<typeof resolveStability>,
): Entry | undefined {
  switch (ext.kind) {
    case 'func': {
      const fn: Function | undefined = resolveFreestanding(scope, {
        name: ext.name,
        func: ext.func,
        docs: item.docs,
        attrs: item.attrs,
      });
      return (
        fn && { key: { kind: 'name', name: ext.name.name }, item: { kind: 'function', func: fn } }
      );
    }
    case 'interface': {
      const ifaceId = addInterface(ctx.resolve, {
        types: new Map(),
        functions: new Map(),
        docs: resolveDocs(item.docs),
        stability,
        package: ctx.pkgId,
      });
      resolveInterfaceBody(ctx, ifaceId, ext.items);
      return {
        key: { kind: 'name', name: ext.name.name },
        item: { kind: 'interface', id: ifaceId, stability },
      };
    }
    case 'path': {
      const ifaceId = ctx.interfaceAt(ext.path);
      return {
        key: { kind: 'interface', id: ifaceId },
        item: interfaceItem(ifaceId, stability, item.docs, item.attrs),
      };
    }
    case 'named-path': {
      const ifaceId = ctx.interfaceAt(ext.path);
      return {
        key: { kind: 'name', name: ext.name.name },
        item: interfaceItem(ifaceId, stability, item.docs, item.attrs),
      };
    }
  }
}

/** An interface world item, with the statement's own docs when it has some. */
function interfaceItem(
  id: InterfaceId,
  stability: Stability,
  docs: AstDocs,
  attrs: Attribute[],
): ModelWorldItem {
  const resolved = resolveDocs(docs);
  return {
    kind: 'interface',
    id,
    stability,
    ...(resolved.contents === undefined ? {} : { docs: resolved }),
    ...externalIdOf(attrs),
  };
}

function addEntry(
  ctx: PackageContext,
  id: WorldId,
  dir: 'import' | 'export',
  entry: Entry,
  span: Span,
): void {
  const world = getWorld(ctx.resolve, id);
  const map = dir === 'import' ? world.imports : world.exports;
  const key = worldKeyString(entry.key);
  const prior = map.get(key);
  if (prior !== undefined) {
    if (entry.key.kind === 'interface')
      resolveError(`interface cannot be ${dir}ed more than once`, span);
    const what = prior.item.kind === 'function' ? 'func' : prior.item.kind;
    resolveError(`${dir} \`${key}\` conflicts with prior ${what} of same name`, span);
  }
  map.set(key, entry);
}
