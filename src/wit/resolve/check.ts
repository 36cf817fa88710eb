/**
 * The name-checking phase: what wit-parser's `Resolver::resolve` reports, run on each package as
 * soon as its files are parsed, before any package is added to the `Resolve` (so before foreign
 * packages are looked up, and before any package's feature gates, `@since` versions, includes or
 * world elaboration are applied). The package is resolved in a throw-away `Resolve` in which its
 * foreign packages, interfaces, worlds and the types it `use`s from them are stand-ins (as
 * wit-parser's `populate_foreign_deps` and `populate_foreign_types` make them), with every
 * feature enabled: wit-parser resolves gated items like any other.
 */
import { resolveError } from '../diagnostics.js';
import {
  addInterface,
  addPackage,
  addType,
  addWorld,
  emptyResolve,
  formatPackageName,
  getPackage,
  type PackageId,
  type Resolve,
  UNKNOWN_STABILITY,
} from '../model.js';
import type { UsePath } from '../text/ast.js';
import { astPackageName, kindError, type PackageContext } from './context.js';
import { externalIdOf, resolveStability } from './docs.js';
import { pushPackage } from './items.js';
import type { UnresolvedPackage } from './unresolved.js';
import { forEachPath, type PathVisit } from './paths.js';

/** Checks the names of one package; throws the first error wit-parser's resolver reports. */
export function checkPackage(pkg: UnresolvedPackage): void {
  const resolve = emptyResolve();
  resolve.allFeatures = true;
  addForeignStandIns(resolve, pkg);
  pushPackage(resolve, pkg, true, (ctx) => {
    checkUseTargets(ctx, pkg);
    pkg.requiredResources = ctx.requiredResources;
  });
}

/**
 * A stand-in package per foreign package named, with a stand-in world or interface per item (a
 * world when first named by an `include`), and a type of unknown shape per name `use`d from it,
 * also through a file-level alias (`use t:a/svc@1.0.0 as s;` then `use s.{id};`).
 */
function addForeignStandIns(resolve: Resolve, unresolved: UnresolvedPackage): void {
  const packages = new Map<string, PackageId>();
  const aliases = foreignAliases(unresolved);
  for (const visit of visitsByFile(unresolved)) {
    const { want, names } = visit;
    const path =
      visit.path.kind === 'local' && names.length > 0
        ? (aliases.get(visit.file)?.get(visit.path.name.name) ?? visit.path)
        : visit.path;
    if (path.kind !== 'package') continue;
    const key = formatPackageName(astPackageName(path.pkg));
    let id = packages.get(key);
    if (id === undefined) {
      const model = {
        name: astPackageName(path.pkg),
        docs: {},
        interfaces: new Map(),
        worlds: new Map(),
      };
      id = addPackage(resolve, model);
      packages.set(key, id);
    }
    const pkg = getPackage(resolve, id);
    const name = path.name.name;
    const common = { name, package: id, docs: {}, stability: UNKNOWN_STABILITY };
    if (!pkg.interfaces.has(name) && !pkg.worlds.has(name)) {
      if (want === 'world') {
        pkg.worlds.set(
          name,
          addWorld(resolve, { ...common, imports: new Map(), exports: new Map() }),
        );
      } else {
        pkg.interfaces.set(
          name,
          addInterface(resolve, { ...common, types: new Map(), functions: new Map() }),
        );
      }
    }
    const iface = pkg.interfaces.get(name);
    if (iface === undefined) continue;
    const types = resolve.interfaces[iface]!.types;
    for (const n of names) {
      if (types.has(n.name.name)) continue;
      const owner = { kind: 'interface' as const, id: iface };
      const kind = { tag: 'unknown' as const };
      types.set(
        n.name.name,
        addType(resolve, {
          name: n.name.name,
          kind,
          owner,
          docs: {},
          stability: UNKNOWN_STABILITY,
        }),
      );
    }
  }
}

/** The paths of a package's items, each with the index of the file it is written in. */
function visitsByFile(pkg: UnresolvedPackage): (PathVisit & { file: number })[] {
  const out: (PathVisit & { file: number })[] = [];
  for (const [i, item] of pkg.items.entries()) {
    const file = pkg.fileOf[i] ?? 0;
    for (const visit of forEachPath([item])) out.push({ ...visit, file });
  }
  return out;
}

/** Per file, the file-level aliases of foreign interfaces (`use a:b/c as d;`): name -> path. */
function foreignAliases(pkg: UnresolvedPackage): Map<number, Map<string, UsePath>> {
  const out = new Map<number, Map<string, UsePath>>();
  for (const [i, item] of pkg.items.entries()) {
    if (item.kind !== 'use' || item.use.path.kind !== 'package') continue;
    const file = pkg.fileOf[i] ?? 0;
    const names = out.get(file) ?? new Map<string, UsePath>();
    names.set((item.use.as ?? item.use.path.name).name, item.use.path);
    out.set(file, names);
  }
  return out;
}

/**
 * wit-parser's `populate_foreign_types`: before any item is resolved, each `use path.{...}` (in
 * interfaces and worlds, file by file) has valid attributes and names an interface.
 */
function checkUseTargets(ctx: PackageContext, pkg: UnresolvedPackage): void {
  for (const [i, item] of pkg.items.entries()) {
    ctx.currentFile = pkg.fileOf[i] ?? 0;
    for (const { attrs, path, names } of forEachPath([item])) {
      if (names.length === 0) continue;
      resolveStability(attrs, undefined, path.name.span);
      externalIdOf(attrs);
      checkInterfacePath(ctx, path);
    }
  }
}

/** A `use` path names an interface: errors are reported where the path is written. */
function checkInterfacePath(ctx: PackageContext, path: UsePath): void {
  const { name, span } = path.name;
  const target = path.kind === 'local' ? (ctx.aliasOf(name) ?? path) : path;
  let kind: 'interface' | 'world' | undefined;
  if (target.kind === 'package') {
    const pkg = getPackage(ctx.resolve, ctx.foreignPackage(target.pkg));
    kind = pkg.worlds.has(target.name.name) ? 'world' : 'interface';
  } else kind = ctx.declared.get(target.name.name);
  if (kind === undefined) resolveError(`interface or world \`${name}\` does not exist`, span);
  if (kind === 'world') kindError(name, 'world', 'interface', span);
}
