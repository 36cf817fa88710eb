/**
 * Path dependencies (`"acme:billing" = { path = "../billing/wit" }` in wit.toml, or a path in
 * wkg.toml `[overrides]`): reading the package a path points at, for the resolver and the write
 * phase.
 *
 * - The path, relative to the project root, is a WIT folder (its top-level `*.wit` files, as
 *   wit-parser reads a package folder), a single `.wit` file, or a `.wasm` binary WIT package.
 * - A folder's own `deps/` is not read: the packages the path package references are resolved
 *   from the registries like any other package, so `wkg.lock` pins them and an install is
 *   reproducible whatever that folder holds.
 * - WIT text is outlined (parsed, not resolved, since the packages it uses are not installed yet)
 *   for its name, version and references; its files are later copied to `wit/deps` verbatim, so
 *   the author's comments, file split and line numbers survive. A `.wasm` package is decoded and
 *   printed to `package.wit`, like a registry package.
 * - The package name must be the dependency's name (`ERR_PATH_MISMATCH`); its version is the one
 *   in its own `package` header.
 */
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve as resolvePath } from 'node:path';
import { WitDepsError, hasErrno, isWitDepsError } from '../errors.js';
import { PACKAGE_FILE } from '../project/deps-layout.js';
import { sha256Text } from '../project/deps-io.js';
import type { PathFacts } from '../resolve/graph.js';
import { decodeWit, printWitPackage } from '../wit/index.js';
import type { PackageName } from '../wit/model.js';
import { outlineWitPackage, type WitSource } from '../wit/text/index.js';

/** A path package as read. */
export interface PathPackage {
  name: string;
  path: string;
  version: string | undefined;
  /** The source files with display paths (`../billing/wit/types.wit`), for diagnostics. */
  sources: WitSource[];
  /** True for a `.wasm` package (printed, so it needs no check against its references). */
  binary: boolean;
  /** What goes to its `wit/deps` folder, by file name. */
  files: Record<string, string>;
  digest: string;
  dependencies: { name: string; requirement: string }[];
}

