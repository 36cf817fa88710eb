/**
 * `wit-deps install`: resolve the project's dependencies, fetch what the cache lacks, write
 * `wit/deps/<ns>-<name>-<version>/package.wit` per package and `wkg.lock`.
 *
 * Steps: take the project lock; finish an install killed while committing (its journal); read
 * the project; resolve (the pure resolver in rounds, facts fetched in parallel, bounded); plan
 * (pure); check `--locked`; apply the plan (staged, then committed under a journal, see
 * `apply-plan.ts`); release the lock.
 * Modes: `--locked` fails with `ERR_LOCKFILE_OUTDATED` if the lock would change, before anything
 * is written; `--offline` never touches the network (cache only); `--frozen` is both;
 * `--prefer-offline` takes cached tag lists of any age. With a lock and a warm cache an install
 * makes no network request at all.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { WitDepsError, throwIfInterrupted } from '../../errors.js';
import type { Checkpoint } from '../../project/install-commit-io.js';
import { serializeLock } from '../../project/wkg-lock.js';
import { listDepsFolders } from '../../project/deps-io.js';
import { resolveDependencies } from '../../resolve/driver.js';
import type { ResolvedGraph } from '../../resolve/graph.js';
import { duplicatePackages, type DuplicatePackage } from '../../resolve/duplicates.js';

export type { DuplicatePackage } from '../../resolve/duplicates.js';
import { findLockedVersion, withPins, type Lock, type PinnedVersion } from '../../resolve/lock.js';
import { describeLockChange, lockChanges, type LockChange } from '../../resolve/lock-diff.js';
import { depsFolderName } from '../../resolve/package-name.js';
import {
  markerPins,
  planInstall,
  type ExistingFolder,
  type InstallPlan,
  type LockShape,
  type StaleLockEntry,
} from '../../resolve/plan.js';
import { applyPlan, folderFiles, type ApplyInput } from './apply-plan.js';
import type { WitProblem } from './post-install-check.js';
import { describeUnmarked, settleTakeovers, type TakenOver } from './takeover.js';
import type { RustDepsResult } from './rust-deps.js';
import { checkPathPackages } from './path-check.js';
import type { FetchEvent } from '../source/cached-source.js';
import { lockCause } from './lock-cause.js';
import type { ProjectInputs } from '../project/project-inputs.js';
import type { ProjectSourceOptions, ProjectSources } from '../project/project-sources.js';
import { withProject, type ProjectHandle } from '../project/project-handle.js';
import { testHookCheckpoint } from './test-hook.js';

/** Options of {@link install}. */
export interface InstallOptions extends ProjectSourceOptions {
  locked?: boolean;
  /** Package names to re-resolve ignoring the lock (`update`); `true` for all. */
  unlock?: ReadonlySet<string> | true;
  /** How long to wait for another install of the same project, in ms. */
  lockWaitMs?: number | undefined;
  onEvent?: (event: InstallEvent) => void;
  /** Project files committed with the install (`update --wit`), and a check of the staged state. */
  commitFiles?: Pick<ApplyInput, 'files' | 'beforeJournal'>;
}

/** Progress events. */
export type InstallEvent =
  | FetchEvent
  | { kind: 'waiting-for-lock' }
  | { kind: 'resolved'; packages: number }
  /** The write phase starts: this many `wit/deps` folders will be written. */
  | { kind: 'writing'; folders: number }
  | { kind: 'write'; id: string; folder: string }
  /**
   * The commit journal is written: the install's changes are decided. If it fails after this, the
   * next wit-deps command finishes it (docs/install.md, "Failure safety").
   */
  | { kind: 'committed' };

/** One installed package. */
export interface InstalledPackage {
  id: string;
  name: string;
  version: string;
  digest: string;
  folder: string;
  direct: boolean;
  status: 'written' | 'unchanged' | 'blocked';
}

/** One installed path dependency (never in the lock). */
export interface InstalledPath {
  /** `name@version`, or `name` when its package header has no version. */
  id: string;
  name: string;
  version: string | undefined;
  path: string;
  folder: string;
  status: InstalledPackage['status'];
}

