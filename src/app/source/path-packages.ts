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
 * - The WIT outliner and decoder are loaded when a path package is read, not with this module: a
 *   project without path dependencies never loads them.
 * - The package name must be the dependency's name (`ERR_PATH_MISMATCH`); its version is the one
 *   in its own `package` header.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import { WitDepsError, hasErrno, isWitDepsError } from '../../errors.js';
import { assertInsideRoot, readRegularFile } from '../../fs/safe-read.js';
import { PACKAGE_FILE } from '../../project/deps-layout.js';
import { sha256Text } from '../../project/deps-io.js';
import type { PathFacts } from '../../resolve/graph.js';
import type { PackageName } from '../../wit/model.js';
import type { WitSource } from '../../wit/parse.js';

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

/** The `ERR_PATH_NOT_FOUND` error of a path, given why (`does not exist`) and the cause. */
type NotFound = (why: string, cause?: unknown) => WitDepsError;

/** Decodes as `readFile(path, 'utf8')` does (a byte-order mark is kept: files are copied verbatim). */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** The most bytes a path package's files may hold together (as a registry layer). */
export const MAX_PATH_PACKAGE_BYTES = 64 * 1024 * 1024;

/** `ERR_LIMIT_EXCEEDED` for a path whose files are too large; `subject` names it. */
function tooLarge(subject: string, details: Record<string, unknown>, bytes: number): WitDepsError {
  return new WitDepsError(
    'ERR_LIMIT_EXCEEDED',
    `${subject} holds ${bytes} bytes, more than ${MAX_PATH_PACKAGE_BYTES}`,
    {
      hint: "point the `path` at the package's WIT folder, `.wit` file or `.wasm` package",
      details: { ...details, bytes, limit: MAX_PATH_PACKAGE_BYTES },
    },
  );
}

/** The errors of reading a path, with the path (or the dependency) as their subject. */
interface PathErrors {
  notFound: NotFound;
  tooLarge: (bytes: number) => WitDepsError;
  /** A file of the path that is refused (a symlink out of its folder, a FIFO) or unreadable. */
  unreadable: (file: string, error: unknown) => unknown;
}

/** The `code` of a Node.js system error (`ENOENT`, `ELOOP`), else undefined. */
function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' ? code : undefined;
}

/** `unreadable` of {@link PathErrors}: the safe-read or fs error, with `subject` in front. */
function unreadableFile(subject: string, details: Record<string, unknown>) {
  return (file: string, error: unknown): unknown => {
    const more = { details: { ...details, file }, cause: error };
    if (isWitDepsError(error))
      return new WitDepsError(error.code, `${subject}: ${error.message}`, {
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        ...more,
      });
    const code = errnoOf(error);
    if (code === undefined) return error;
    return new WitDepsError('ERR_FS', `${subject}: \`${file}\` cannot be read (${code})`, {
      hint: 'replace it with a readable regular file (a symlink must lead to one inside the folder)',
      ...more,
    });
  };
}

/** Reads one file of a path package: a regular file whose real path is inside `root`. */
async function readPathFile(full: string, shown: string, root: string, errors: PathErrors) {
  const opts = { limit: MAX_PATH_PACKAGE_BYTES, root, display: `\`${shown}\`` };
  return readRegularFile(full, opts).catch((error: unknown) => {
    throw errors.unreadable(shown, error);
  });
}

/**
 * The size of a folder's entry when it is a regular file inside the folder (after symlinks),
 * undefined for a FIFO, a device or a folder (skipped, as wit-parser skips them); a symlink that
 * leads out of the folder is an error, raised before anything is read.
 */
async function entrySize(file: string, shown: string, folder: string, errors: PathErrors) {
  try {
    await assertInsideRoot(file, folder, `\`${shown}\``);
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    throw errors.unreadable(shown, error);
  }
}

/** The top-level `*.wit` files of a folder; symlinks are followed only inside the folder. */
async function readFolder(path: string, full: string, errors: PathErrors): Promise<WitSource[]> {
  const candidates = (await readdir(full, { withFileTypes: true }))
    .filter((e) => !e.isDirectory() && e.name.endsWith('.wit'))
    .map((e) => e.name)
    .sort();
  const display = (file: string): string => `${path.replace(/\/+$/, '')}/${file}`;
  const sizes = await Promise.all(
    candidates.map((n) => entrySize(join(full, n), display(n), full, errors)),
  );
  const names = candidates.filter((_, i) => sizes[i] !== undefined);
  if (names.length === 0) throw errors.notFound('holds no `.wit` files');
  const total = sizes.reduce<number>((x, y) => x + (y ?? 0), 0);
  if (total > MAX_PATH_PACKAGE_BYTES) throw errors.tooLarge(total);
  const sources: WitSource[] = [];
  for (const n of names) {
    const bytes = await readPathFile(join(full, n), display(n), full, errors);
    sources.push({ path: display(n), text: UTF8.decode(bytes) });
  }
  return sources;
}