function notFound(name: string, path: string, why: string, cause?: unknown): WitDepsError {
  return new WitDepsError(
    'ERR_PATH_NOT_FOUND',
    `path dependency \`${name}\` (\`${path}\`) ${why}`,
    {
      hint: `fix the \`path\` of "${name}" in wit.toml (or wkg.toml [overrides]); it is relative to the project folder`,
      details: { package: name, path },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** The most bytes a path package's files may hold together (as a registry layer). */
export const MAX_PATH_PACKAGE_BYTES = 64 * 1024 * 1024;

function tooLarge(name: string, path: string, bytes: number): WitDepsError {
  return new WitDepsError(
    'ERR_LIMIT_EXCEEDED',
    `path dependency \`${name}\` (\`${path}\`) holds ${bytes} bytes, more than ${MAX_PATH_PACKAGE_BYTES}`,
    {
      hint: `point the \`path\` of "${name}" at the package's WIT folder, file or .wasm package`,
      details: { package: name, path, bytes, limit: MAX_PATH_PACKAGE_BYTES },
    },
  );
}

/** The top-level regular `*.wit` files of a folder (symlinks and other kinds are not read). */
async function readFolder(name: string, path: string, full: string): Promise<WitSource[]> {
  const names = (await readdir(full, { withFileTypes: true }))
    .filter((e) => e.isFile() && e.name.endsWith('.wit'))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) throw notFound(name, path, 'holds no `.wit` files');
  const sizes = await Promise.all(names.map(async (n) => (await lstat(join(full, n))).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total > MAX_PATH_PACKAGE_BYTES) throw tooLarge(name, path, total);
  const display = (file: string): string => `${path.replace(/\/+$/, '')}/${file}`;
  return Promise.all(
    names.map(async (n) => ({ path: display(n), text: await readFile(join(full, n), 'utf8') })),
  );
}

/** Reads the `.wit` sources of a folder or a file, or the bytes of a `.wasm` file. */
async function readSources(
  root: string,
  name: string,
  path: string,
): Promise<WitSource[] | Uint8Array> {
  const full = resolvePath(root, path);
  const info = await stat(full).catch((cause: unknown) => {
    if (hasErrno(cause, 'ENOENT') || hasErrno(cause, 'ENOTDIR'))
      throw notFound(name, path, 'does not exist', cause);
    throw cause;
  });
  if (info.isDirectory()) return readFolder(name, path, full);
  const kind = full.endsWith('.wasm') ? 'wasm' : full.endsWith('.wit') ? 'wit' : undefined;
  // a FIFO or a device would block or never end: only regular files are read
  if (kind === undefined || !info.isFile())
    throw notFound(name, path, 'is neither a WIT folder, a `.wit` file nor a `.wasm` package');
  if (info.size > MAX_PATH_PACKAGE_BYTES) throw tooLarge(name, path, info.size);
  if (kind === 'wasm') return new Uint8Array(await readFile(full));
  return [{ path, text: await readFile(full, 'utf8') }];
}

/** Re-raises a WIT error with the dependency as its subject (the rendered snippet is kept). */
export function pathWitError(name: string, path: string, error: unknown): unknown {
  if (
    !isWitDepsError(error) ||
    !error.code.startsWith('ERR_WIT') ||
    error.code === 'ERR_WIT_ENCODE'
  )
    return error;
  return new WitDepsError(
    error.code,
    `path dependency \`${name}\` (\`${path}\`): ${error.message}`,
    {
      hint: `fix the WIT at \`${path}\`, then run \`wit-deps wit check ${path}\``,
      cause: error,
      details: { ...error.details, package: name, path },
    },
  );
}

function digestOf(files: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(files)
    .sort()
    .map((k) => [k, files[k]]);
  return sha256Text(JSON.stringify(sorted));
}

function requirementOf(version: string | undefined): string {
  return version === undefined ? '*' : `=${version}`;
}

/** A package read from WIT text. */
function fromText(name: string, path: string, sources: WitSource[]): PathPackage {
  const outline = outlineWitPackage(sources);
  checkName(name, path, outline.name);
  const files = Object.fromEntries(sources.map((s) => [basename(s.path), s.text]));
  return {
    name,
    path,
    version: outline.name.version,
    sources,
    binary: false,
    files,
    digest: digestOf(files),
    dependencies: outline.references.map((r) => ({
      name: r.name,
      requirement: requirementOf(r.version),
    })),
  };
}

/** A package decoded from a `.wasm` file. */
function fromBinary(name: string, path: string, bytes: Uint8Array): PathPackage {
  const decoded = decodeWit(bytes);
  const own = decoded.resolve.packages[decoded.package]!.name;
  checkName(name, path, own);
  const text = printWitPackage(decoded.resolve, decoded.package);
  const files = { [PACKAGE_FILE]: text };
  const dependencies = decoded.resolve.packages
    .filter((_, i) => i !== decoded.package)
    .map((p) => ({
      name: `${p.name.namespace}:${p.name.name}`,
      requirement: requirementOf(p.name.version),
    }));
  return {
    name,
    path,
    version: own.version,
    sources: [{ path, text }],
    binary: true,
    files,
    digest: digestOf(files),
    dependencies,
  };
}

function checkName(name: string, path: string, found: PackageName): void {
  const foundName = `${found.namespace}:${found.name}`;
  if (foundName === name) return;
  const shown = found.version === undefined ? foundName : `${foundName}@${found.version}`;
  throw new WitDepsError(
    'ERR_PATH_MISMATCH',
    `path dependency \`${name}\` (\`${path}\`) holds package \`${shown}\``,
    {
      hint: `name the dependency "${foundName}" in wit.toml (or wkg.toml [overrides]), or point its \`path\` at the \`${name}\` package`,
      details: { package: name, path, found: foundName },
    },
  );
}

/**
 * Reads one path package.
 *
 * @throws {WitDepsError} `ERR_PATH_NOT_FOUND`, `ERR_PATH_MISMATCH`, and `ERR_WIT_PARSE`,
 *   `ERR_WIT_RESOLVE` (no `package` header), `ERR_WIT_DECODE` with the dependency as subject.
 */
export async function readPathPackage(
  root: string,
  name: string,
  path: string,
): Promise<PathPackage> {
  const source = await readSources(root, name, path);
  try {
    return source instanceof Uint8Array
      ? fromBinary(name, path, source)
      : fromText(name, path, source);
  } catch (error) {
    throw pathWitError(name, path, error);
  }
}

/** The path packages of one command, read once each. */
export class PathPackages {
  private readonly read = new Map<string, PathPackage>();

  constructor(private readonly root: string) {}

  /** The resolver's facts about a path package. */
  async describe(name: string, path: string): Promise<PathFacts> {
    const pkg = await readPathPackage(this.root, name, path);
    this.read.set(name, pkg);
    return { version: pkg.version, digest: pkg.digest, dependencies: pkg.dependencies };
  }

  /** A package read by {@link describe}. */
  get(name: string): PathPackage | undefined {
    return this.read.get(name);
  }

  /** The files of every package read, by name (for the install plan). */
  files(): Map<string, Record<string, string>> {
    return new Map([...this.read].map(([name, pkg]) => [name, pkg.files]));
  }
}