/** What an install did. */
export interface InstallResult {
  packages: InstalledPackage[];
  paths: InstalledPath[];
  removed: string[];
  lockChanged: boolean;
  lockWritten: boolean;
  /** The packages whose locked versions (or requirements) changed, e.g. by `update`. */
  lockDiff: LockChange[];
  /** `direct` when wkg.lock lists direct dependencies only (as wkg writes it), else `all`. */
  lockShape: LockShape;
  /** Entries of the previous wkg.lock that matched no requirement any more: dropped. */
  staleLockEntries: StaleLockEntry[];
  /** Packages installed at several versions, as no one version satisfies every requirement. */
  duplicates: DuplicatePackage[];
  /** Folders another tool wrote (wkg, or a hand-vendored copy) that the install took over. */
  takenOver: TakenOver[];
  /** The project's own WIT does not resolve against wit/deps (a warning; `--locked` fails). */
  witProblem?: WitProblem;
  /** The Rust wit-deps tool's `wit/deps.toml` entries, when the project has one. */
  rustDeps?: RustDepsResult;
  /** HTTP requests made. */
  requests: number;
  durationMs: number;
}

/** What happened to each package and path package, by folder. */
function outcome(
  graph: ResolvedGraph,
  plan: InstallPlan,
  takenOver: readonly TakenOver[],
): Pick<InstallResult, 'packages' | 'paths'> {
  // an adopted folder keeps its text: only the marker is new
  const adopted = new Set(takenOver.filter((t) => t.action === 'adopted').map((t) => t.folder));
  const written = new Set(plan.write.map((p) => p.folder).filter((f) => !adopted.has(f)));
  const blocked = new Set(plan.blocked.map((p) => p.folder));
  const statusOf = (folder: string): InstalledPackage['status'] =>
    blocked.has(folder) ? 'blocked' : written.has(folder) ? 'written' : 'unchanged';
  return {
    packages: graph.nodes.map((n) => {
      const folder = depsFolderName(n.name, n.version);
      const { id, name, version, digest, direct } = n;
      return { id, name, version, digest, folder, direct, status: statusOf(folder) };
    }),
    paths: graph.paths.map((p) => {
      const folder = depsFolderName(p.name, p.version);
      const { id, name, version, path } = p;
      return { id, name, version, path, folder, status: statusOf(folder) };
    }),
  };
}

/**
 * Runs `fn` holding the project lock, as every install-family command does (waiting for another
 * process's lock is reported as an event).
 */
export function withLockedProject<T>(
  options: InstallOptions,
  fn: (project: ProjectHandle) => Promise<T>,
): Promise<T> {
  const access = {
    mode: 'write',
    lockWaitMs: options.lockWaitMs,
    onWait: () => options.onEvent?.({ kind: 'waiting-for-lock' }),
  } as const;
  return withProject(options, access, fn);
}

/** The commit checkpoint: reports `committed` after the journal, then the test hook if set. */
function checkpointOf(options: InstallOptions): Checkpoint {
  const hook = testHookCheckpoint(options.env);
  return async (step) => {
    if (step === 'journal') options.onEvent?.({ kind: 'committed' });
    await hook?.(step);
  };
}

/**
 * The digests the `wit/deps` folder markers pin (a wkg lock lists direct packages only: the
 * markers pin the others), for registry packages only.
 */
export function folderPins(
  project: Pick<ProjectSources['project'], 'roots' | 'registryOf'>,
  existing: readonly ExistingFolder[],
): PinnedVersion[] {
  const paths = new Set(project.roots.flatMap((r) => (r.path === undefined ? [] : [r.name])));
  return markerPins(existing, (name) => {
    if (paths.has(name)) return null;
    try {
      return project.registryOf(name);
    } catch {
      return null; // no registry for its namespace: the resolver says so if it is needed
    }
  });
}

/** Resolves the graph (lock first) and plans the folders, the fetches and the new lock. */
async function resolveAndPlan(
  session: ProjectSources,
  options: InstallOptions,
  concurrency: number,
): Promise<{
  graph: ResolvedGraph;
  plan: InstallPlan;
  existing: ExistingFolder[];
  takenOver: TakenOver[];
}> {
  const { project, source } = session;
  const existing = await listDepsFolders(project.depsDir);
  const unmarked = await describeUnmarked(project.depsDir, existing);
  const pins = folderPins(project, existing);
  const graph = await resolveDependencies(
    {
      roots: project.roots,
      lock: withPins(project.lock, pins),
      registryOf: project.registryOf,
      ...(options.unlock === undefined ? {} : { unlock: options.unlock }),
    },
    source,
    { concurrency },
  ).catch((error: unknown) => {
    throw unpinnedOffline(markerMismatch(error, project.lock, pins, project.registryOf), project);
  });
  options.onEvent?.({ kind: 'resolved', packages: graph.nodes.length });
  const plan = planInstall(graph, project.lock, existing, source.paths.files());
  const takenOver = await settleTakeovers(plan, unmarked, (p) => folderFiles(p, source.packages));
  return { graph, plan, existing, takenOver };
}