/**
 * Reads the `.wit` sources of a folder or a file, or the bytes of a `.wasm` file. A file named
 * by the path is confined to its own folder: a `.wit` symlink to `~/.git-credentials` is refused.
 */
async function readSources(
  root: string,
  path: string,
  errors: PathErrors,
): Promise<WitSource[] | Uint8Array> {
  const { notFound } = errors;
  const full = resolvePath(root, path);
  const info = await stat(full).catch((cause: unknown) => {
    if (hasErrno(cause, 'ENOENT') || hasErrno(cause, 'ENOTDIR'))
      throw notFound('does not exist', cause);
    throw cause;
  });
  if (info.isDirectory()) return readFolder(path, full, errors);
  const kind = full.endsWith('.wasm') ? 'wasm' : full.endsWith('.wit') ? 'wit' : undefined;
  // a FIFO or a device would block or never end: only regular files are read
  if (kind === undefined || !info.isFile())
    throw notFound('is neither a WIT folder, a `.wit` file nor a `.wasm` package');
  if (info.size > MAX_PATH_PACKAGE_BYTES) throw errors.tooLarge(info.size);
  const bytes = await readPathFile(full, path, dirname(full), errors);
  if (kind === 'wasm') return bytes;
  return [{ path, text: UTF8.decode(bytes) }];
}

/**
 * Re-raises a WIT error with the dependency (or, before its name is known, the path) as its
 * subject; the rendered snippet is kept.
 */
export function pathWitError(name: string | undefined, path: string, error: unknown): unknown {
  if (
    !isWitDepsError(error) ||
    !error.code.startsWith('ERR_WIT') ||
    error.code === 'ERR_WIT_ENCODE'
  )
    return error;
  const subject =
    name === undefined ? `path \`${path}\`` : `path dependency \`${name}\` (\`${path}\`)`;
  return new WitDepsError(error.code, `${subject}: ${error.message}`, {
    hint: `fix the WIT at \`${path}\`, then run \`wit-deps wit check ${path}\``,
    cause: error,
    details: { ...error.details, ...(name === undefined ? {} : { package: name }), path },
  });
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
async function fromText(name: string, path: string, sources: WitSource[]): Promise<PathPackage> {
  const { outlineWitPackage } = await import('../../wit/outline.js');
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
async function fromBinary(name: string, path: string, bytes: Uint8Array): Promise<PathPackage> {
  const { decodeWit, printWitPackage } = await import('../../wit/index.js');
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
  const subject = `path dependency \`${name}\` (\`${path}\`)`;
  const source = await readSources(root, path, {
    notFound: (why, cause) => notFound(name, path, why, cause),
    tooLarge: (bytes) => tooLarge(subject, { package: name, path }, bytes),
    unreadable: unreadableFile(subject, { package: name, path }),
  });
  try {
    return await (source instanceof Uint8Array
      ? fromBinary(name, path, source)
      : fromText(name, path, source));
  } catch (error) {
    throw pathWitError(name, path, error);
  }
}

/**
 * The `ns:name` of the package a path holds (its header; a `.wasm` package decoded), for
 * `wit-deps add --path <dir>` without a name. Nothing is resolved.
 *
 * @throws {WitDepsError} `ERR_PATH_NOT_FOUND`, and `ERR_WIT_PARSE`, `ERR_WIT_RESOLVE` (no
 *   `package` header), `ERR_WIT_DECODE` with the path as subject.
 */
export async function readPathPackageName(root: string, path: string): Promise<string> {
  const source = await readSources(root, path, {
    notFound: (why, cause) =>
      new WitDepsError('ERR_PATH_NOT_FOUND', `path \`${path}\` ${why}`, {
        hint: 'pass a WIT folder, a `.wit` file or a `.wasm` package: `wit-deps add --path <dir>`',
        details: { path },
        ...(cause === undefined ? {} : { cause }),
      }),
    tooLarge: (bytes) => tooLarge(`path \`${path}\``, { path }, bytes),
    unreadable: unreadableFile(`path \`${path}\``, { path }),
  });
  try {
    let name: PackageName;
    if (source instanceof Uint8Array) {
      const decoded = (await import('../../wit/index.js')).decodeWit(source);
      name = decoded.resolve.packages[decoded.package]!.name;
    } else name = (await import('../../wit/outline.js')).outlineWitPackage(source).name;
    return `${name.namespace}:${name.name}`;
  } catch (error) {
    throw pathWitError(undefined, path, error);
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
