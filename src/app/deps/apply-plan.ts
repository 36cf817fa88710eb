/**
 * Carrying out an install plan on disk, as one unit: every wanted `wit/deps` folder is printed
 * from its decoded package (or takes a path package's files, as planned) into a staging folder
 * first (nothing visible changes while printing), then the commit moves the staged folders in,
 * moves stale folders wit-deps created out, and writes the lock when its bytes change, under a
 * journal that any later command replays if the process died half-way
 * (`project/install-commit-io.ts`). Folders the user made are never touched, except those taken
 * over from another tool (`takeover.ts`), which the journal names. Before the journal,
 * every folder the commit replaces or removes is checked (a real folder wit-deps wrote, inside the
 * project, writable; `project/commit-checks-io.ts`), so a commit that could not finish fails with
 * nothing changed and no journal left. Ctrl-C before the journal discards the staging folder.
 */
import { join } from 'node:path';
import { WitDepsError } from '../../errors.js';
import type { DecodedStore } from '../source/decoded-store.js';
import { PACKAGE_FILE } from '../../project/deps-layout.js';
import { checkBeforeJournal } from '../../project/commit-checks-io.js';
import {
  commitInstall,
  createStage,
  discardStage,
  journalOf,
  stageDepsFolder,
  type Checkpoint,
} from '../../project/install-commit-io.js';
import { STAGE_NEW, type JournalFile } from '../../project/install-journal.js';
import { serializeLock } from '../../project/wkg-lock.js';
import { mapBounded } from '../../resolve/driver.js';
import type { InstallPlan, PlannedPackage } from '../../resolve/plan.js';

/** Inputs of {@link applyPlan}. */
export interface ApplyInput {
  plan: InstallPlan;
  depsDir: string;
  root: string;
  lockText: string | undefined;
  /**
   * No `wkg.lock` is created when it would list nothing (a project of the Rust wit-deps tool,
   * whose packages all come from `wit/deps.toml`: its lock is `deps.lock`).
   */
  noEmptyLock?: boolean;
  /** The registry packages, decoded once (their layers read through the session's source). */
  packages: DecodedStore;
  concurrency: number;
  /** Called when a package's folder is staged (it becomes visible at the commit). */
  onWrite?: (pkg: PlannedPackage) => void;
  /** Folders without a marker the commit replaces or removes (taken over, see `takeover.ts`). */
  takeover?: readonly string[];
  /** Ctrl-C: an abort before the commit discards the staged folders (`ERR_INTERRUPTED`). */
  signal?: AbortSignal;
  /** Called after each commit step (the `committed` event, and the test hook of `test-hook.ts`). */
  checkpoint?: Checkpoint;
  /** Project files the commit replaces too (`update --wit`: the WIT files and wit.toml). */
  files?: readonly JournalFile[];
  /** Called with the staged state before the journal: throwing discards it, nothing written. */
  beforeJournal?: (staged: StagedState) => Promise<void>;
}

/** What a commit will make of `wit/deps`: folders in `fresh` replace those in `depsDir`. */
export interface StagedState {
  depsDir: string;
  fresh: string;
  write: readonly string[];
  remove: readonly string[];
}

/** The files of a package's folder: a path package's own files, or the printed package. */
export async function folderFiles(
  p: PlannedPackage,
  packages: DecodedStore,
): Promise<Readonly<Record<string, string>>> {
  if (p.files !== undefined) return p.files;
  // the WIT codec is loaded only when a folder is printed
  const decoded = await packages.get(p.id, p.digest);
  const { printWitPackage } = await import('../../wit/index.js');
  return { [PACKAGE_FILE]: printWitPackage(decoded.resolve, decoded.package) };
}

/**
 * The new lock text, or null when the lock file stays as it is. A project with nothing to lock
 * gets `packages = []`, as wkg writes it.
 */
function newLockText(input: ApplyInput): string | null {
  const empty = input.plan.lock.packages.length === 0 && input.lockText === undefined;
  if (empty && input.noEmptyLock === true) return null;
  const text = serializeLock(input.plan.lock);
  return text === input.lockText ? null : text;
}

/** Applies the plan; returns whether the lock file was written. */
export async function applyPlan(input: ApplyInput): Promise<boolean> {
  const { plan, depsDir } = input;
  const lock = newLockText(input);
  const files = input.files ?? [];
  const idle = plan.write.length === 0 && plan.remove.length === 0 && files.length === 0;
  if (idle && lock === null) return false;
  const stage = await createStage(depsDir);
  const failures: unknown[] = [];
  // every task settles before the stage is discarded, so none writes into a removed folder
  await mapBounded(plan.write, input.concurrency, async (p) => {
    if (failures.length > 0) return;
    try {
      const files = await folderFiles(p, input.packages);
      await stageDepsFolder(stage, p.folder, files, { id: p.id, digest: p.digest });
      input.onWrite?.(p);
    } catch (error) {
      failures.push(error);
    }
  });
  if (input.signal?.aborted === true)
    failures.push(new WitDepsError('ERR_INTERRUPTED', 'interrupted before committing the install'));
  const changes = {
    write: plan.write.map((p) => p.folder),
    remove: plan.remove,
    takeover: input.takeover ?? [],
  };
  if (failures.length === 0)
    await checkBeforeJournal(input.root, stage, changes)
      .then(() => input.beforeJournal?.({ depsDir, fresh: join(stage.dir, STAGE_NEW), ...changes }))
      .catch((e: unknown) => failures.push(e));
  if (failures.length > 0) {
    await discardStage(stage);
    throw failures[0];
  }
  const journal = journalOf(input.root, stage, { ...changes, lock, files });
  await commitInstall(input.root, journal, input.checkpoint);
  return lock !== null;
}
