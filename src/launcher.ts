/**
 * How `bin/wit-deps.js` starts the CLI quickly: the whole CLI is one CommonJS file,
 * `dist/cli.cjs` (`npm run build` bundles `dist/cli/bin.js` and its packages, undici excepted),
 * compiled through `vm.Script` with a V8 code cache, so a run neither resolves and reads a
 * hundred modules nor compiles them again. Node 20 has no compile cache of its own
 * (`module.enableCompileCache` is Node 22.1). This file is built into `dist/launcher.cjs`
 * (CommonJS, like the launcher and the bundle: no ESM loader runs at all).
 *
 * The code cache:
 * - lives in one folder per user: `WIT_DEPS_CODE_CACHE`, else `<tmpdir>/wit-deps-code-cache-<uid>`
 *   (`WIT_DEPS_CODE_CACHE=off` turns it off). The folder is used only when it is a real folder
 *   (not a symbolic link) of this user that no one else may write to, since its files are
 *   compiled code; it is created with mode 0700;
 * - has one file per bundle build, bundle size and time, Node version, architecture and command
 *   (`install`, `wit print`, ...): V8 caches the functions a run compiled, so each command keeps
 *   its own. V8 itself refuses a cache of another V8 version or other flags
 *   (`cachedDataRejected`): the run compiles as without one;
 * - is written after a run without a usable cache that exits 0: to a temporary file renamed into
 *   place, so concurrent runs never see half a file. A folder that cannot be written (read-only,
 *   full, foreign) means no cache, never a failure. Files of other builds not used for
 *   {@link STALE_MS} are removed when a new one is written.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/** The first line of the bundle: `// wit-deps cli bundle <sha256 of the rest>`. */
const BUILD_LINE = /^\/\/ wit-deps cli bundle ([0-9a-f]{64})\n/;
/** Cache files of other builds older than this are removed (30 days). */
export const STALE_MS = 30 * 24 * 3600_000;
/** A cache file larger than this is not read (V8's caches of this CLI are about 1 MB). */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/** Commands with a cache of their own (others share `other`); a group adds its subcommand. */
const COMMANDS = new Set(
  'add cache init install lock login logout oci outdated publish remove tree update vendor verify wit'.split(
    ' ',
  ),
);
const GROUPS = new Set(['cache', 'oci', 'wit']);

/** The code cache folder for `env`, or undefined when it is turned off. */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const given = env['WIT_DEPS_CODE_CACHE'];
  if (given === 'off' || given === '0') return undefined;
  if (given !== undefined && given !== '') return given;
  return join(tmpdir(), `wit-deps-code-cache-${process.getuid?.() ?? 'user'}`);
}

/** The command a run of `argv` is (`install`, `wit-print`, `other`): its cache's name. */
export function commandOf(argv: readonly string[]): string {
  const words = argv.filter((a) => /^[a-z][a-z-]*$/.test(a));
  const first = words[0];
  if (first === undefined || !COMMANDS.has(first)) return 'other';
  const sub = words[1];
  return GROUPS.has(first) && sub !== undefined && /^[a-z]{2,12}$/.test(sub)
    ? `${first}-${sub}`
    : first;
}

/** True when `dir` is a folder of this user that others cannot write to (made if `create`). */
export function privateFolder(dir: string, create: boolean): boolean {
  try {
    const info = lstatSync(dir, { throwIfNoEntry: false });
    if (info === undefined) {
      if (!create) return false;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return privateFolder(dir, false);
    }
    const uid = process.getuid?.();
    if (!info.isDirectory() || (uid !== undefined && info.uid !== uid)) return false;
    return process.platform === 'win32' || (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The cache file's name for this bundle (its build line, size and time) and command. */
export function cacheFileName(build: string, size: number, mtimeMs: number, command: string) {
  const stamp = `${size.toString(36)}-${Math.trunc(mtimeMs).toString(36)}`;
  return `${build.slice(0, 32)}-${stamp}-node${process.version}-${process.arch}-${command}.v8`;
}

function readCache(file: string): Buffer | undefined {
  try {
    const info = lstatSync(file, { throwIfNoEntry: false });
    if (info === undefined || !info.isFile() || info.size > MAX_CACHE_BYTES) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes `data` as `file` (temp file, then rename); removes other builds' stale files. */
export function writeCache(dir: string, file: string, data: Buffer, now = Date.now()): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    if (!privateFolder(dir, true)) return;
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
    // this bundle's files: its build, size and time (`<build>-<size>-<time>-...`)
    const bundle = file
      .slice(dirname(file).length + 1)
      .split('-')
      .slice(0, 3)
      .join('-');
    for (const name of readdirSync(dir)) {
      if (name.startsWith(`${bundle}-`)) continue;
      const info = lstatSync(join(dir, name), { throwIfNoEntry: false });
      if (info !== undefined && now - info.mtimeMs > STALE_MS)
        rmSync(join(dir, name), { force: true });
    }
  } catch {
    rmSync(temp, { force: true });
  }
}

/** The bundle's text, its build hash, size and modification time. */
function readBundle(path: string): {
  source: string;
  build: string;
  size: number;
  mtimeMs: number;
} {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    const source = readFileSync(fd, 'utf8');
    const build = BUILD_LINE.exec(source)?.[1];
    if (build === undefined) throw new Error(`${path} is not a wit-deps CLI bundle`);
    return { source, build, size: info.size, mtimeMs: info.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

type Run = () => Promise<void>;

/**
 * Compiles and runs the bundle at `path` (with the code cache of `env`), returning its `run`.
 * The bundle is a CommonJS module: it gets the usual `exports`, `require` (from its own folder,
 * for undici), `module`, `__filename` and `__dirname`.
 */
export function loadBundle(path: string, argv: readonly string[], env: NodeJS.ProcessEnv): Run {
  const { source, build, size, mtimeMs } = readBundle(path);
  const dir = codeCacheDir(env);
  const file =
    dir === undefined ? undefined : join(dir, cacheFileName(build, size, mtimeMs, commandOf(argv)));
  const cachedData = file !== undefined && privateFolder(dir!, false) ? readCache(file) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, {
    filename: path,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  if (file !== undefined && (cachedData === undefined || script.cachedDataRejected === true))
    process.once('exit', (code) => {
      if (code === 0) writeCache(dir!, file, script.createCachedData());
    });
  const module = { exports: {} as { run?: Run } };
  const factory = script.runInThisContext() as (...args: unknown[]) => void;
  factory(module.exports, createRequire(path), module, path, dirname(path));
  if (typeof module.exports.run !== 'function') throw new Error(`${path} exports no run()`);
  return module.exports.run;
}

/**
 * Runs the CLI: the bundle at `bundle` when it exists (with the code cache), else the modules of
 * `dist/cli/` (a build without its bundle). A failure rejects, as an uncaught error of `run`.
 */
export function launch(bundle: string, argv: readonly string[], env: NodeJS.ProcessEnv) {
  if (existsSync(bundle)) return loadBundle(bundle, argv, env)();
  const modules = pathToFileURL(join(dirname(bundle), 'cli/bin.js')).href;
  return import(modules).then((m: { run: Run }) => m.run());
}
