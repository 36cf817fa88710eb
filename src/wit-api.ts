/**
 * `wit-deps/wit`: the pure WIT toolchain as a library. Decode a binary WIT package, print WIT
 * text, parse WIT source, resolve a WIT folder given as in-memory files, and encode a package as
 * a binary WIT package, with no file system and no network: it runs in Node.js, in browsers and
 * in bundlers (no `node:*` import anywhere below it; `test/e2e/browser.test.ts` runs it in a
 * headless Chromium).
 *
 * ```ts
 * import { decodeWit, printWit, resolveWit, encodeWit } from 'wit-deps/wit';
 * const http = decodeWit(bytes);                // a binary WIT package
 * printWit(http);                               // its package.wit, as wasm-tools prints it
 * const pkg = resolveWit({ 'world.wit': 'package a:b; world w {}' });
 * encodeWit(pkg);                               // the binary package `wit-deps wit build` writes
 * ```
 *
 * Every failure is a {@link WitDepsError} with a stable `code`; see {@link WitErrorDetails}.
 */
import { WitDepsError, type ErrorCode } from './errors.js';
import { witError } from './wit/error-text.js';
import { decodeWit as decodeBinary, printWitAll, printWitPackage } from './wit/index.js';
import type { DecodeLimits } from './wit/binary/reader.js';
import { encodeWitPackage } from './wit/encode/index.js';
import { formatPackageName, getPackage, type PackageId, type Resolve } from './wit/model.js';
import { parseWitPackage, type ParseOptions, type WitSource } from './wit/parse.js';
import { splitWitFolder, type FolderFile } from './wit/resolve/deps.js';
import { VERSION } from './version.js';

export { WitDepsError, ERROR_CODES, type ErrorCode, type WitDepsErrorOptions } from './errors.js';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './wit/binary/reader.js';
export type { WitSource } from './wit/parse.js';
export type { PackageId, PackageName, Resolve } from './wit/model.js';

/**
 * A set of resolved WIT packages: the {@link Resolve} model holding every package (the main one and
 * the packages it uses) and the id of the main package. Every function of this module returns or
 * takes one; treat `resolve` as read-only.
 */
export interface WitPackages {
  resolve: Resolve;
  package: PackageId;
}

/** Feature gates: which `@unstable(feature = ...)` items are kept. */
export interface FeatureOptions {
  /** Features to enable. */
  features?: readonly string[];
  /** Enable every feature. */
  allFeatures?: boolean;
}

/** Options of {@link printWit}. */
export interface PrintWitOptions {
  /** The package to print, `ns:name@version` (default: the main package). */
  package?: string;
  /** Print every other package of the set too, as nested `package ... { }` blocks. */
  all?: boolean;
}

/** Options of {@link parseWit}. */
export interface ParseWitOptions extends FeatureOptions {
  /** The file name diagnostics show for a source given as a string (default `input.wit`). */
  path?: string;
}

/**
 * A WIT folder as in-memory files: paths relative to the folder, `/`-separated, to text (`.wit`)
 * or bytes (`.wit` as UTF-8, or a `deps/*.wasm` binary package). Either a record or a list.
 */
export type WitFolder =
  | Readonly<Record<string, string | Uint8Array>>
  | readonly { path: string; contents: string | Uint8Array }[];

/** Options of {@link resolveWit}. */
export interface ResolveWitOptions extends FeatureOptions {
  /** Prefix of the paths diagnostics show (`wit` shows `wit/world.wit`); default none. */
  root?: string;
}

/** Options of {@link encodeWit}. */
export interface EncodeWitOptions {
  /** The package to encode, `ns:name@version` (default: the main package). */
  package?: string;
}

/** What {@link describeWit} returns. */
export interface WitPackageInfo {
  /** `ns:name@version` of the package described. */
  package: string;
  interfaces: string[];
  worlds: string[];
  /** Every package of the set, as `ns:name@version`, dependencies first. */
  packages: string[];
}

