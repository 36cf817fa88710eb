/**
 * Interface bodies: `use` first, then the type definitions in dependency order, then functions in
 * source order (a resource's functions where the resource is declared), as wit-parser's
 * `resolve_interface` does.
 */
import { resolveError } from '../diagnostics.js';
import { getInterface, type Function, type InterfaceId } from '../model.js';
import type { AstTypeDef, InterfaceItem } from '../text/ast.js';
import type { PackageContext } from './context.js';
import { resolveStability } from './docs.js';
import { resolveFreestanding, resolveResourceFunc } from './functions.js';
import { GATED_TYPE } from './gated-reference.js';
import { TypeScope } from './types.js';

/** Fills interface `id` from its AST items. */
export function resolveInterfaceBody(
  ctx: PackageContext,
  id: InterfaceId,
  items: InterfaceItem[],
): void {
  const iface = getInterface(ctx.resolve, id);
  const scope = new TypeScope(ctx, { kind: 'interface', id });
  for (const item of items) if (item.kind === 'use') scope.resolveUse(item.use);
  const defs: AstTypeDef[] = items.flatMap((i) => (i.kind === 'type' ? [i.def] : []));
  scope.resolveTypeDefs(defs);
  for (const [name, typeId] of scope.names) if (typeId !== 'gated') iface.types.set(name, typeId);
  ctx.gatedTypes.set(id, new Set(scope.gatedStability.keys()));
  const add = (fn: Function | undefined, span: { start: number; end: number }): void => {
    if (fn === undefined) return;
    if (iface.functions.has(fn.name)) {
      const short = fn.name.replace(/^\[[a-z]+\][^.]*\.?/, '') || fn.name;
      resolveError(`duplicate function name \`${short}\``, span);
    }
    iface.functions.set(fn.name, fn);
  };
  for (const item of items) {
    if (item.kind === 'func') {
      if (scope.names.has(item.func.name.name) || iface.functions.has(item.func.name.name)) {
        resolveError(
          `name \`${item.func.name.name}\` is defined more than once`,
          item.func.name.span,
        );
      }
      // known from its own signature on: an earlier use of the name is an unknown name
      scope.functionNames.add(item.func.name.name);
      add(resolveFreestanding(scope, item.func), item.func.name.span);
    } else if (item.kind === 'type' && item.def.body.kind === 'resource') {
      resourceFuncs(scope, item.def, add);
    }
  }
}

/** Resolves the functions of a `resource r { ... }` block, passing each kept one to `add`. */
export function resourceFuncs(
  scope: TypeScope,
  def: AstTypeDef,
  add: (fn: Function | undefined, span: { start: number; end: number }) => void,
): void {
  if (def.body.kind !== 'resource') return;
  const resource = scope.resourceDef(def.name.name);
  if (resource === undefined) {
    // A gated resource: its functions must be gated too.
    for (const f of def.body.funcs) {
      if (scope.ctx.included(resolveStability(f.attrs, scope.ctx.pkgName, f.name.span)))
        resolveError(GATED_TYPE, f.name.span);
    }
    return;
  }
  for (const f of def.body.funcs)
    add(resolveResourceFunc(scope, def.name.name, resource, f), f.name.span);
}
