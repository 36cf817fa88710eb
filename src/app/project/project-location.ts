/**
 * Where a project is, found from the folder a command runs in (after `-C`): the project root
 * (`project/project-root-io.ts`: the nearest folder up holding wit.toml, wkg.toml or wkg.lock),
 * whose `wit.toml`, `wkg.toml` and `wkg.lock` are read and written, and to which every write is
 * confined; and the WIT folder (`-d/--wit-dir`, `[package] wit`, or found, {@link chooseWitDir}),
 * which must lie inside the root.
 */
import { dirname, isAbsolute, join, normalize, relative, resolve, sep, win32 } from 'node:path';
import { WitDepsError } from '../../errors.js';
import { assertConfined } from '../../fs/confine.js';
import type { Manifest } from '../../project/manifest.js';
import { readManifestFile } from '../../project/manifest-io.js';
import {
  findProjectRoot,
  isFolder,
  isWitFolderWithLock,
  type ProjectRoot,
} from '../../project/project-root-io.js';

/** `[package] wit` must name a folder inside the project: relative, never leaving it with `..`. */
function checkWitSetting(wit: string): void {
  const parts = normalize(wit).split(/[/\\]/);
  const escapes = isAbsolute(wit) || win32.isAbsolute(wit) || parts[0] === '..';
  if (!escapes && !wit.includes('\0')) return;
  throw new WitDepsError(
    'ERR_MANIFEST_INVALID',
    `\`package.wit\` in wit.toml names \`${wit.slice(0, 200)}\`, which is not a folder inside the project`,
    {
      hint: 'set `wit` under `[package]` in wit.toml to a relative folder inside the project, e.g. `wit = "wit"`',
      details: { file: 'wit.toml', key: 'package.wit', value: wit },
    },
  );
}

/** True when `path` (absolute) is `root` or lies under it, by name (links are checked later). */
function lexicallyInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** `-d/--wit-dir` must name a folder inside the project root. */
function checkWitDirFlag(flag: string, witDir: string, root: string): void {
  if (lexicallyInside(witDir, root) && !flag.includes('\0')) return;
  throw new WitDepsError(
    'ERR_USAGE',
    `\`--wit-dir ${flag.slice(0, 200)}\` names \`${witDir}\`, which is not inside the project \`${root}\``,
    {
      hint: 'run from the project that holds the WIT folder (`wit-deps -C <project> install -d <wit-folder>`)',
      details: { witDir, root },
    },
  );
}

/**
 * Which folder is the WIT folder: `-d/--wit-dir` (relative to `cwd`); else `[package] wit` of
 * wit.toml, else `<root>/wit` when there is a wit.toml. Without one (a wkg project): the nearest
 * `wit` folder from `cwd` up to the root (`crates/a/wit` from `crates/a/src`, the root lock
 * above it); else the root itself when it holds `*.wit` files and a `wkg.lock` (a WIT folder
 * with its own lock); else `<root>/wit`.
 */
async function chooseWitDir(
  root: string,
  manifest: Manifest | undefined,
  from: { cwd: string; witDir?: string | undefined },
): Promise<string> {
  if (from.witDir !== undefined) {
    const witDir = resolve(from.cwd, from.witDir);
    checkWitDirFlag(from.witDir, witDir, root);
    return witDir;
  }
  const wit = manifest?.package?.wit;
  if (wit !== undefined) {
    checkWitSetting(wit);
    return join(root, wit);
  }
  const standard = join(root, 'wit');
  if (manifest !== undefined) return standard;
  // wkg's default `-d wit`, from where the command runs: the nearest `wit` folder up to the root,
  // so a workspace member (or any folder in it) finds its own WIT folder
  for (let dir = resolve(from.cwd); dir !== root && lexicallyInside(dir, root); dir = dirname(dir))
    if (await isFolder(join(dir, 'wit'))) return join(dir, 'wit');
  if (!(await isFolder(standard)) && (await isWitFolderWithLock(root))) return root;
  return standard;
}

/**
 * The project's WIT folder and its `deps/` (see {@link chooseWitDir}): both must stay inside the
 * project after symbolic links are resolved, since install writes and deletes there (checked
 * before the recovery of an interrupted install, which writes too).
 */
