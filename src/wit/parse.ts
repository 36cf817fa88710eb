/**
 * The WIT text API: parse and resolve WIT source files into the shared {@link Resolve} model. The
 * text front-end (lexer, parser, syntax tree) is `text/`, the resolver `resolve/`; this facade
 * runs them in order and also offers the outline of a package (`outline.ts`) and the JSON dump of
 * a resolve (`resolve/json.ts`).
 *
 * `parseWitPackage` takes the files of one package folder (or one file) plus, optionally, the
 * dependency sources of its `deps/` folder (each entry one group of files), resolves all of them
 * in wit-parser's order and returns the resolve with the id of the main package. Errors are
 * `WitDepsError`s (`ERR_WIT_PARSE`, `ERR_WIT_RESOLVE`) whose `details.rendered` holds the
 * wasm-tools style snippet.
 */
import { WitDepsError, withDetails } from '../errors.js';
import { SourceMap, toWitDepsError } from './diagnostics.js';
import { emptyResolve, type PackageId, type Resolve } from './model.js';
import { DEFAULT_DECODE_LIMITS } from './binary/reader.js';
import { decodePackage } from './decode/decode.js';
import { mergeResolve } from './resolve/merge.js';
import { checkPackage } from './resolve/check.js';
import { groupFiles, pushGroups } from './resolve/packages.js';
import type { PackageGroup } from './resolve/unresolved.js';
import type { AstFile } from './text/ast.js';
import { parseFile } from './text/parser.js';
import type { WitSource } from './text/source.js';

export type { WitSource } from './text/source.js';

export interface ParseOptions {
  /** Features enabled for `@unstable(feature = ...)` gates. */
  features?: Iterable<string>;
  allFeatures?: boolean;
  /** A resolve to add to (for example one already holding decoded binary dependencies). */
  resolve?: Resolve;
  /** Binary (`.wasm`) dependencies, decoded and merged first, in the order given. */
  binaryDeps?: { path: string; bytes: Uint8Array }[];
}

/** Parses and resolves a package (its files) with its dependencies (one file list per entry). */
export function parseWitPackage(
  files: WitSource[],
  deps: WitSource[][] = [],
  options: ParseOptions = {},
): { resolve: Resolve; package: PackageId } {
  const map = new SourceMap();
  const resolve = options.resolve ?? emptyResolve();
  for (const f of options.features ?? []) resolve.features.add(f);
  if (options.allFeatures === true) resolve.allFeatures = true;
  for (const dep of options.binaryDeps ?? []) mergeBinaryDep(resolve, dep);
  try {
    // As wit-parser: each group is parsed and its names checked before the next is parsed; the
    // packages are added to the resolve once all are.
    const group = (list: WitSource[]): PackageGroup => {
      const parsed = groupFiles(parseEach(map, list), checkPackage);
      checkPackage(parsed.main);
      return parsed;
    };
    const main = group(files);
    const depGroups = deps.map(group);
    return { resolve, package: pushGroups(resolve, main, depGroups) };
  } catch (err) {
    throw toWitDepsError(err, map);
  }
}

/** Decodes a binary dependency and merges its packages; a decode error names the file. */
function mergeBinaryDep(resolve: Resolve, dep: { path: string; bytes: Uint8Array }): void {
  let decoded: Resolve;
  try {
    decoded = decodePackage(dep.bytes, DEFAULT_DECODE_LIMITS).resolve;
  } catch (err) {
    if (!(err instanceof WitDepsError)) throw err;
    throw withDetails(err, { file: dep.path }, { cause: err });
  }
  mergeResolve(resolve, decoded);
}

function* parseEach(map: SourceMap, list: WitSource[]): Generator<{ path: string; ast: AstFile }> {
  for (const f of list) {
    const file = map.add(f.path, f.text);
    yield { path: f.path, ast: parseFile(file.text, file.offset) };
  }
}

export { resolveToJson } from './resolve/json.js';
export { outlineWitPackage, type OutlineReference, type WitOutline } from './outline.js';
