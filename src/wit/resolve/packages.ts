/**
 * From parsed files to packages in a `Resolve`: the files of one folder form one package (their
 * `package` headers must agree), every `package a:b { ... }` block is a package of its own, and
 * all packages are added in wit-parser's order (`sort_unresolved_packages`: sorted by name, then
 * depth-first over foreign dependencies). Within a package, interfaces and worlds are resolved in
 * topological order of their local references, earliest in source order first.
 */
import { resolveError, type Span } from '../diagnostics.js';
import {
  addInterface,
  addPackage,
  addWorld,
  formatPackageName,
  getPackage,
  type PackageId,
  type PackageName,
  type Resolve,
} from '../model.js';
import type { AstDocs, AstFile, AstPackageName, TopItem, UsePath } from '../text/ast.js';
import { astPackageName, PackageContext } from './context.js';
import { compareSemver, resolveDocs, resolveStability } from './docs.js';
import { resolveInterfaceBody } from './interfaces.js';
import { toposort, type TopoNode } from './toposort.js';
import { resolveWorldBody } from './worlds.js';

/** One package before resolution. */
export interface UnresolvedPackage {
  name: PackageName;
  span: Span;
  docs: AstDocs;
  items: TopItem[];
  /** For each item, the index of the file it came from (top-level `use` is file-scoped). */
  fileOf: number[];
}

/** The packages of one source (a folder, a file or a deps entry): its main one and nested blocks. */
export interface PackageGroup {
  main: UnresolvedPackage;
  nested: UnresolvedPackage[];
}

/** Groups the parsed files of one folder (or one file) into packages. */
export function groupFiles(files: { path: string; ast: AstFile }[]): PackageGroup {
  let name: AstPackageName | undefined;
  let docs: AstDocs = { comments: [] };
  const items: TopItem[] = [];
  const fileOf: number[] = [];
  const nested: UnresolvedPackage[] = [];
  for (const [fileIndex, { ast }] of files.entries()) {
    const header = ast.main.name;
    if (header !== undefined) {
      if (
        name !== undefined &&
        formatPackageName(astPackageName(name)) !== formatPackageName(astPackageName(header))
      ) {
        resolveError(
          `package identifier \`${formatPackageName(astPackageName(header))}\` does not match previous package name of \`${formatPackageName(astPackageName(name))}\``,
          header.span,
        );
      }
      name ??= header;
      if (ast.main.docs.comments.length > 0) {
        if (docs.comments.length > 0) {
          resolveError("found doc comments on multiple 'package' items", ast.main.docs.span);
        }
        docs = ast.main.docs;
      }
    }
    items.push(...ast.main.items);
    fileOf.push(...ast.main.items.map(() => fileIndex));
    for (const body of ast.nested) {
      nested.push({
        name: astPackageName(body.name!),
        span: body.name!.span,
        docs: body.docs,
        items: body.items,
        fileOf: body.items.map(() => 0),
      });
    }
  }
  if (name === undefined) {
    if (items.length === 0 && nested.length > 0) return { main: nested.pop()!, nested };
    resolveError('no `package` header was found in any WIT file for this package');
  }
  return { main: { name: astPackageName(name), span: name.span, docs, items, fileOf }, nested };
}

/** Adds `main` and `deps` to `resolve` in dependency order; returns the main package's id. */
export function pushGroups(resolve: Resolve, main: PackageGroup, deps: PackageGroup[]): PackageId {
  const byName = new Map<string, UnresolvedPackage>();
  for (const group of [main, ...deps]) {
    for (const pkg of [...group.nested, group.main]) {
      const key = formatPackageName(pkg.name);
      if (byName.has(key) || resolve.packageNames.has(key)) {
        resolveError(`package \`${key}\` is defined in two different locations:`, pkg.span);
      }
      byName.set(key, pkg);
    }
  }
  const sorted = [...byName.values()].sort((a, b) => comparePackageNames(a.name, b.name));
  const order: UnresolvedPackage[] = [];
  const visiting = new Set<string>();
  const visit = (pkg: UnresolvedPackage): void => {
    if (order.includes(pkg)) return;
    for (const dep of foreignDeps(pkg)) {
      const key = formatPackageName(astPackageName(dep));
      if (visiting.has(key))
        resolveError(`package \`${key}\` creates a dependency cycle`, dep.span);
      const found = byName.get(key);
      if (found === undefined) continue;
      visiting.add(key);
      visit(found);
      visiting.delete(key);
    }
    order.push(pkg);
  };
  for (const pkg of sorted) {
    visiting.add(formatPackageName(pkg.name));
    visit(pkg);
    visiting.clear();
  }
  let mainId: PackageId | undefined;
  for (const pkg of order) {
    const id = pushPackage(resolve, pkg);
    if (pkg === main.main) mainId = id;
  }
  return mainId!;
}

function comparePackageNames(a: PackageName, b: PackageName): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version === undefined || b.version === undefined) {
    return a.version === b.version ? 0 : a.version === undefined ? -1 : 1;
  }
  return compareSemver(a.version, b.version);
}

