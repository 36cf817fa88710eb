/**
 * The programmatic API of wit-deps: the project commands (`install`, `add`, `remove`, `update`,
 * `outdated`, `tree`, `verify`) and the OCI commands, as functions with typed options and
 * results. Nothing here prints or exits the process: progress goes to `onEvent`, failures are
 * {@link WitDepsError}s (see {@link ErrorDetails}), and an `AbortSignal` stops a command
 * (`ERR_INTERRUPTED`). The pure WIT toolchain is the `wit-deps/wit` entry point.
 *
 * Options default to the current process: `cwd` to `process.cwd()`, `env` (registry settings,
 * credentials, `WIT_DEPS_*` knobs) to `process.env`.
 */
import { resolve as resolvePath } from 'node:path';
import { WitDepsError, type ErrorCode } from './errors.js';
import {
  install as installApp,
  type InstallOptions as AppInstallOptions,
  type InstallResult,
} from './app/deps/install.js';
import {
  addPackages,
  removePackages,
  updatePackages,
  type AddOptions as AppAddOptions,
  type ManageResult,
} from './app/deps/add-remove.js';
import type { NetworkFlags } from './app/source/network-settings.js';
import type { ProjectOptions as AppProjectOptions } from './app/project/project-inputs.js';
import { outdated as outdatedApp, type OutdatedRow } from './app/deps/outdated.js';
import { tree as treeApp } from './app/deps/tree.js';
import type { TreeNode, TreePath } from './app/deps/tree.js';
import type { ProjectSourceOptions as AppSourceOptions } from './app/project/project-sources.js';
import { verify as verifyApp, type VerifyProblem } from './app/deps/verify.js';
import type { DetailsOf, WitErrorDetails } from './wit-api.js';

export { WitDepsError, ERROR_CODES, type ErrorCode, type WitDepsErrorOptions } from './errors.js';
export { VERSION } from './version.js';
export type {
  InstallEvent,
  InstallResult,
  InstalledPackage,
  InstalledPath,
} from './app/deps/install.js';
export type { ManageResult } from './app/deps/add-remove.js';
export type { OutdatedRow } from './app/deps/outdated.js';
export type { TreeNode, TreePath } from './app/deps/tree.js';
export type { VerifyProblem } from './app/deps/verify.js';
export type { WitErrorDetails } from './wit-api.js';
export {
  ociPull,
  ociPush,
  ociInspect,
  ociTags,
  type OciRequest,
  type OciEvent,
  type PullResult,
  type PushResult,
  type InspectResult,
  type TagsResult,
} from './app/oci/artifacts.js';
export * as oci from './oci/index.js';
export { credentialProvider } from './registry/credentials.js';

export type { NetworkFlags } from './app/source/network-settings.js';
export type { DetailsOf } from './wit-api.js';

/** Progress of `outdated` and `tree`: tag lists, manifests, downloads, cache hits. */
export type FetchEvent = Parameters<NonNullable<AppSourceOptions['onEvent']>>[0];

/** One package whose locked versions (or requirement strings) changed. */
export type LockChange = InstallResult['lockDiff'][number];

/** A set of environment variables. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The registry knobs of the CLI's flags (`--retries`, `--timeout` in seconds, ...). */
export type NetworkOptions = { [K in keyof NetworkFlags]?: NetworkFlags[K] | number };

/** Where a command runs; shared by every project command. */
export interface ProjectOptions {
  /** The project folder (default `process.cwd()`). */
  cwd?: string;
  /** Environment variables read for settings and credentials (default `process.env`). */
  env?: Env;
  /** The shared cache folder (`--cache-dir`, env `WIT_DEPS_CACHE_DIR`). */
  cacheDir?: string;
  /** The wasm-pkg `config.toml` (`--config`, env `WKG_CONFIG_FILE`). */
  config?: string;
  /** Stops the command: it fails with `ERR_INTERRUPTED`, leaving the project as it was. */
  signal?: AbortSignal;
}

type Internal = 'cwd' | 'env' | 'cacheDir' | 'config' | 'signal' | 'network';

/** Options of {@link outdated} and {@link tree}: offline modes, concurrency, network knobs. */
export type ReportOptions = ProjectOptions &
  Omit<AppSourceOptions, Internal> & { network?: NetworkOptions };

/** Options of {@link install}, {@link remove} and {@link update}. */
export type InstallOptions = ProjectOptions &
  Omit<AppInstallOptions, Internal | 'unlock'> & { network?: NetworkOptions };

/** Options of {@link add}: `registry` to take the packages from, or `path` for a path dependency. */
export type AddOptions = InstallOptions & Pick<AppAddOptions, 'registry' | 'path'>;

/** Options of {@link update}. */
export type UpdateOptions = InstallOptions & {
  /** Raise each requirement whose newest stable version lies outside it to that version. */
  latest?: boolean;
};

/** What {@link outdated} returns. */
export interface OutdatedResult {
  packages: OutdatedRow[];
  requests: number;
}

/** What {@link tree} returns. */
export interface TreeResult {
  roots: TreeNode[];
  paths: TreePath[];
  requests: number;
}

/** What {@link verify} returns (it throws `ERR_VERIFY_FAILED` when it finds problems). */
export interface VerifyResult {
  checked: number;
  paths: number;
  problems: VerifyProblem[];
}

/**
 * The documented `details` of errors, by code; every error also has `message` and `hint`.
 * Keys not listed may be present too (`Record<string, unknown>`).
 */
