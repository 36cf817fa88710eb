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
import { WitDepsError, throwIfInterrupted } from '../errors.js';
import type { Checkpoint } from '../project/install-commit-io.js';
import { acquireProjectMutex } from '../project/project-mutex-io.js';
import { serializeLock } from '../project/wkg-lock.js';
import { listDepsFolders } from '../project/deps-io.js';
import { resolveDependencies } from '../resolve/driver.js';
import type { ResolvedGraph } from '../resolve/graph.js';
import type { Lock } from '../resolve/lock.js';
import { describeLockChange, lockChanges, type LockChange } from '../resolve/lock-diff.js';
import { depsFolderName } from '../resolve/package-name.js';
import { planInstall, type InstallPlan } from '../resolve/plan.js';
import { applyPlan } from './apply-plan.js';
import { checkPathPackages } from './path-check.js';
import { lockCause } from './lock-cause.js';
import type { ProjectInputs } from './project-inputs.js';
import type { FetchEvent } from './package-source.js';
import { openSession, type SessionOptions } from './session.js';
import { testHookCheckpoint } from './test-hook.js';

/** Options of {@link install}. */
export interface InstallOptions extends SessionOptions {
  locked?: boolean;
  /** Package names to re-resolve ignoring the lock (`update`); `true` for all. */
  unlock?: ReadonlySet<string> | true;
  /** How long to wait for another install of the same project, in ms. */
  lockWaitMs?: number;
  onEvent?: (event: InstallEvent) => void;
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
  /** HTTP requests made. */
  requests: number;
  durationMs: number;
}

/** What happened to each package and path package, by folder. */
function outcome(
  graph: ResolvedGraph,
  plan: InstallPlan,
): Pick<InstallResult, 'packages' | 'paths'> {
  const written = new Set(plan.write.map((p) => p.folder));
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

/** Takes the project lock for an install-family command (waiting reported as an event). */
export function lockProject(options: InstallOptions): Promise<() => Promise<void>> {
  return acquireProjectMutex(options.cwd, {
    ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }),
    onWait: () => options.onEvent?.({ kind: 'waiting-for-lock' }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

/** The commit checkpoint: reports `committed` after the journal, then the test hook if set. */
function checkpointOf(options: InstallOptions): Checkpoint {
  const hook = testHookCheckpoint(options.env);
  return async (step) => {
    if (step === 'journal') options.onEvent?.({ kind: 'committed' });
    await hook?.(step);
  };
}

type Session = Awaited<ReturnType<typeof openSession>>;

function requireSomethingToInstall(project: Session['project']): void {
  if (project.manifest === undefined && project.roots.length === 0)
    throw new WitDepsError(
      'ERR_MANIFEST_NOT_FOUND',
      `no wit.toml and no WIT references in \`${project.root}\``,
      {
        hint: 'run `wit-deps add <pkg>` (or `wit-deps init` next to a wit/ folder)',
      },
    );
}

/** Resolves the graph (lock first) and plans the folders, the fetches and the new lock. */
async function resolveAndPlan(
  session: Session,
  options: InstallOptions,
  concurrency: number,
): Promise<{ graph: ResolvedGraph; plan: InstallPlan }> {
  const { project, source } = session;
  const graph = await resolveDependencies(
    {
      roots: project.roots,
      lock: project.lock,
      registryOf: project.registryOf,
      ...(options.unlock === undefined ? {} : { unlock: options.unlock }),
    },
    source,
    { concurrency },
  );
  options.onEvent?.({ kind: 'resolved', packages: graph.nodes.length });
  const cached = new Set<string>();
  for (const n of graph.nodes) if (await project.cache.has(n.digest)) cached.add(n.digest);
  const plan = planInstall(
    graph,
    project.lock,
    await listDepsFolders(project.depsDir),
    (d) => cached.has(d),
    source.paths.files(),
  );
  return { graph, plan };
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

/** Runs an install: resolve, plan, check, then apply the plan as one unit. */
export async function install(options: InstallOptions): Promise<InstallResult> {
  const started = performance.now();
  // `add`/`remove`/`update` hold the lock already, around their wit.toml edit
  const release =
    options.projectLockHeld === true ? () => Promise.resolve() : await lockProject(options);
  let session: Session | undefined;
  try {
    session = await openSession({ ...options, projectLockHeld: true });
    const { project, source } = session;
    await project.cache.sweepOrphans();
    requireSomethingToInstall(project);
    const concurrency = options.concurrency ?? 8;
    const { graph, plan } = await resolveAndPlan(session, options, concurrency);
    const { cache, lockText } = project;
    const readPackage = (id: string, digest: string): Promise<Uint8Array> =>
      source.packageBytes(id, digest);
    const { decoded } = source;
    await checkPathPackages({ graph, plan, paths: source.paths, cache, decoded, readPackage });
    checkLocked(options, plan, {
      lock: project.lock,
      lockText,
      roots: project.roots,
      registryOf: project.registryOf,
    });
    throwIfInterrupted(options.signal, 'before writing anything');
    options.onEvent?.({ kind: 'writing', folders: plan.write.length });
    const lockWritten = await applyPlan({
      plan,
      depsDir: project.depsDir,
      root: project.root,
      lockText,
      cache,
      decoded,
      readPackage,
      concurrency,
      onWrite: (p) => options.onEvent?.({ kind: 'write', id: p.id, folder: p.folder }),
      checkpoint: checkpointOf(options),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    return {
      ...outcome(graph, plan),
      removed: plan.remove,
      lockChanged: plan.lockChanged,
      lockWritten,
      lockDiff: lockChanges(project.lock, plan.lock),
      requests: session.requests(),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await session?.close();
    await release();
  }
}