/**
 * `--offline` and a package nothing pins (a transitive package of a direct-only wkg.lock whose
 * wit/deps folder is gone): the hint says why its digest is unknown.
 */
function unpinnedOffline(error: unknown, project: ProjectSources['project']): unknown {
  if (!(error instanceof WitDepsError) || error.code !== 'ERR_OFFLINE') return error;
  const name = error.details?.['package'];
  if (typeof name !== 'string' || !error.message.startsWith('version ')) return error;
  if (project.lock.packages.some((p) => p.name === name)) return error;
  return new WitDepsError(error.code, error.message, {
    hint: `wkg.lock does not list \`${name}\` (a wkg lock lists direct dependencies only) and no wit/deps folder pins its digest: run \`wit-deps install\` once without \`--offline\`/\`--frozen\` (see docs/install.md, "wkg.lock")`,
    cause: error,
    details: error.details ?? {},
  });
}

/**
 * A registry digest that differs from the one a folder marker pinned (not the lock): says so,
 * and how to take the registry's bytes (the folder goes, so nothing pins the version).
 */
function markerMismatch(
  error: unknown,
  lock: Lock,
  pins: readonly PinnedVersion[],
  registryOf: (name: string) => string | undefined,
): unknown {
  if (!(error instanceof WitDepsError) || error.code !== 'ERR_INTEGRITY_MISMATCH') return error;
  const { package: name, version, expected, actual } = error.details ?? {};
  const pin = pins.find((p) => p.name === name && p.version === version && p.digest === expected);
  if (pin === undefined || findLockedVersion(lock, pin.name, registryOf(pin.name), pin.version))
    return error;
  const folder = depsFolderName(pin.name, pin.version);
  return new WitDepsError(
    'ERR_INTEGRITY_MISMATCH',
    `\`${pin.name}@${pin.version}\` has digest \`${String(actual)}\` in its registry but wit/deps/${folder} was installed from \`${pin.digest}\` (wkg.lock does not list it)`,
    {
      hint: `the tag was re-published, or the folder came from another source; if that is expected delete wit/deps/${folder} and run \`wit-deps install\``,
      cause: error,
      details: { ...error.details, folder },
    },
  );
}

/** `--locked`/`--frozen`: fails before anything is written if the lock would change. */
function checkLocked(
  options: InstallOptions,
  plan: InstallPlan,
  previous: {
    lock: Lock;
    lockText: string | undefined;
    roots: ProjectInputs['roots'];
    registryOf: ProjectInputs['registryOf'];
  },
): void {
  if (options.locked !== true && options.frozen !== true) return;
  const { lockText } = previous;
  const newText = serializeLock(plan.lock);
  const wouldChange = lockText === undefined ? plan.lock.packages.length > 0 : newText !== lockText;
  if (!wouldChange) return;
  const changes = lockChanges(previous.lock, plan.lock);
  const shown = changes.slice(0, 3).map(describeLockChange);
  if (changes.length > 3) shown.push(`${changes.length - 3} more`);
  const what = lockText === undefined ? 'wkg.lock is missing' : 'wkg.lock needs to be updated';
  const flag = options.frozen === true ? '--frozen' : '--locked';
  // the cause first: the requirement no lock entry was made for (a missing lock is its own cause)
  const cause =
    lockText === undefined
      ? undefined
      : lockCause(previous.roots, previous.lock, previous.registryOf);
  throw new WitDepsError(
    'ERR_LOCKFILE_OUTDATED',
    `${cause === undefined ? '' : `${cause}, which wkg.lock does not record: `}${what}${shown.length === 0 ? '' : ` (${shown.join('; ')})`} but ${flag} was given`,
    {
      hint: 'run `wit-deps install` without `--locked`/`--frozen` and commit the new wkg.lock',
      details: { packages: plan.lock.packages.map((p) => p.name), changes },
    },
  );
}

/**
 * `--locked`/`--frozen`: a wanted folder that stays blocked (not written by wit-deps, holding
 * another package) fails before anything is written, as the install would not be complete.
 */
