/**
 * Committing an install so that the project holds its old `wit/deps` and `wkg.lock` or the new
 * ones, never a mix, whenever the process dies (docs/install.md, "Failure safety").
 *
 * 1. Stage: every new folder is written complete under `<wit>/.wit-deps-stage-<pid>-<nonce>/new/`,
 *    invisible to WIT tools (they read `<wit>/*.wit` and `<wit>/deps/*`). A failure or kill here
 *    leaves the project as it was; the staging folder is swept later.
 * 2. Journal: `.wit-deps-journal.json` (written atomically, flushed) lists the folders to move
 *    in, the folders to remove and the new lock text. From here on the install is decided.
 * 3. Replay: each step is a rename (or the atomic write of a project file, `update --wit`'s WIT
 *    files and wit.toml, then of the lock) and is skipped when already done,
 *    so replaying a journal any number of times, interrupted anywhere, ends in the new state.
 * 4. The journal is deleted (the commit point is complete), then the staging folder.
 *
 * Any later command finds a journal left by a killed install and replays it first
 * (`install-recovery-io.ts`). What is checked before the journal and before a replay, so every
 * rename stays inside the project's `wit/deps` and never goes through a symbolic link, is in
 * `commit-checks-io.ts`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { WitDepsError } from '../errors.js';
import { projectError } from './error-text.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { entryKind } from '../fs/confine.js';
import { makeDir } from '../fs/make-dir.js';
import { checkJournalPaths } from './commit-checks-io.js';
import { readMarker, writeFolderFiles } from './deps-io.js';
import type { FolderMarker } from './deps-layout.js';
import {
  JOURNAL_FILE,
  STAGE_NEW,
  STAGE_PREFIX,
  serializeJournal,
  type InstallJournal,
  type JournalFile,
} from './install-journal.js';
import { LOCK_FILE } from './lock-file-io.js';

/**
 * Called after each step of a commit with the step's name (`staged`, `journal`,
 * `aside <folder>`, `in <folder>`, `remove <folder>`, `lock`, `done`). The install reports
 * `journal` as its `committed` event; the test hook (`app/deps/test-hook.ts`) stops an install at an
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
  await makeDir(dirname(depsDir));
  await mkdir(dir); // exclusive: never write into a folder (or through a link) made by someone else
  await mkdir(join(dir, STAGE_NEW));
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

/** Removes a staging folder (an install that failed before its journal was written). */
export async function discardStage(stage: Stage): Promise<void> {
  await rm(stage.dir, { recursive: true, force: true });
}

/** The journal of a commit: the staged folders replace or add, `remove` go, the lock becomes `lock`. */
export function journalOf(
  root: string,
  stage: Stage,
  changes: {
    write: readonly string[];
    remove: readonly string[];
    takeover?: readonly string[];
    lock: string | null;
    files?: readonly JournalFile[];
  },
): InstallJournal {
  const files = changes.files ?? [];
  return {
    depsDir: relative(root, stage.depsDir).split(sep).join('/'),
    stage: stage.name,
    write: [...changes.write],
    remove: [...changes.remove],
    ...(changes.takeover === undefined || changes.takeover.length === 0
      ? {}
      : { takeover: [...changes.takeover] }),
    lock: changes.lock,
    ...(files.length === 0 ? {} : { files: [...files] }),
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

function notOurs(folder: string, path: string, what: string): WitDepsError {
  return projectError('deps-entry-appeared', { folder, path, problem: what });
}

/**
 * Moves `deps/<folder>` (a folder wit-deps wrote, or one the journal takes over) to
 * `old/<folder>`, unless it is gone. A file or a symbolic link there is refused, never moved or
 * followed.
 */
async function moveAside(
  deps: string,
  old: string,
  folder: string,
  takeover: readonly string[],
): Promise<boolean> {
  const path = join(deps, folder);
  const kind = await entryKind(path);
  if (kind === 'missing') return false;
  if (kind !== 'directory') throw notOurs(folder, path, `is not a folder (${kind})`);
  if (!takeover.includes(folder) && (await readMarker(path)) === undefined)
    throw notOurs(folder, path, 'was not written by wit-deps');
  await rename(path, join(old, folder));
  return true;
}

/** Whether `new/<folder>` is still staged (a real folder; a link there is refused). */
async function staged(fresh: string, folder: string): Promise<boolean> {
  const kind = await entryKind(join(fresh, folder));
  if (kind === 'missing') return false; // moved in already
  if (kind === 'directory') return true;
  throw projectError('staged-not-folder', { path: join(fresh, folder), entry: kind });
}

/** Carries out a journal; every step is skipped when already done (idempotent). */
export async function replayJournal(
  root: string,
  journal: InstallJournal,
  checkpoint: Checkpoint = () => Promise.resolve(),
): Promise<void> {
  // every path the journal names is checked before the first rename (a planted journal moves nothing)
  const { deps, stage, fresh, old } = await checkJournalPaths(root, journal);
  await makeDir(old);
  await makeDir(deps);
  for (const folder of journal.write) {
    if (!(await staged(fresh, folder))) continue;
    if (await moveAside(deps, old, folder, journal.takeover ?? []))
      await checkpoint(`aside ${folder}`);
    await rename(join(fresh, folder), join(deps, folder));
    await checkpoint(`in ${folder}`);
  }
  for (const folder of journal.remove)
    if (await moveAside(deps, old, folder, journal.takeover ?? []))
      await checkpoint(`remove ${folder}`);
  for (const file of journal.files ?? []) {
    await writeFileAtomic(join(root, ...file.path.split('/')), file.text);
    await checkpoint(`file ${file.path}`);
  }
  if (journal.lock !== null) {
    await writeFileAtomic(join(root, LOCK_FILE), journal.lock);
    await checkpoint('lock');
  }
  await rm(join(root, JOURNAL_FILE), { force: true });
  await checkpoint('done');
  await rm(stage, { recursive: true, force: true });
}