/**
 * The `details` of the WIT toolchain's errors, by code (every error also has `message` and `hint`).
 * Codes not listed carry no documented details.
 */
export interface WitErrorDetails {
  /** Syntax error; `rendered` is the wasm-tools style snippet (`--> file:line:col`, a caret). */
  ERR_WIT_PARSE: { rendered: string };
  /** The packages do not resolve (unknown name, cycle, ...); `rendered` as for parse errors. */
  ERR_WIT_RESOLVE: { rendered?: string; package?: string };
  /** Malformed binary; `offset` is the byte where decoding stopped. */
  ERR_WIT_DECODE: { offset?: number };
  /** Input past a {@link DecodeLimits} limit or the text nesting/size limits. */
  ERR_LIMIT_EXCEEDED: { rendered?: string };
  /** The package cannot be encoded (e.g. it has no interface and no world). */
  ERR_WIT_ENCODE: { package?: string };
  /** A name passed to an option is not a package of the set, or an argument is invalid. */
  ERR_USAGE: { package?: string; packages?: string[]; path?: string };
}

/** The details type of an error code: documented keys, plus whatever else the error carries. */
export type DetailsOf<C extends ErrorCode, Known = WitErrorDetails> = (C extends keyof Known
  ? Known[C]
  : unknown) &
  Readonly<Record<string, unknown>>;

/**
 * True when `value` is a {@link WitDepsError}, and has `code` when one is given; the error's
 * `details` are then typed for that code.
 *
 * ```ts
 * try { parseWit('package a:b; interface i { x: func() -> u8 }'); }
 * catch (e) { if (isWitDepsError(e, 'ERR_WIT_PARSE')) console.error(e.details.rendered); }
 * ```
 */
export function isWitDepsError<C extends ErrorCode = ErrorCode>(
  value: unknown,
  code?: C,
): value is WitDepsError & { code: C; details: DetailsOf<C> } {
  return value instanceof WitDepsError && (code === undefined || value.code === code);
}

/**
 * Decodes a binary WIT package (`application/wasm` layer of a Wasm OCI artifact, the output of
 * `wasm-tools component wit --wasm` or `wit-deps wit build`). The packages it refers to are
 * rebuilt as partial packages in the same set.
 *
 * @param limits Caps on untrusted input (defaults: {@link DEFAULT_DECODE_LIMITS}).
 * @throws WitDepsError `ERR_WIT_DECODE` (with `details.offset`), `ERR_WIT_NOT_A_PACKAGE` for a
 *   component or core module, `ERR_LIMIT_EXCEEDED` past `limits`.
 */
export function decodeWit(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): WitPackages {
  return decodeBinary(bytes, limits);
}

/** The id of package `name` (`ns:name@version`) in the set, or the main package. */
function pickPackage(packages: WitPackages, name: string | undefined): PackageId {
  if (name === undefined) return packages.package;
  const all = packages.resolve.packages.map((p) => formatPackageName(p.name));
  const index = all.indexOf(name);
  if (index < 0) throw witError('package-not-in-set', { package: name, packages: all });
  return index as PackageId;
}

/**
 * Prints WIT text: the main package (or `options.package`) as a standalone `package.wit`, in the
 * form `wasm-tools component wit` prints; with `all`, the other packages follow as nested
 * `package ... { }` blocks.
 *
 * @throws WitDepsError `ERR_USAGE` when `options.package` is not in the set.
 */
export function printWit(packages: WitPackages, options: PrintWitOptions = {}): string {
  const id = pickPackage(packages, options.package);
  return options.all === true
    ? printWitAll(packages.resolve, id)
    : printWitPackage(packages.resolve, id);
}

function parseOptions(options: FeatureOptions): ParseOptions {
  return {
    ...(options.features === undefined ? {} : { features: options.features }),
    ...(options.allFeatures === true ? { allFeatures: true } : {}),
  };
}