export interface ErrorDetails extends WitErrorDetails {
  ERR_RESOLVE_NO_MATCH: {
    package: string;
    requirement?: string;
    requiredBy?: string;
    available?: string[];
  };
  ERR_RESOLVE_NOT_FOUND: { package?: string };
  ERR_RESOLVE_CONFLICT: { package?: string };
  ERR_OFFLINE: { package?: string; digest?: string };
  ERR_INTEGRITY_MISMATCH: { expected?: string; actual?: string; package?: string };
  ERR_LOCKFILE_OUTDATED: { packages: string[]; changes: LockChange[] };
  ERR_VERIFY_FAILED: { problems: VerifyProblem[] };
  ERR_FS: { path?: string; errno?: string };
  ERR_INTERRUPTED: Record<string, never>;
}

/**
 * True when `value` is a {@link WitDepsError}, and has `code` when one is given; `details` are
 * then typed for that code ({@link ErrorDetails}).
 */
export function isWitDepsError<C extends ErrorCode = ErrorCode>(
  value: unknown,
  code?: C,
): value is WitDepsError & { code: C; details: DetailsOf<C, ErrorDetails> } {
  return value instanceof WitDepsError && (code === undefined || value.code === code);
}

const TEST_HOOK = /^WIT_DEPS_TEST_HOOK_/;

/** The app layer's options: absolute `cwd`, `env` without test hooks, string network knobs. */
function appOptions<O extends ProjectOptions & { network?: NetworkOptions }>(
  options: O,
): Omit<O, 'network'> & AppProjectOptions & { network?: NetworkFlags } {
  const env = Object.fromEntries(
    Object.entries(options.env ?? process.env).filter(([k]) => !TEST_HOOK.test(k)),
  );
  const { network, ...rest } = options;
  const flags =
    network === undefined
      ? {}
      : {
          network: Object.fromEntries(
            Object.entries(network).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]),
          ) as NetworkFlags,
        };
  const cwd = resolvePath(options.cwd ?? process.cwd());
  // the rest are the app layer's own options, passed through unchanged
  return { ...rest, ...flags, cwd, env } as Omit<O, 'network'> &
    AppProjectOptions & { network?: NetworkFlags };
}

/** Anything thrown as a {@link WitDepsError}: an abort, a file-system error, or a bug. */
function asWitDepsError(error: unknown, signal: AbortSignal | undefined): WitDepsError {
  if (error instanceof WitDepsError) return error;
  if (signal?.aborted === true)
    return new WitDepsError('ERR_INTERRUPTED', 'interrupted', { cause: error });
  const errno = (error as { code?: unknown } | null)?.code;
  const path = (error as { path?: unknown } | null)?.path;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno))
    return new WitDepsError(
      'ERR_FS',
      `${typeof path === 'string' ? `\`${path}\`` : 'a file'} cannot be accessed (${errno})`,
      {
        hint: 'check the files and folders the command uses, then run it again',
        cause: error,
        details: { ...(typeof path === 'string' ? { path } : {}), errno },
      },
    );
  const message = error instanceof Error ? error.message : String(error);
  return new WitDepsError('ERR_INTERNAL', `internal error: ${message}`, {
    hint: 'this is a bug in wit-deps; report it with this message',
    cause: error,
  });
}

/** Runs an app function, turning whatever it throws into a {@link WitDepsError}. */
async function run<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asWitDepsError(error, signal);
  }
}

const list = (names: string | readonly string[]): readonly string[] =>
  typeof names === 'string' ? [names] : names;

/**
 * Installs the project's dependencies: resolves `wit.toml` (and the WIT sources' references)
 * against the lock and the registries, writes `wit/deps/` and `wkg.lock`. With `locked`, fails
 * with `ERR_LOCKFILE_OUTDATED` before writing if the lock would change; `offline` uses only the
 * cache; `frozen` is both. Progress: {@link InstallEvent}s to `onEvent`.
 */
export function install(options: InstallOptions = {}): Promise<InstallResult> {
  return run(options.signal, () => installApp(appOptions(options)));
}

/**
 * Adds dependencies (`ns:pkg` or `ns:pkg@range`; without a range the latest stable version, as
 * a caret requirement) to `wit.toml` and installs. With `options.path`, adds a path dependency.
 */
export function add(
  packages: string | readonly string[],
  options: AddOptions = {},
): Promise<ManageResult> {
  return run(options.signal, () => addPackages(list(packages), appOptions(options)));
}

/** Removes dependencies from `wit.toml` and installs (their folders and lock entries go). */
export function remove(
  packages: string | readonly string[],
  options: InstallOptions = {},
): Promise<ManageResult> {
  return run(options.signal, () => removePackages(list(packages), appOptions(options)));
}

/** Re-resolves the named packages (all when none are named) ignoring the lock, and installs. */
export function update(
  packages: string | readonly string[] = [],
  options: UpdateOptions = {},
): Promise<ManageResult> {
  return run(options.signal, () => updatePackages(list(packages), appOptions(options)));
}

/** Per registry dependency: the locked version, the highest it allows, and the latest stable. */
export function outdated(options: ReportOptions = {}): Promise<OutdatedResult> {
  return run(options.signal, () => outdatedApp(appOptions(options)));
}

/** The resolved dependency graph from the roots down, resolved like an install, written nowhere. */
export function tree(options: ReportOptions = {}): Promise<TreeResult> {
  return run(options.signal, () => treeApp(appOptions(options)));
}

/**
 * Checks, with no network, that every locked package is in the cache with its digest and that
 * its `wit/deps` folder is as installed; throws `ERR_VERIFY_FAILED` (`details.problems`) if not.
 */
export function verify(options: ProjectOptions = {}): Promise<VerifyResult> {
  return run(options.signal, () => verifyApp(appOptions(options)));
}
