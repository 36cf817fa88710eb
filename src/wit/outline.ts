/**
 * The outline of a WIT package read from source, without resolving it: its name (from the
 * `package ns:name@version;` header) and the foreign packages it references. This is what the
 * dependency manager needs from a path dependency before the packages it uses are available:
 * syntax errors and a missing or disagreeing header are reported (rendered like every WIT
 * diagnostic), references are taken from the parsed tree, not from a text scan.
 */
import { SourceMap, toWitDepsError } from './diagnostics.js';
import { formatPackageName, type PackageName } from './model.js';
import { astPackageName } from './resolve/context.js';
import { groupFiles } from './resolve/packages.js';
import { foreignDeps } from './resolve/paths.js';
import { parseFile } from './text/parser.js';
import type { WitSource } from './text/source.js';

/** One foreign package a package refers to: `ns:name` and the version written, if any. */
export interface OutlineReference {
  name: string;
  version: string | undefined;
}

/** A package's name and its foreign references (sorted by name, then version). */
export interface WitOutline {
  name: PackageName;
  references: OutlineReference[];
}

/**
 * Parses the files of one package (a folder's `*.wit` files, or one file) into its outline.
 * Packages defined in nested `package a:b { }` blocks of the same files are not references.
 *
 * @throws {WitDepsError} `ERR_WIT_PARSE` on syntax errors, `ERR_WIT_RESOLVE` when no file has a
 *   `package` header or two headers disagree.
 */
export function outlineWitPackage(files: readonly WitSource[]): WitOutline {
  const map = new SourceMap();
  try {
    const group = groupFiles(
      files.map((f) => {
        const file = map.add(f.path, f.text);
        return { path: f.path, ast: parseFile(file.text, file.offset) };
      }),
    );
    const packages = [group.main, ...group.nested];
    const own = new Set(packages.map((p) => `${p.name.namespace}:${p.name.name}`));
    const found = new Map<string, OutlineReference>();
    for (const pkg of packages)
      for (const dep of foreignDeps(pkg.items)) {
        const name = astPackageName(dep);
        const key = `${name.namespace}:${name.name}`;
        if (!own.has(key)) found.set(formatPackageName(name), { name: key, version: name.version });
      }
    const references = [...found.values()].sort((a, b) =>
      a.name === b.name
        ? (a.version ?? '').localeCompare(b.version ?? '')
        : a.name < b.name
          ? -1
          : 1,
    );
    return { name: group.main.name, references };
  } catch (err) {
    throw toWitDepsError(err, map);
  }
}