export async function locateWitDir(
  root: string,
  manifest: Manifest | undefined,
  from: { cwd: string; witDir?: string | undefined } = { cwd: root },
): Promise<{ witDir: string; depsDir: string }> {
  const witDir = await chooseWitDir(root, manifest, from);
  const depsDir = join(witDir, 'deps');
  const hint = (path: string): string =>
    `\`${path}\` must be a folder of this project: replace the symbolic link with an ordinary folder (or delete it), then run \`wit-deps install\``;
  await assertConfined(witDir, root, { what: 'the WIT folder', hint: hint(witDir) });
  await assertConfined(depsDir, root, { what: 'wit/deps', hint: hint(depsDir) });
  return { witDir, depsDir };
}

/** Where a command runs (after `-C`), its environment (for the home folder) and `-d`. */
export interface LocateOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  witDir?: string;
}

/** Where a project is: its root (see `project/project-root-io.ts`), manifest and WIT folder. */
export interface ProjectLocation {
  root: string;
  /** The file that marked the root; undefined when none was found (the root is `cwd`). */
  marker: ProjectRoot['marker'];
  manifestFile: Awaited<ReturnType<typeof readManifestFile>>;
  witDir: string;
  depsDir: string;
}

/** Finds the project a command run in `cwd` works on (nothing is written). */
export async function locateProject(options: LocateOptions): Promise<ProjectLocation> {
  if (!(await isFolder(options.cwd)))
    throw new WitDepsError('ERR_USAGE', `folder \`${options.cwd}\` does not exist`, {
      hint: 'check the folder given to `-C <project>`',
      details: { cwd: options.cwd },
    });
  const { root, marker } = await findProjectRoot(options.cwd, options.env);
  const manifestFile = await readManifestFile(root);
  const from = { cwd: resolve(options.cwd), witDir: options.witDir };
  const { witDir, depsDir } = await locateWitDir(root, manifestFile?.manifest, from);
  return { root, marker, manifestFile, witDir, depsDir };
}

/** No wit.toml, no WIT files and no wkg.toml overrides: there is no project here. */
export function noProject(location: ProjectLocation): WitDepsError {
  const { root, marker, witDir } = location;
  const details = { root, witDir, ...(marker === undefined ? {} : { marker }) };
  if (marker === undefined)
    return new WitDepsError(
      'ERR_MANIFEST_NOT_FOUND',
      `no wit.toml, wkg.toml, wkg.lock or WIT files in \`${root}\` or the folders above it`,
      {
        hint: 'run in a project folder (or pass `-C <project>`), or start one with `wit-deps init` or `wit-deps add <pkg>`',
        details,
      },
    );
  return new WitDepsError(
    'ERR_MANIFEST_NOT_FOUND',
    `WIT folder \`${witDir}\` holds no *.wit files, and \`${root}\` (the project root, by its ${marker}) has no wit.toml`,
    {
      hint: 'name the WIT folder with `-d <wit-folder>` (relative to where you run), or run in it (`-C <wit-folder>`)',
      details,
    },
  );
}

/** The paths a command was given, relative to where it runs. */
export interface CommandPaths {
  /** `--cache-dir`, `--config`: made absolute (an empty one stays empty, a usage error later). */
  cacheDir?: string;
  config?: string;
  /** `add --path`: written into wit.toml, so made relative to the root (where wit.toml is). */
  path?: string;
}

/**
 * What the CLI hands an app function: `cwd` the project root (so wit.toml edits, the project lock
 * and the lock file are the root's from any subfolder), `witDir` absolute, and its path flags
 * rebased so they still mean what they meant where the user ran the command.
 */
export async function commandProject(
  options: LocateOptions & CommandPaths,
): Promise<{ cwd: string; witDir: string } & CommandPaths> {
  const { root, witDir } = await locateProject(options);
  const start = resolve(options.cwd);
  const absolute = (p: string): string => (p === '' ? p : resolve(start, p));
  const { cacheDir, config, path } = options;
  return {
    cwd: root,
    witDir,
    ...(cacheDir === undefined ? {} : { cacheDir: absolute(cacheDir) }),
    ...(config === undefined ? {} : { config: absolute(config) }),
    ...(path === undefined ? {} : { path: rebased(path, start, root) }),
  };
}

/** `path` given in `start`, relative to `root` instead (as given when they are the same). */
function rebased(path: string, start: string, root: string): string {
  if (path === '' || isAbsolute(path) || start === root) return path;
  return relative(root, resolve(start, path)).split(sep).join('/') || '.';
}