/** Foreign packages a package names, in order of first mention. */
export function foreignDeps(pkg: UnresolvedPackage): AstPackageName[] {
  const out: AstPackageName[] = [];
  const add = (path: UsePath): void => {
    if (path.kind === 'package') out.push(path.pkg);
  };
  for (const item of pkg.items) {
    if (item.kind === 'use') add(item.use.path);
    if (item.kind === 'interface') {
      for (const i of item.iface.items) if (i.kind === 'use') add(i.use.path);
    }
    if (item.kind === 'world') {
      for (const i of item.world.items) {
        if (i.kind === 'use') add(i.use.path);
        if (i.kind === 'include') add(i.include.path);
        if (i.kind === 'import' || i.kind === 'export') {
          const ext = i.extern;
          if (ext.kind === 'path' || ext.kind === 'named-path') add(ext.path);
          if (ext.kind === 'interface')
            for (const x of ext.items) if (x.kind === 'use') add(x.use.path);
        }
      }
    }
  }
  return out;
}

type LocalDep = { name: string; span: Span; want: 'interface' | 'world' };

function localDeps(item: TopItem): LocalDep[] {
  const out: LocalDep[] = [];
  const add = (path: UsePath, want: LocalDep['want'] = 'interface'): void => {
    if (path.kind === 'local') out.push({ name: path.name.name, span: path.name.span, want });
  };
  if (item.kind === 'interface')
    for (const i of item.iface.items) if (i.kind === 'use') add(i.use.path);
  if (item.kind === 'world') {
    for (const i of item.world.items) {
      if (i.kind === 'use') add(i.use.path);
      if (i.kind === 'include') add(i.include.path, 'world');
      if (i.kind === 'import' || i.kind === 'export') {
        const ext = i.extern;
        if (ext.kind === 'path' || ext.kind === 'named-path') add(ext.path);
        if (ext.kind === 'interface')
          for (const x of ext.items) if (x.kind === 'use') add(x.use.path);
      }
    }
  }
  return out;
}

/** wit-parser checks what a name refers to before ordering: a world is not an interface. */
function checkDepKind(dep: LocalDep, target: TopItem | undefined): void {
  if (target === undefined || target.kind === 'use' || target.kind === dep.want) return;
  const is = target.kind === 'world' ? 'a world' : 'an interface';
  resolveError(
    `name \`${dep.name}\` is defined as ${is}, not ${dep.want === 'world' ? 'a world' : 'an interface'}`,
    dep.span,
  );
}

function itemName(item: TopItem): { name: string; span: Span } {
  if (item.kind === 'interface') return item.iface.name;
  if (item.kind === 'world') return item.world.name;
  const local = item.use.as ?? item.use.path.name;
  return { name: local.name, span: local.span };
}

function pushPackage(resolve: Resolve, pkg: UnresolvedPackage): PackageId {
  const pkgId = addPackage(resolve, {
    name: pkg.name,
    docs: resolveDocs(pkg.docs),
    interfaces: new Map(),
    worlds: new Map(),
  });
  const ctx = new PackageContext(resolve, pkgId, pkg.name);
  const byName = new Map<string, { item: TopItem; file: number }>();
  for (const [i, item] of pkg.items.entries()) {
    const { name, span } = itemName(item);
    const file = pkg.fileOf[i] ?? 0;
    if (item.kind === 'use') {
      const aliases = ctx.fileAliases.get(file) ?? new Map<string, UsePath>();
      if (aliases.has(name)) resolveError(`duplicate item named \`${name}\``, span);
      aliases.set(name, item.use.path);
      ctx.fileAliases.set(file, aliases);
      if (item.use.path.kind === 'package') ctx.interfaceAt(item.use.path);
      continue;
    }
    if (byName.has(name)) resolveError(`duplicate item named \`${name}\``, span);
    byName.set(name, { item, file });
  }
  const nodes: TopoNode[] = [...byName.values()].map(({ item, file }) => ({
    ...itemName(item),
    deps: localDeps(item).flatMap((dep) => {
      const alias = ctx.fileAliases.get(file)?.get(dep.name);
      if (alias === undefined) {
        checkDepKind(dep, byName.get(dep.name)?.item);
        return [dep];
      }
      return alias.kind === 'local' ? [{ name: alias.name.name, span: dep.span }] : [];
    }),
  }));
  const package_ = getPackage(resolve, pkgId);
  for (const name of toposort('interface or world', nodes)) {
    const { item, file } = byName.get(name)!;
    ctx.currentFile = file;
    if (item.kind === 'use') {
      continue;
    } else if (item.kind === 'interface') {
      const stability = resolveStability(item.iface.attrs, pkg.name);
      if (!ctx.included(stability)) {
        ctx.names.set(name, { kind: 'gated', what: 'interface' });
        continue;
      }
      const id = addInterface(resolve, {
        name,
        types: new Map(),
        functions: new Map(),
        docs: resolveDocs(item.iface.docs),
        stability,
        package: pkgId,
      });
      ctx.names.set(name, { kind: 'interface', id });
      package_.interfaces.set(name, id);
      resolveInterfaceBody(ctx, id, item.iface.items);
    } else {
      const stability = resolveStability(item.world.attrs, pkg.name);
      if (!ctx.included(stability)) {
        ctx.names.set(name, { kind: 'gated', what: 'world' });
        continue;
      }
      const id = addWorld(resolve, {
        name,
        imports: new Map(),
        exports: new Map(),
        package: pkgId,
        docs: resolveDocs(item.world.docs),
        stability,
      });
      ctx.names.set(name, { kind: 'world', id });
      package_.worlds.set(name, id);
      resolveWorldBody(ctx, id, item.world.items);
    }
  }
  return pkgId;
}
