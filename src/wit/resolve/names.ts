/**
 * A package's names, checked as wit-parser's `populate_ast_items` does before any item is
 * resolved: interface and world names unique in the package; per file, the names of its items
 * and top-level `use` aliases unique in the file, then the interfaces and worlds its interfaces
 * `use` and its worlds `include` must exist; the interface/world order; top-level `use` targets.
 */
import { parseError, resolveError, type Span } from '../diagnostics.js';
import type { TopItem, UsePath } from '../text/ast.js';
import type { PackageContext } from './context.js';
import type { UnresolvedPackage } from './unresolved.js';
import { forEachPath } from './paths.js';
import { toposort, type TopoNode } from './toposort.js';

export type Declared = Map<string, { item: TopItem; file: number }>;

export function itemName(item: TopItem): { name: string; span: Span } {
  if (item.kind === 'interface') return item.iface.name;
  if (item.kind === 'world') return item.world.name;
  const local = item.use.as ?? item.use.path.name;
  return { name: local.name, span: local.span };
}

/**
 * Declares the package's interfaces and worlds (in `ctx.declared`) and the files' aliases (in
 * `ctx.fileAliases`); returns them by name and the order to resolve them in.
 */
export function declareItems(
  ctx: PackageContext,
  pkg: UnresolvedPackage,
): { byName: Declared; order: string[] } {
  const byName: Declared = new Map();
  for (const [i, item] of pkg.items.entries()) {
    if (item.kind === 'use') continue;
    const { name, span } = itemName(item);
    if (byName.has(name)) resolveError(`duplicate item named \`${name}\``, span);
    byName.set(name, { item, file: pkg.fileOf[i] ?? 0 });
  }
  // Items grouped by file in one pass, not one scan of all items per file.
  const byFile = new Map<number, UnresolvedPackage['items']>();
  for (const [i, item] of pkg.items.entries()) {
    const file = pkg.fileOf[i] ?? 0;
    let items = byFile.get(file);
    if (items === undefined) byFile.set(file, (items = []));
    items.push(item);
  }
  for (const file of new Set(pkg.fileOf)) {
    const items = byFile.get(file) ?? [];
    declareFileNames(ctx, file, items);
    checkOwnerPaths(ctx, file, items, byName);
  }
  const order = toposort('interface or world', dependencyNodes(ctx, byName));
  checkTopLevelUses(pkg, byName);
  for (const [name, { item }] of byName) {
    if (item.kind !== 'use') ctx.declared.set(name, item.kind);
  }
  return { byName, order };
}

/** A file's names, its items' and its aliases', are unique in the file. */
function declareFileNames(ctx: PackageContext, file: number, items: TopItem[]): void {
  const names = new Set<string>();
  const aliases = new Map<string, UsePath>();
  ctx.fileAliases.set(file, aliases);
  for (const item of items) {
    const { name, span } = itemName(item);
    if (names.has(name)) resolveError(`duplicate name \`${name}\` in this file`, span);
    names.add(name);
    if (item.kind === 'use') aliases.set(name, item.use.path);
  }
}

/** What a file's interfaces `use` and its worlds `include` by a local name must exist. */
function checkOwnerPaths(
  ctx: PackageContext,
  file: number,
  items: TopItem[],
  byName: Declared,
): void {
  for (const { path, owner } of forEachPath(items)) {
    if (owner === undefined || path.kind !== 'local') continue;
    const name = path.name.name;
    if (ctx.fileAliases.get(file)?.has(name) === true || byName.has(name)) continue;
    resolveError(`interface or world \`${name}\` does not exist`, path.name.span);
  }
}

/**
 * The ordering graph of wit-parser's `populate_ast_items`: an interface depends on what its `use`
 * names, a world on what it `include`s. A dependency on an item of the same file carries the
 * span of that item's declaration (which is where a cycle is reported); one through a file alias
 * the span of the alias target; one on another file's item the span of the reference.
 */
function dependencyNodes(ctx: PackageContext, byName: Declared): TopoNode[] {
  return [...byName.values()].map(({ item, file }) => ({
    ...itemName(item),
    deps: forEachPath([item]).flatMap(({ path, owner }) => {
      if (owner === undefined || path.kind !== 'local') return [];
      const alias = ctx.fileAliases.get(file)?.get(path.name.name);
      if (alias !== undefined) return alias.kind === 'local' ? [alias.name] : [];
      const target = byName.get(path.name.name);
      if (target !== undefined && target.file === file) return [itemName(target.item)];
      return [path.name];
    }),
  }));
}

/** Top-level `use`: no attributes, and a local one must name an interface or world. */
function checkTopLevelUses(pkg: UnresolvedPackage, byName: Declared): void {
  for (const item of pkg.items) {
    if (item.kind !== 'use') continue;
    if (item.use.attrs.length > 0)
      parseError('attributes not allowed on top-level use', item.use.span);
    const path = item.use.path;
    if (path.kind === 'local' && !byName.has(path.name.name)) {
      resolveError(`interface or world \`${path.name.name}\` does not exist`, path.name.span);
    }
  }
}