/**
 * Parses and resolves WIT source text: one file (a string, or a `{ path, text }`), or the files of
 * one package. The source may hold nested `package ... { }` blocks; it may refer to no package
 * outside itself (a folder with `deps/` is {@link resolveWit}'s job).
 *
 * @throws WitDepsError `ERR_WIT_PARSE` or `ERR_WIT_RESOLVE` with `details.rendered`,
 *   `ERR_LIMIT_EXCEEDED` for input nested too deep or too large.
 */
export function parseWit(
  source: string | WitSource | readonly WitSource[],
  options: ParseWitOptions = {},
): WitPackages {
  const files: WitSource[] =
    typeof source === 'string'
      ? [{ path: options.path ?? 'input.wit', text: source }]
      : 'text' in source
        ? [source]
        : [...source];
  if (files.length === 0) throw noWitFiles('files');
  return parseWitPackage(files, [], parseOptions(options));
}

function noWitFiles(given: 'files' | 'folder'): WitDepsError {
  return witError('no-wit-files', { given });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One folder entry as the folder splitter takes it; `.wit` bytes must be UTF-8. */
function folderFile(path: string, contents: string | Uint8Array): FolderFile {
  const clean = path.replace(/^(\.\/)+/, '');
  if (typeof contents === 'string') return { path: clean, text: contents };
  if (!clean.endsWith('.wit')) return { path: clean, bytes: contents };
  try {
    return { path: clean, text: utf8.decode(contents) };
  } catch (cause) {
    throw witError('wit-not-utf8', { path: clean }, { cause });
  }
}

/**
 * Resolves a WIT folder given as in-memory files, as `wit-deps wit check <dir>` and wasm-tools'
 * `Resolve::push_dir` do: the top-level `*.wit` files are the main package; each `deps/` entry,
 * in sorted order, is one dependency: a folder of `*.wit` files, a `*.wit` file, or a `*.wasm`
 * binary package (decoded and merged first). Other files are ignored.
 *
 * @throws WitDepsError `ERR_USAGE` when the folder has no top-level `.wit` file (or a `.wit` file
 *   is not UTF-8), `ERR_WIT_PARSE`/`ERR_WIT_RESOLVE` (with `details.rendered`), `ERR_WIT_DECODE`
 *   for a bad `deps/*.wasm` (its message names the file).
 */
export function resolveWit(folder: WitFolder, options: ResolveWitOptions = {}): WitPackages {
  const entries = Array.isArray(folder)
    ? (folder as readonly { path: string; contents: string | Uint8Array }[]).map((f) =>
        folderFile(f.path, f.contents),
      )
    : Object.entries(folder as Readonly<Record<string, string | Uint8Array>>).map(([p, c]) =>
        folderFile(p, c),
      );
  const src = splitWitFolder(entries, options.root ?? '');
  if (src.main.length === 0) throw noWitFiles('folder');
  return parseWitPackage(src.main, src.deps, {
    ...parseOptions(options),
    binaryDeps: src.binaryDeps,
  });
}

/**
 * Encodes the main package (or `options.package`) as a binary WIT package: the bytes
 * `wit-deps wit build` writes and `wasm-tools component wit` reads (a `producers` section names
 * wit-deps and its version).
 *
 * @throws WitDepsError `ERR_WIT_ENCODE` (a package with no interface and no world), `ERR_USAGE`
 *   when `options.package` is not in the set.
 */
export function encodeWit(packages: WitPackages, options: EncodeWitOptions = {}): Uint8Array {
  const id = pickPackage(packages, options.package);
  return encodeWitPackage(packages.resolve, id, { producersVersion: VERSION });
}

/** Names a package of the set (default: the main one) with its interfaces and worlds. */
export function describeWit(packages: WitPackages, name?: string): WitPackageInfo {
  const pkg = getPackage(packages.resolve, pickPackage(packages, name));
  return {
    package: formatPackageName(pkg.name),
    interfaces: [...pkg.interfaces.keys()],
    worlds: [...pkg.worlds.keys()],
    packages: packages.resolve.packages.map((p) => formatPackageName(p.name)),
  };
}