function checkBlocked(
  options: InstallOptions,
  plan: InstallPlan,
  existing: readonly ExistingFolder[],
  depsDir: string,
): void {
  const first = plan.blocked[0];
  if ((options.locked !== true && options.frozen !== true) || first === undefined) return;
  const defines = existing.find((e) => e.folder === first.folder)?.defines;
  const holds = defines === undefined ? 'no WIT package wit-deps can read' : `\`${defines}\``;
  const more = plan.blocked.length > 1 ? ` (and ${plan.blocked.length - 1} more)` : '';
  throw new WitDepsError(
    'ERR_FS',
    `wit/deps/${first.folder} was not written by wit-deps and holds ${holds}, so \`${first.id}\` cannot be installed${more} but --locked was given`,
    {
      hint: `move \`${join(depsDir, first.folder)}\` out of wit/deps (wit-deps only replaces folders it wrote or copies of the package it installs), then run \`wit-deps install\``,
      details: { folders: plan.blocked.map((p) => p.folder), package: first.id },
    },
  );
}

/** Runs an install: resolve, plan, check, then apply the plan as one unit. */
export function install(options: InstallOptions): Promise<InstallResult> {
  return withLockedProject(options, (project) => installInProject(project, options));
}

/**
 * The install of a project whose lock the command holds (`add`/`remove`/`update` take it around
 * their wit.toml edit and install within it).
 */
export async function installInProject(
  handle: ProjectHandle,
  options: InstallOptions,
): Promise<InstallResult> {
  const started = performance.now();
  // `update --wit` resolves its edited texts before writing them
  const session = await handle.sources(
    options.pending === undefined ? {} : { pending: options.pending },
  );
  const { project, source } = session;
  await project.cache.sweepOrphans();
  const rust = await rustDepsOf(project, options);
  const concurrency = options.concurrency ?? 8;
  const { graph, plan, existing, takenOver } = await resolveAndPlan(session, options, concurrency);
  const { lockText } = project;
  const { packages } = source;
  await checkPathPackages({ graph, plan, paths: source.paths, packages });
  checkLocked(options, plan, {
    lock: project.lock,
    lockText,
    roots: project.roots,
    registryOf: project.registryOf,
  });
  checkBlocked(options, plan, existing, project.depsDir);
  throwIfInterrupted(options.signal, 'before writing anything');
  options.onEvent?.({ kind: 'writing', folders: plan.write.length });
  const lockWritten = await applyPlan({
    plan,
    depsDir: project.depsDir,
    root: project.root,
    lockText,
    ...(rust === undefined ? {} : { noEmptyLock: true }),
    packages,
    concurrency,
    takeover: takenOver.map((t) => t.folder),
    onWrite: (p) => options.onEvent?.({ kind: 'write', id: p.id, folder: p.folder }),
    checkpoint: checkpointOf(options),
    ...options.commitFiles,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  // the WIT toolchain loads only here, once the install is committed
  const { checkProjectWit } = await import('./post-install-check.js');
  const witProblem = await checkProjectWit(project.witDir, {
    cwd: project.root,
    cache: project.cache,
    ...(options.locked === true ? { locked: true } : {}),
    ...(options.frozen === true ? { frozen: true } : {}),
  });
  return {
    ...outcome(graph, plan, takenOver),
    // a copy of another name that went is reported as replaced, not removed
    removed: plan.remove.filter((f) => !takenOver.some((t) => t.folder === f)),
    lockChanged: plan.lockChanged,
    lockWritten,
    lockDiff: lockChanges(project.lock, plan.lock),
    lockShape: plan.lockShape,
    staleLockEntries: plan.staleLockEntries,
    duplicates: duplicatePackages(graph),
    takenOver,
    ...(witProblem === undefined ? {} : { witProblem }),
    ...(rust === undefined ? {} : { rustDeps: rust.result }),
    requests: handle.requests() + (rust?.requests ?? 0),
    durationMs: Math.round(performance.now() - started),
  };
}

/**
 * The Rust wit-deps tool's `wit/deps.toml` entries, installed first when the file exists; its
 * code (and the tarball fetcher) loads only then, so other installs never load it.
 */
async function rustDepsOf(
  project: ProjectInputs,
  options: InstallOptions,
): Promise<{ result: RustDepsResult; requests: number } | undefined> {
  const present = await lstat(join(project.witDir, 'deps.toml')).then(
    () => true,
    () => false,
  );
  if (!present) return undefined;
  const { rustDepsForInstall } = await import('./rust-deps-install.js');
  return rustDepsForInstall(project, options);
}
