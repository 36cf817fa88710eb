/**
 * From parsed files to packages in a `Resolve`: the files of one folder form one package (their
 * `package` headers must agree), every `package a:b { ... }` block is a package of its own, and
 * all packages are added in wit-parser's order (`sort_unresolved_packages`: sorted by name, then
 * depth-first over foreign dependencies). Each package is added by `items.ts`; before that, as
 * each group is parsed, `check.ts` checks its names.
 */
import { locationsError, parseError, resolveError } from '../diagnostics.js';
import { formatPackageName, type PackageId, type PackageName, type Resolve } from '../model.js';
import type { AstDocs, AstFile, AstPackageName, TopItem } from '../text/ast.js';
import { astPackageName } from './context.js';
import { compareSemver } from './docs.js';
import { pushPackage } from './items.js';
import { foreignDeps } from './paths.js';
import type { PackageGroup, UnresolvedPackage } from './unresolved.js';

/**
 * Groups the parsed files of one folder (or one file) into packages. As wit-parser, file by file:
 * the file is parsed (`files` may parse lazily), each of its nested packages is passed to
 * `onNested` (to be checked), then its `package` header is matched with the others.
 */
export function groupFiles(
  files: Iterable<{ path: string; ast: AstFile }>,
  onNested: (pkg: UnresolvedPackage) => void = () => undefined,
): PackageGroup {
  let name: AstPackageName | undefined;
  let docs: AstDocs = { comments: [] };
  const items: TopItem[] = [];
  const fileOf: number[] = [];
  const nested: UnresolvedPackage[] = [];
  let fileIndex = -1;
  for (const { ast } of files) {
    fileIndex++;
    for (const body of ast.nested) {
      if (body.nestedPackage !== undefined)
        parseError('nested packages must be placed at the top-level', body.nestedPackage);
      const pkg: UnresolvedPackage = {
        name: astPackageName(body.name!),
        span: body.name!.span,
        docs: body.docs,
        items: body.items,
        fileOf: body.items.map(() => 0),
      };
      onNested(pkg);
      nested.push(pkg);
    }
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
    // A loop, not `push(...items)`: spreading 150,000 items overflows the call stack.
    for (const item of ast.main.items) {
      items.push(item);
      fileOf.push(fileIndex);
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
  const emitted = new Set<UnresolvedPackage>();
  const visiting = new Set<string>();
  const visit = (pkg: UnresolvedPackage): void => {
    if (emitted.has(pkg)) return;
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
    emitted.add(pkg);
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
