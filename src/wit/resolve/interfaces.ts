/**
 * Interface bodies: `use` first, then the type definitions in dependency order, then functions in
 * source order (a resource's functions where the resource is declared), as wit-parser's
 * `resolve_interface` does.
 */
import { resolveError } from '../diagnostics.js';
import { getInterface, type Function, type InterfaceId } from '../model.js';
import type { AstTypeDef, InterfaceItem } from '../text/ast.js';
import type { PackageContext } from './context.js';
import { resolveFreestanding, resolveResourceFunc } from './functions.js';
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
  const add = (fn: Function | undefined, span: { start: number; end: number }): void => {
    if (fn === undefined) return;
    if (iface.functions.has(fn.name)) resolveError(`duplicate function name \`${fn.name}\``, span);
    iface.functions.set(fn.name, fn);
  };
  for (const item of items) {
    if (item.kind === 'func') {
      if (scope.names.has(item.func.name.name)) {
        resolveError(
          `name \`${item.func.name.name}\` is defined more than once`,
          item.func.name.span,
        );
      }
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
  if (resource === undefined) return;
  let constructors = 0;
  for (const f of def.body.funcs) {
    if (f.kind === 'constructor' && ++constructors > 1)
      resolveError('duplicate constructors', f.name.span);
    add(resolveResourceFunc(scope, def.name.name, resource, f), f.name.span);
  }
}
