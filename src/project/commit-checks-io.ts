/**
 * The checks that keep an install's commit inside the project's `wit/deps` (DESIGN.md, threat
 * model: every write and delete stays inside its folder after symlinks are resolved).
 *
 * - Before the journal ({@link checkBeforeJournal}): `wit/deps` resolves inside the project, is a
 *   folder on the file system of its staging folder and is writable, and every folder the commit
 *   replaces or removes is a real folder wit-deps wrote (a file, a symbolic link or the user's
 *   folder at a wanted name fails here, typed and with a hint, and no journal is left behind).
 * - Before a journal is replayed ({@link checkJournalPaths}): every path it names (the staging
 *   folder, its `new/` and `old/`, each folder moved in, aside or out) is a plain name, resolves
 *   inside the project, and is a real folder or absent, never a symbolic link, so a planted journal
 *   moves nothing out of (or into) the project.
 *
 * A symbolic link in `wit/deps` is never followed, replaced or removed: wit-deps does not make
 * links, so a link is the user's (or an attacker's) and is reported instead.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type WitDepsError, hasErrno } from '../errors.js';
import { ENTRY_TEXT, projectError } from './error-text.js';
import { assertConfined, entryKind, type EntryKind } from '../fs/confine.js';
import { makeDir } from '../fs/make-dir.js';
import { readMarker } from './deps-io.js';
import {
  JOURNAL_FILE,
  STAGE_NEW,
  STAGE_OLD,
  isJournalFilePath,
  isPlainFolderName,
  isStageName,
  type InstallJournal,
} from './install-journal.js';

/** A staging folder for one install (see `install-commit-io.ts`). */
export interface StagePaths {
  depsDir: string;
  /** Its absolute path. */
  dir: string;
}

function notAFolder(path: string, folder: string, kind: EntryKind): WitDepsError {
  return projectError('deps-entry-not-folder', { path, folder, entry: kind });
}

function notOurs(path: string, folder: string): WitDepsError {
  return projectError('deps-folder-foreign', { path, folder });
}

const NOT_WRITABLE = ['EACCES', 'EPERM', 'EROFS'];

async function checkWritable(path: string): Promise<void> {
  try {
    await access(path, constants.W_OK);
  } catch (error) {
    if (!NOT_WRITABLE.some((code) => hasErrno(error, code))) throw error;
    throw projectError('install-not-writable', { path }, { cause: error });
  }
}

/** `wit/deps` resolves inside the project, exists as a folder, on the stage's file system. */
async function checkDepsDir(root: string, stage: StagePaths): Promise<void> {
  const deps = stage.depsDir;
  await assertConfined(deps, root, { what: 'wit/deps' });
  await makeDir(deps);
  const [info, staged] = await Promise.all([stat(deps), stat(stage.dir)]);
  if (!info.isDirectory()) throw projectError('deps-not-folder', { path: deps });
  if (info.dev === staged.dev) return;
  // renames between file systems fail with EXDEV, which would leave a journal never replayable
  throw projectError('deps-other-file-system', { path: deps });
}

/**
 * A folder the commit replaces or removes: absent, or a real folder with a wit-deps marker (or,
 * when it is taken over from another tool, a real folder without one).
 */
async function checkTarget(deps: string, folder: string, takeover: boolean): Promise<void> {
  const path = join(deps, folder);
  const kind = await entryKind(path);
  if (kind === 'missing') return;
  if (kind !== 'directory') throw notAFolder(path, folder, kind);
  if (!takeover && (await readMarker(path)) === undefined) throw notOurs(path, folder);
  await checkWritable(path); // moving a folder to another parent rewrites its `..`
}

/**
 * Fails (`ERR_FS`, with a hint) when the commit of `changes` could not complete: called after
 * staging and before the journal, so a failure leaves the project exactly as it was.
 */
export async function checkBeforeJournal(
  root: string,
  stage: StagePaths,
  changes: { write: readonly string[]; remove: readonly string[]; takeover?: readonly string[] },
): Promise<void> {
  await checkDepsDir(root, stage);
  await checkWritable(stage.depsDir);
  await checkWritable(dirname(stage.dir));
  const takeover = new Set(changes.takeover ?? []);
  const all = [...changes.write, ...changes.remove];
  for (const folder of takeover)
    if (!all.includes(folder)) throw new Error(`takeover of an unchanged folder: ${folder}`);
  for (const folder of all) {
    if (!isPlainFolderName(folder)) throw new Error(`not a wit/deps folder name: ${folder}`);
    await checkTarget(stage.depsDir, folder, takeover.has(folder));
  }
}

function badJournal(why: string, path: string): WitDepsError {
  return projectError('journal-unreplayable', { file: JOURNAL_FILE, path, problem: why });
}

/** The paths a journal replay renames, all resolved and checked. */
export interface JournalPaths {
  deps: string;
  stage: string;
  fresh: string;
  old: string;
}

/** `path` is absent or a real folder (never a symbolic link) inside the project. */
async function checkFolderOrAbsent(path: string, root: string): Promise<void> {
  const kind = await entryKind(path);
  if (kind === 'missing') return;
  if (kind !== 'directory') throw badJournal(`\`${path}\` is ${ENTRY_TEXT[kind]}`, path);
  await assertConfined(path, root, { what: 'a folder named by the journal' }).catch(() => {
    throw badJournal(`\`${path}\` resolves outside the project`, path);
  });
}

/**
 * Validates every path a journal names before anything is moved: `ERR_INSTALL_JOURNAL` (with a
 * hint) for a name that is not plain, a path outside the project, or a symbolic link.
 */
export async function checkJournalPaths(
  root: string,
  journal: InstallJournal,
): Promise<JournalPaths> {
  const deps = join(root, journal.depsDir);
  await assertConfined(deps, root, { what: 'wit/deps', code: 'ERR_INSTALL_JOURNAL' });
  if (!isStageName(journal.stage))
    throw badJournal(`\`${journal.stage}\` is not a staging folder name`, journal.stage);
  const stage = join(dirname(deps), journal.stage);
  const paths = { deps, stage, fresh: join(stage, STAGE_NEW), old: join(stage, STAGE_OLD) };
  for (const path of [paths.stage, paths.fresh, paths.old]) await checkFolderOrAbsent(path, root);
  for (const folder of [...journal.write, ...journal.remove]) {
    if (!isPlainFolderName(folder))
      throw badJournal(`\`${folder}\` is not a wit/deps folder name`, folder);
    for (const base of [paths.fresh, paths.deps, paths.old])
      await checkFolderOrAbsent(join(base, folder), root);
  }
  for (const file of journal.files ?? [])
    if (!isJournalFilePath(file.path, journal.depsDir))
      throw badJournal(`\`${file.path}\` is not wit.toml or a WIT folder \`.wit\` file`, file.path);
  return paths;
}
