/**
 * `wit check` and `wit build`: read a `.wit` file or a WIT folder (its `*.wit` files plus the
 * `deps/` entries: folders, `.wit` files, `.wasm` binary packages), resolve it with the pure
 * toolchain in `src/wit/`, and for `build` encode the main package and write it atomically.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import { WitDepsError, isWitDepsError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { READ_LIMITS, readRegularFile } from '../fs/safe-read.js';
import { encodeWitPackage } from '../wit/encode/index.js';
import { formatPackageName, getPackage, type PackageId, type Resolve } from '../wit/model.js';
import { splitWitFolder, type FolderFile } from '../wit/resolve/deps.js';
import { parseWitPackage } from '../wit/parse.js';
import { VERSION } from '../version.js';

export interface WitTextOptions {
  path: string;
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

/** Parses and resolves the WIT at `path`. */
export async function loadWit(
  opts: WitTextOptions,
): Promise<{ resolve: Resolve; package: PackageId }> {
  const full = resolvePath(opts.cwd, opts.path);
  const info = await stat(full).catch((cause: unknown) => {
    throw new WitDepsError('ERR_FS', `\`${opts.path}\` cannot be read`, {
      hint: 'pass a `.wit` file or a WIT folder',
      cause,
    });
  });
  const options = {
    ...(opts.features === undefined ? {} : { features: opts.features }),
    ...(opts.allFeatures === true ? { allFeatures: true } : {}),
  };
  if (!info.isDirectory()) {
    return parseWitPackage(
      [{ path: opts.path, text: await readWit(full, opts.path) }],
      [],
      options,
    );
  }
  const src = splitWitFolder(await readWitFolder(full), opts.path);
  // `deps/*.wasm` binary packages are decoded and merged first, as wit-parser's `push_dir` does.
  return parseWitPackage(src.main, src.deps, { ...options, binaryDeps: src.binaryDeps });
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

/** `wit build`: encodes the main package and writes it to `output` (temp file + rename). */
export async function witBuild(opts: WitTextOptions & { output: string }): Promise<WitBuildResult> {
  const { resolve, package: id } = await loadWit(opts);
  const bytes = encodeWitPackage(resolve, id, { producersVersion: VERSION });
  const target = resolvePath(opts.cwd, opts.output);
  await writeFileAtomic(target, bytes, {
    makeParent: false,
    display: `\`${opts.output}\``,
    hint: 'check the output folder exists',
  });
  return {
    package: formatPackageName(getPackage(resolve, id).name),
    output: opts.output,
    size: bytes.length,
  };
}
