/**
 * `wit check` and `wit build`: read a `.wit` file or a WIT folder (its `*.wit` files plus the
 * `deps/` entries: folders, `.wit` files, `.wasm` binary packages), resolve it with the pure
 * toolchain in `src/wit/`, and for `build` encode the main package and write it atomically.
 */
import { stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { WitDepsError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
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
import { readWit, readWitFolder } from './folder.js';

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
  return { ...resolveWitFolder(await readWitFolder(full), path, options), path };
}

/**
 * Parses and resolves the files of a WIT folder (as {@link readWitFolder} reads them), `path`
 * being the folder as diagnostics show it.
 */
export function resolveWitFolder(
  files: FolderFile[],
  path: string,
  options: { features?: string[]; allFeatures?: boolean } = {},
): { resolve: Resolve; package: PackageId } {
  const src = splitWitFolder(files, path);
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
