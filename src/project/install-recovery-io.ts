/**
 * Recovery from an install that was killed or failed while committing: a pending journal is
 * replayed (rolled forward: the project ends in the new state) once every path it names has been
 * checked (`commit-checks-io.ts`: plain names, inside the project, no symbolic links; a planted
 * journal is `ERR_INSTALL_JOURNAL` and moves nothing), then what a killed install leaves
 * is swept: staging folders next to `wit/deps` and temporary siblings of `wkg.lock`, of the
 * journal and of `wit.toml`. Every wit-deps command that reads a project runs
 * {@link settleInterruptedInstall} first; it takes the project lock only when there is something
 * to recover.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { hasErrno, isWitDepsError } from '../errors.js';
import { projectError } from './error-text.js';
import { assertConfined } from '../fs/confine.js';
import { parseTempName } from '../fs/temp-name.js';
import { replayJournal } from './install-commit-io.js';
import {
  JOURNAL_FILE,
  STAGE_PREFIX,
  parseJournal,
  type InstallJournal,
} from './install-journal.js';
import { LOCK_FILE } from './lock-file-io.js';
import { MANIFEST_FILE } from './manifest-io.js';
import { acquireProjectMutex } from './project-mutex-io.js';

/** Files whose temporary siblings are swept: `wkg.lock`, the journal, `wit.toml` (`add`/`remove`). */
const ROOT_FILES: readonly string[] = [LOCK_FILE, JOURNAL_FILE, MANIFEST_FILE];

/** True for a temporary sibling of one of {@link ROOT_FILES} (whichever process wrote it). */
function isRootTemp(name: string): boolean {
  const temp = parseTempName(name);
  return temp !== undefined && ROOT_FILES.includes(temp.target);
}

/** The journal a killed install left in `root`, if any. */
export async function readJournal(root: string): Promise<InstallJournal | undefined> {
  let text: string;
  try {
    text = await readFile(join(root, JOURNAL_FILE), 'utf8');
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  return parseJournal(text);
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return [];
    throw error;
  }
}

/** Paths of staging folders and temporary files left in the project. */
async function leftovers(root: string, depsDir: string): Promise<string[]> {
  const wit = dirname(depsDir);
  const stages = (await namesIn(wit)).filter((n) => n.startsWith(STAGE_PREFIX));
  const temps = (await namesIn(root)).filter(isRootTemp);
  return [...stages.map((n) => join(wit, n)), ...temps.map((n) => join(root, n))];
}

/** True when a journal, a staging folder or a temporary file is left in the project. */
export async function hasInterruptedInstall(root: string, depsDir: string): Promise<boolean> {
  const journal = await namesIn(root).then((names) => names.includes(JOURNAL_FILE));
  return journal || (await leftovers(root, depsDir)).length > 0;
}

async function replay(root: string, journal: InstallJournal): Promise<void> {
  try {
    await replayJournal(root, journal);
  } catch (error) {
    if (isWitDepsError(error) && error.code === 'ERR_INSTALL_JOURNAL') throw error;
    throw projectError('journal-unfinished', { file: join(root, JOURNAL_FILE) }, { cause: error });
  }
}

/**
 * The journal must name this project's `wit/deps` (from wit.toml), so a corrupt or planted journal
 * cannot make the replay rename or delete anything elsewhere.
 */
function checkDepsDir(root: string, depsDir: string, journal: InstallJournal): void {
  const expected = relative(root, depsDir).split(sep).join('/');
  if (journal.depsDir === expected) return;
  throw projectError('journal-deps-moved', {
    file: join(root, JOURNAL_FILE),
    journal: journal.depsDir,
    expected,
  });
}

/**
 * Finishes an interrupted install (replays its journal) and sweeps its leftovers; returns whether
 * a journal was replayed. The caller holds the project lock.
 */
export async function recoverInstall(root: string, depsDir: string): Promise<boolean> {
  // the sweep below deletes in the WIT folder: it must be this project's
  await assertConfined(dirname(depsDir), root, { what: 'the WIT folder' });
  const journal = await readJournal(root);
  if (journal !== undefined) {
    checkDepsDir(root, depsDir, journal);
    await replay(root, journal);
  }
  for (const path of await leftovers(root, depsDir))
    await rm(path, { recursive: true, force: true });
  return journal !== undefined;
}

const READ_ONLY = ['EACCES', 'EPERM', 'EROFS'];

/**
 * A project this process cannot write (a read-only command on a read-only checkout): leftovers
 * without a journal are harmless (the project is in its old state) and stay; a pending journal
 * means the folders are a mix, which only a process that can write may finish.
 */
async function readOnlyProject(root: string, cause: unknown): Promise<false> {
  if (!(await namesIn(root)).includes(JOURNAL_FILE)) return false;
  throw projectError('journal-read-only', { file: join(root, JOURNAL_FILE), root }, { cause });
}

/** Options of {@link settleInterruptedInstall}. */
export interface SettleOptions {
  /** The caller already holds the project lock (an install). */
  lockHeld?: boolean;
  /** How long to wait for the project lock, in ms. */
  lockWaitMs?: number;
  /** Stops a wait for the project lock (Ctrl-C) with `ERR_INTERRUPTED`. */
  signal?: AbortSignal;
}

/**
 * Recovers the project if an install was interrupted there, under the project lock (taken here
 * unless the caller holds it, and only when there is something to do). Returns whether a journal
 * was replayed.
 */
export async function settleInterruptedInstall(
  root: string,
  depsDir: string,
  options: SettleOptions = {},
): Promise<boolean> {
  if (!(await hasInterruptedInstall(root, depsDir))) return false;
  if (options.lockHeld === true) return recoverInstall(root, depsDir);
  let release: () => Promise<void>;
  try {
    release = await acquireProjectMutex(root, {
      ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    const why = isWitDepsError(error) && error.code === 'ERR_FS' ? error.cause : undefined;
    if (!READ_ONLY.some((code) => hasErrno(why, code))) throw error;
    return readOnlyProject(root, error);
  }
  try {
    return await recoverInstall(root, depsDir);
  } finally {
    await release();
  }
}
