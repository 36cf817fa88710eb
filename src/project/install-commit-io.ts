/**
 * Committing an install so that the project holds its old `wit/deps` and `wkg.lock` or the new
 * ones, never a mix, whenever the process dies (docs/install.md, "Failure safety").
 *
 * 1. Stage: every new folder is written complete under `<wit>/.wit-deps-stage-<pid>-<nonce>/new/`,
 *    invisible to WIT tools (they read `<wit>/*.wit` and `<wit>/deps/*`). A failure or kill here
 *    leaves the project as it was; the staging folder is swept later.
 * 2. Journal: `.wit-deps-journal.json` (written atomically, flushed) lists the folders to move
 *    in, the folders to remove and the new lock text. From here on the install is decided.
 * 3. Replay: each step is a rename (or the atomic lock write) and is skipped when already done,
 *    so replaying a journal any number of times, interrupted anywhere, ends in the new state.
 * 4. The journal is deleted (the commit point is complete), then the staging folder.
 *
 * Any later command finds a journal left by a killed install and replays it first
 * (`install-recovery-io.ts`).
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { WitDepsError, hasErrno } from '../errors.js';
import { writeFileAtomic } from './atomic-io.js';
import { readMarker, writeFolderFiles } from './deps-io.js';
import type { FolderMarker } from './deps-layout.js';
import {
  JOURNAL_FILE,
  STAGE_NEW,
  STAGE_OLD,
  STAGE_PREFIX,
  serializeJournal,
  type InstallJournal,
} from './install-journal.js';
import { LOCK_FILE } from './lock-file-io.js';

/**
 * Called after each step of a commit with the step's name (`staged`, `journal`,
 * `aside <folder>`, `in <folder>`, `remove <folder>`, `lock`, `done`). The install reports
 * `journal` as its `committed` event; the test hook (`app/test-hook.ts`) stops an install at an
 * exact point.
 */
export type Checkpoint = (step: string) => Promise<void>;

/** A staging folder for one install. */
export interface Stage {
  depsDir: string;
  /** The staging folder's name, in the parent of `depsDir`. */
  name: string;
  /** Its absolute path. */
  dir: string;
}

/** Creates an empty staging folder next to `depsDir` (same file system, so renames are atomic). */
export async function createStage(depsDir: string): Promise<Stage> {
  const name = `${STAGE_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  const dir = join(dirname(depsDir), name);
  await mkdir(join(dir, STAGE_NEW), { recursive: true });
  return { depsDir, name, dir };
}

/** Writes one package folder into the stage. */
export async function stageDepsFolder(
  stage: Stage,
  folder: string,
  files: Readonly<Record<string, string>>,
  marker: Omit<FolderMarker, 'files'>,
): Promise<void> {
  await writeFolderFiles(join(stage.dir, STAGE_NEW, folder), files, marker);
}

/**
 * Fails (`ERR_FS`) when `wit/deps` is on another file system than its staging folder (a symbolic
 * link or a mount to another disk): renames between them fail with EXDEV, which would leave a
 * journal that can never be replayed. Called before the journal, so nothing has changed yet.
 */
export async function checkSameFileSystem(stage: Stage): Promise<void> {
  await mkdir(stage.depsDir, { recursive: true });
  const [deps, staged] = await Promise.all([stat(stage.depsDir), stat(stage.dir)]);
  if (deps.dev === staged.dev) return;
  throw new WitDepsError(
    'ERR_FS',
    `\`${stage.depsDir}\` is on another file system than its parent folder, so an install cannot replace its folders atomically`,
    {
      hint: `make \`${stage.depsDir}\` an ordinary folder (not a link or mount to another disk), then run \`wit-deps install\``,
      details: { path: stage.depsDir },
    },
  );
}

/** Removes a staging folder (an install that failed before its journal was written). */
export async function discardStage(stage: Stage): Promise<void> {
  await rm(stage.dir, { recursive: true, force: true });
}

/** The journal of a commit: the staged folders replace or add, `remove` go, the lock becomes `lock`. */
export function journalOf(
  root: string,
  stage: Stage,
  changes: { write: readonly string[]; remove: readonly string[]; lock: string | null },
): InstallJournal {
  return {
    depsDir: relative(root, stage.depsDir).split(sep).join('/'),
    stage: stage.name,
    write: [...changes.write],
    remove: [...changes.remove],
    lock: changes.lock,
  };
}

/** Commits a staged install: journal, replay, then the journal and the stage are deleted. */
export async function commitInstall(
  root: string,
  journal: InstallJournal,
  checkpoint: Checkpoint = () => Promise.resolve(),
): Promise<void> {
  await checkpoint('staged');
  await writeFileAtomic(join(root, JOURNAL_FILE), serializeJournal(journal));
  await checkpoint('journal');
  await replayJournal(root, journal, checkpoint);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

function notOurs(folder: string, path: string): WitDepsError {
  return new WitDepsError(
    'ERR_INSTALL_JOURNAL',
    `wit/deps folder \`${folder}\` appeared during an install and was not written by wit-deps`,
    {
      hint: `move \`${path}\` out of wit/deps, then run \`wit-deps install\` to finish the install`,
      details: { folder, path },
    },
  );
}

/** Moves `deps/<folder>` (a folder wit-deps wrote) to `old/<folder>`, unless it is gone. */
async function moveAside(deps: string, old: string, folder: string): Promise<boolean> {
  const path = join(deps, folder);
  if (!(await exists(path))) return false;
  if ((await readMarker(path)) === undefined) throw notOurs(folder, path);
  await rename(path, join(old, folder));
  return true;
}

/** Carries out a journal; every step is skipped when already done (idempotent). */
export async function replayJournal(
  root: string,
  journal: InstallJournal,
  checkpoint: Checkpoint = () => Promise.resolve(),
): Promise<void> {
  const deps = join(root, journal.depsDir);
  const stage = join(dirname(deps), journal.stage);
  const fresh = join(stage, STAGE_NEW);
  const old = join(stage, STAGE_OLD);
  await mkdir(old, { recursive: true });
  await mkdir(deps, { recursive: true });
  for (const folder of journal.write) {
    if (!(await exists(join(fresh, folder)))) continue; // moved in already
    if (await moveAside(deps, old, folder)) await checkpoint(`aside ${folder}`);
    await rename(join(fresh, folder), join(deps, folder));
    await checkpoint(`in ${folder}`);
  }
  for (const folder of journal.remove)
    if (await moveAside(deps, old, folder)) await checkpoint(`remove ${folder}`);
  if (journal.lock !== null) {
    await writeFileAtomic(join(root, LOCK_FILE), journal.lock);
    await checkpoint('lock');
  }
  await rm(join(root, JOURNAL_FILE), { force: true });
  await checkpoint('done');
  await rm(stage, { recursive: true, force: true });
}
