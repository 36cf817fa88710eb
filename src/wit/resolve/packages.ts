/**
 * From parsed files to packages in a `Resolve`: the files of one folder form one package (their
 * `package` headers must agree), every `package a:b { ... }` block is a package of its own, and
 * all packages are added in wit-parser's order (`sort_unresolved_packages`: sorted by name, then
 * depth-first over foreign dependencies). Within a package, interfaces and worlds are ordered by
 * what interfaces `use` and worlds `include` (earliest in source order first, as wit-parser's
 * `populate_ast_items`), then all interfaces are resolved, then all worlds.
 */
import {
  locationsError,
  parseError,
  resolveError,
  WitSpanError,
  type Span,
} from '../diagnostics.js';
import {
  addInterface,
  addPackage,
  addWorld,
  formatPackageName,
  getPackage,
  type PackageId,
  type PackageName,
  type Resolve,
  UNKNOWN_STABILITY,
} from '../model.js';
import type {
  AstDocs,
  AstFile,
  AstInterface,
  AstPackageName,
  AstWorld,
  TopItem,
  UsePath,
} from '../text/ast.js';
import { astPackageName, PackageContext } from './context.js';
import { compareSemver, resolveDocs, resolveStability } from './docs.js';
import { checkGatedInlineInterfaces, checkGatedInterface, checkGatedWorld } from './gates.js';
import { resolveInterfaceBody } from './interfaces.js';
import { checkForeignKinds, foreignDeps, foreignItems, forEachPath } from './paths.js';
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
      if (body.nestedPackage !== undefined)
        parseError('nested packages must be placed at the top-level', body.nestedPackage);
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
      const prior = byName.get(key);
      if (prior !== undefined)
        locationsError(`package \`${key}\` is defined in two different locations:`, [
          pkg.span,
          prior.span,
        ]);
      if (resolve.packageNames.has(key)) {
        resolveError(
          `package \`${key}\` is defined in two different locations: here and in a binary (.wasm) dependency`,
          pkg.span,
        );
      }
      byName.set(key, pkg);
    }
  }
  const sorted = [...byName.values()].sort((a, b) => comparePackageNames(a.name, b.name));
  const order: UnresolvedPackage[] = [];
  const visiting = new Set<string>();
  const visit = (pkg: UnresolvedPackage): void => {
    if (order.includes(pkg)) return;
    for (const dep of foreignDeps(pkg.items)) {
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
  // As wit-parser's `visit`: only dependencies are marked, so a cycle is reported at the mention
  // that closes it.
  for (const pkg of sorted) visit(pkg);
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
  const byName = declareItems(ctx, pkg);
  const order = toposort('interface or world', dependencyNodes(ctx, byName));
  checkTopLevelUses(pkg, byName);
  checkForeignKinds(pkg.items);
  for (const [name, { item }] of byName) {
    if (item.kind !== 'use') ctx.declared.set(name, item.kind);
  }
  // All interfaces first, then all worlds, each in dependency order (wit-parser's `resolve`).
  // Between them, as wit-parser maps type owners before it resolves worlds: the types left in a
  // gated-out interface (top-level or inline in a world) that have no gate of their own.
  // Worlds' includes and elaboration come last, once every world has its own items.
  const finish: { file: number; run: () => void }[] = [];
  for (const kind of ['interface', 'world'] as const) {
    if (kind === 'world') checkGatedInterfaces(ctx, order, byName);
    for (const name of order) {
      const { item, file } = byName.get(name)!;
      if (item.kind !== kind) continue;
      ctx.currentFile = file;
      if (item.kind === 'interface') pushInterface(ctx, item.iface);
      else if (item.kind === 'world') {
        const run = pushWorld(ctx, item.world);
        if (run !== undefined) finish.push({ file, run });
      }
    }
  }
  // foreign items are looked up where they are used; this catches those only gated items name
  checkForeignItems(ctx, pkg);
  for (const { file, run } of finish) {
    ctx.currentFile = file;
    run();
  }
  return pkgId;
}

/**
 * Foreign packages must exist, even when only gated items name them; a foreign interface or world
 * must exist unless every mention of it is under an inactive gate (wit-parser's foreign deps).
 */
function checkForeignItems(ctx: PackageContext, pkg: UnresolvedPackage): void {
  for (const { path, want, mentions } of foreignItems(pkg.items)) {
    if (path.kind !== 'package') continue;
    ctx.foreignPackage(path.pkg);
    const active = mentions.some((attrs) =>
      ctx.included(resolveStability(attrs, ctx.pkgName, path.name.span)),
    );
    if (!active) continue;
    if (want === 'world') ctx.worldAt(path);
    else ctx.interfaceAt(path);
  }
}

type Declared = Map<string, { item: TopItem; file: number }>;

/**
 * The package's interfaces and worlds by name (unique in the package); top-level `use` go to
 * their file's aliases. A file's names, its items' and its aliases', are unique in the file.
 */
function declareItems(ctx: PackageContext, pkg: UnresolvedPackage): Declared {
  const byName: Declared = new Map();
  for (const [i, item] of pkg.items.entries()) {
    if (item.kind === 'use') continue;
    const { name, span } = itemName(item);
    if (byName.has(name)) resolveError(`duplicate item named \`${name}\``, span);
    byName.set(name, { item, file: pkg.fileOf[i] ?? 0 });
  }
  const fileNames = new Map<number, Set<string>>();
  for (const [i, item] of pkg.items.entries()) {
    const file = pkg.fileOf[i] ?? 0;
    const { name, span } = itemName(item);
    const names = fileNames.get(file) ?? new Set<string>();
    fileNames.set(file, names);
    if (names.has(name)) resolveError(`duplicate name \`${name}\` in this file`, span);
    names.add(name);
    if (item.kind !== 'use') continue;
    const aliases = ctx.fileAliases.get(file) ?? new Map<string, UsePath>();
    aliases.set(name, item.use.path);
    ctx.fileAliases.set(file, aliases);
  }
  return byName;
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

function pushInterface(ctx: PackageContext, iface: AstInterface): void {
  const name = iface.name.name;
  const stability = resolveStability(iface.attrs, ctx.pkgName, iface.name.span);
  if (!ctx.included(stability)) {
    ctx.names.set(name, { kind: 'gated', what: 'interface' });
    inScratch(ctx, (scratch) => {
      const id = addInterface(scratch.resolve, {
        name,
        types: new Map(),
        functions: new Map(),
        docs: {},
        stability: UNKNOWN_STABILITY,
        package: ctx.pkgId,
      });
      resolveInterfaceBody(scratch, id, iface.items);
    });
    return;
  }
  const id = addInterface(ctx.resolve, {
    name,
    types: new Map(),
    functions: new Map(),
    docs: resolveDocs(iface.docs),
    stability,
    package: ctx.pkgId,
  });
  ctx.names.set(name, { kind: 'interface', id });
  getPackage(ctx.resolve, ctx.pkgId).interfaces.set(name, id);
  resolveInterfaceBody(ctx, id, iface.items);
}

/**
 * Resolves an interface or world a gate drops in a scratch copy: wit-parser resolves names before
 * it applies gates, so an unknown name in it is an error; what gates make of it is not (yet).
 */
function inScratch(ctx: PackageContext, fn: (scratch: PackageContext) => void): void {
  try {
    fn(ctx.scratch());
  } catch (err) {
    if (err instanceof WitSpanError && err.message.includes('excluded due to its feature')) return;
    throw err;
  }
}

function checkGatedInterfaces(ctx: PackageContext, order: string[], byName: Declared): void {
  for (const name of order) {
    const { item, file } = byName.get(name)!;
    ctx.currentFile = file;
    if (item.kind === 'interface') {
      const { attrs, name: id } = item.iface;
      if (!ctx.included(resolveStability(attrs, ctx.pkgName, id.span)))
        checkGatedInterface(ctx, item.iface);
    } else if (item.kind === 'world') checkGatedInlineInterfaces(ctx, item.world);
  }
}

function pushWorld(ctx: PackageContext, world: AstWorld): (() => void) | undefined {
  const name = world.name.name;
  const stability = resolveStability(world.attrs, ctx.pkgName, world.name.span);
  if (!ctx.included(stability)) {
    ctx.names.set(name, { kind: 'gated', what: 'world' });
    inScratch(ctx, (scratch) => {
      const id = addWorld(scratch.resolve, {
        name,
        imports: new Map(),
        exports: new Map(),
        package: ctx.pkgId,
        docs: {},
        stability: UNKNOWN_STABILITY,
      });
      resolveWorldBody(scratch, id, world);
    });
    checkGatedWorld(ctx, world);
    return undefined;
  }
  const id = addWorld(ctx.resolve, {
    name,
    imports: new Map(),
    exports: new Map(),
    package: ctx.pkgId,
    docs: resolveDocs(world.docs),
    stability,
  });
  ctx.names.set(name, { kind: 'world', id });
  getPackage(ctx.resolve, ctx.pkgId).worlds.set(name, id);
  return resolveWorldBody(ctx, id, world);
}
