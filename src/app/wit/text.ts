/**
 * `wit check` and `wit build`: read a `.wit` file or a WIT folder (its `*.wit` files plus the
 * `deps/` entries: folders, `.wit` files, `.wasm` binary packages), resolve it with the pure
 * toolchain in `src/wit/`, and for `build` encode the main package and write it atomically.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import { WitDepsError, isWitDepsError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { READ_LIMITS, readRegularFile } from '../../fs/safe-read.js';
import { readManifestFile } from '../../project/manifest-io.js';
import { encodeWitPackage } from '../../wit/encode/index.js';
import {
  formatPackageName,
  getPackage,
  type PackageId,
  type PackageName,
  type Resolve,
} from '../../wit/model.js';
import { splitWitFolder, type FolderFile } from '../../wit/resolve/deps.js';
import { parseWitPackage } from '../../wit/parse.js';
import { VERSION } from '../../version.js';

export interface WitTextOptions {
  /** A `.wit` file or WIT folder; by default the project's WIT folder (`[package] wit`, `wit`). */
  path?: string;
  cwd: string;
  features?: string[];
  allFeatures?: boolean;
}

export interface WitCheckResult {
  package: string;
  interfaces: string[];
  worlds: string[];
  /** Every package in the resolve (dependencies first). */
  packages: string[];
}

/**
 * A file of the WIT being checked: a regular file under `limit` (a FIFO or `/dev/zero` named
 * `x.wit` is `ERR_FS` instead of a hang or an out-of-memory crash).
 */
async function readInput(full: string, shown: string, limit: number): Promise<Uint8Array> {
  try {
    return await readRegularFile(full, { limit, display: `\`${shown}\`` });
  } catch (cause) {
    if (isWitDepsError(cause)) throw cause;
    throw new WitDepsError('ERR_FS', `\`${shown}\` cannot be read`, {
      hint: 'make it a readable regular file',
      cause,
      details: { path: shown },
    });
  }
}

async function readWit(full: string, shown: string): Promise<string> {
  return new TextDecoder().decode(await readInput(full, shown, READ_LIMITS.text));
}

async function readWitFolder(dir: string): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const path = relative(dir, full).split(sep).join('/');
      if (e.isDirectory()) {
        if (depth === 0 && e.name === 'deps') await walk(full, 1);
        else if (depth === 1) await walk(full, 2);
      } else if (e.name.endsWith('.wit')) {
        out.push({ path, text: await readWit(full, path) });
      } else if (e.name.endsWith('.wasm') && depth === 1) {
        out.push({ path, bytes: await readInput(full, path, READ_LIMITS.binary) });
      }
    }
  };
  await walk(dir, 0);
  return out;
}

/** The path given, or the project's WIT folder: `[package] wit` in wit.toml, else `wit`. */
async function witPath(opts: WitTextOptions): Promise<{ path: string; given: boolean }> {
  if (opts.path !== undefined) return { path: opts.path, given: true };
  const manifest = (await readManifestFile(opts.cwd))?.manifest;
  return { path: manifest?.package?.wit ?? 'wit', given: false };
}

/** Parses and resolves the WIT at `path` (by default the project's WIT folder). */
export async function loadWit(
  opts: WitTextOptions,
): Promise<{ resolve: Resolve; package: PackageId; path: string }> {
  const { path, given } = await witPath(opts);
  const full = resolvePath(opts.cwd, path);
  const info = await stat(full).catch((cause: unknown) => {
    throw new WitDepsError(
      'ERR_FS',
      given ? `\`${path}\` cannot be read` : `this project has no WIT folder \`${path}\``,
      {
        hint: given
          ? 'pass a `.wit` file or a WIT folder'
          : 'pass a `.wit` file or a WIT folder, or set `wit` under `[package]` in wit.toml',
        cause,
      },
    );
  });
  const options = {
    ...(opts.features === undefined ? {} : { features: opts.features }),
    ...(opts.allFeatures === true ? { allFeatures: true } : {}),
  };
  if (!info.isDirectory()) {
    const parsed = parseWitPackage([{ path, text: await readWit(full, path) }], [], options);
    return { ...parsed, path };
  }
  const src = splitWitFolder(await readWitFolder(full), path);
  // `deps/*.wasm` binary packages are decoded and merged first, as wit-parser's `push_dir` does.
  const parsed = parseWitPackage(src.main, src.deps, { ...options, binaryDeps: src.binaryDeps });
  return { ...parsed, path };
}

/** `wit check`: resolves and summarises the package. */
export async function witCheck(opts: WitTextOptions): Promise<WitCheckResult> {
  const { resolve, package: id } = await loadWit(opts);
  const pkg = getPackage(resolve, id);
  return {
    package: formatPackageName(pkg.name),
    interfaces: [...pkg.interfaces.keys()],
    worlds: [...pkg.worlds.keys()],
    packages: resolve.packages.map((p) => formatPackageName(p.name)),
  };
}

export interface WitBuildResult {
  package: string;
  output: string;
  size: number;
}

/** `<ns>-<name>-<version>.wasm` (`<ns>-<name>.wasm` without a version), as `wit/deps` names folders. */
export function defaultBuildOutput(name: PackageName): string {
  const version = name.version === undefined ? '' : `-${name.version}`;
  return `${name.namespace}-${name.name}${version}.wasm`;
}

/**
 * `wit build`: encodes the main package and writes it to `output` (temp file + rename), by
 * default `<ns>-<name>-<version>.wasm` in the working folder.
 */
export async function witBuild(
  opts: WitTextOptions & { output?: string },
): Promise<WitBuildResult> {
  const { resolve, package: id } = await loadWit(opts);
  const name = getPackage(resolve, id).name;
  const bytes = encodeWitPackage(resolve, id, { producersVersion: VERSION });
  const output = opts.output ?? defaultBuildOutput(name);
  await writeFileAtomic(resolvePath(opts.cwd, output), bytes, {
    makeParent: false,
    display: `\`${output}\``,
    hint: 'check the output folder exists',
  });
  return { package: formatPackageName(name), output, size: bytes.length };
}
