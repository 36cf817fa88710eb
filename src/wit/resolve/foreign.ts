/**
 * Foreign items, looked up when a package is added, before any of its own items (wit-parser's
 * `process_foreign_deps`): the foreign interfaces, then worlds (each with its package), then the
 * types `use`d from foreign interfaces.
 */
import { resolveError, type Span } from '../diagnostics.js';
import {
  formatPackageName,
  getInterface,
  getPackage,
  getType,
  isTypeId,
  type TypeId,
} from '../model.js';
import type { UsePath } from '../text/ast.js';
import type { PackageContext, RequiredResource } from './context.js';
import { resolveStability } from './docs.js';
import type { UnresolvedPackage } from './unresolved.js';
import { foreignItems, forEachPath } from './paths.js';

/**
 * Foreign packages must exist, even when only gated items name them; a foreign interface or world
 * must exist unless every mention of it is under an inactive gate.
 */
export function checkForeignItems(ctx: PackageContext, pkg: UnresolvedPackage): void {
  for (const { path, pkg: first, want, mentions } of foreignItems(pkg.items)) {
    if (path.kind !== 'package') continue;
    ctx.foreignPackage(first);
    const active = mentions.some((attrs) =>
      ctx.included(resolveStability(attrs, ctx.pkgName, path.name.span)),
    );
    if (!active) continue;
    if (want === 'world') ctx.worldAt(path);
    else ctx.interfaceAt(path);
  }
}

/**
 * Each type a `use` takes from a foreign interface (directly or through a file's alias) must be
 * defined there, unless the first `use` of it is under an inactive gate.
 */
export function checkForeignTypes(ctx: PackageContext, pkg: UnresolvedPackage): void {
  const seen = new Set<string>();
  const active = new Set<string>();
  for (const [i, item] of pkg.items.entries()) {
    ctx.currentFile = pkg.fileOf[i] ?? 0;
    for (const { attrs, path, names } of forEachPath([item])) {
      const target = foreignTarget(ctx, path);
      if (target === undefined || names.length === 0) continue;
      const stability = resolveStability(attrs, ctx.pkgName, path.name.span);
      const key = `${formatPackageName(ctx.resolve.packages[ctx.foreignPackage(target.pkg)]!.name)}/${target.name.name}`;
      for (const n of names) {
        if (seen.has(`${key}.${n.name.name}`)) continue;
        seen.add(`${key}.${n.name.name}`);
        if (!ctx.included(stability)) continue;
        ctx.interfaceType(ctx.interfaceAt(target, true), n.name.name, n.name.span);
        active.add(`${key}.${n.name.name}`);
      }
    }
  }
  checkRequiredResources(ctx, pkg.requiredResources ?? [], active);
}

/**
 * The foreign types handles name must be resources (wit-parser's `required_resource_types`); one
 * dropped by a gate is not checked. The message does not name the type.
 */
function checkRequiredResources(
  ctx: PackageContext,
  required: RequiredResource[],
  active: Set<string>,
): void {
  for (const { key, type, span } of required) {
    if (!active.has(`${key}.${type}`)) continue;
    const [pkgName, iface] = [
      key.slice(0, key.lastIndexOf('/')),
      key.slice(key.lastIndexOf('/') + 1),
    ];
    const pkgId = ctx.resolve.packageNames.get(pkgName);
    const ifaceId =
      pkgId === undefined ? undefined : getPackage(ctx.resolve, pkgId).interfaces.get(iface);
    const id =
      ifaceId === undefined ? undefined : getInterface(ctx.resolve, ifaceId).types.get(type);
    if (id !== undefined && ctx.aliasedKind(id) !== 'resource')
      resolveError('type used in a handle must be a resource', span);
  }
}

function foreignTarget(
  ctx: PackageContext,
  path: UsePath,
): Extract<UsePath, { kind: 'package' }> | undefined {
  const target = path.kind === 'local' ? ctx.aliasOf(path.name.name) : path;
  return target?.kind === 'package' ? target : undefined;
}

/** Records that the foreign type `id` (a stand-in, maybe through aliases) must be a resource. */
export function requireResource(ctx: PackageContext, id: TypeId, span: Span): void {
  let cur = getType(ctx.resolve, id);
  while (cur.kind.tag === 'type' && isTypeId(cur.kind.type))
    cur = getType(ctx.resolve, cur.kind.type);
  if (cur.owner.kind !== 'interface' || cur.name === undefined) return;
  const iface = getInterface(ctx.resolve, cur.owner.id);
  if (iface.package === undefined) return;
  const pkg = formatPackageName(getPackage(ctx.resolve, iface.package).name);
  ctx.requiredResources.push({ key: `${pkg}/${iface.name ?? ''}`, type: cur.name, span });
}
