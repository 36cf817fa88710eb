/**
 * The install journal: what committing an install changes in a project, written before the first
 * visible change and deleted after the last, so an install killed half-way is finished by the next
 * wit-deps command (docs/install.md, "Failure safety"). Pure: no `node:*`.
 *
 * Layout while an install commits (`<wit>` is the folder holding `deps`):
 * - `<root>/.wit-deps-journal.json`: this journal;
 * - `<wit>/.wit-deps-stage-<pid>-<nonce>/new/<folder>`: every new `wit/deps` folder, complete;
 * - `<wit>/.wit-deps-stage-<pid>-<nonce>/old/<folder>`: replaced and removed folders, moved aside.
 */
import type { WitDepsError } from '../errors.js';
import { isPlainSegment } from '../resolve/package-name.js';
import { projectError } from './error-text.js';
import { JOURNAL_FILE, STAGE_PREFIX } from './file-names.js';

export { JOURNAL_FILE, STAGE_PREFIX };
/** The staging subfolder holding the new folders. */
export const STAGE_NEW = 'new';
/** The staging subfolder holding the folders moved out of `wit/deps`. */
export const STAGE_OLD = 'old';

/** One install's commit, as recorded on disk. */
export interface InstallJournal {
  /** The `wit/deps` folder, relative to the project folder, `/`-separated. */
  depsDir: string;
  /** The staging folder's name, in the parent of `depsDir`. */
  stage: string;
  /** Folders staged under `<stage>/new`, moved into `depsDir` (replacing a managed folder). */
  write: string[];
  /** Managed folders moved out of `depsDir` (to `<stage>/old`). */
  remove: string[];
  /**
   * Folders of `write` and `remove` that have no wit-deps marker: taken over from another tool
   * (`app/deps/takeover.ts`), checked before the journal like every other folder. Absent in journals
   * written before takeovers existed (read as none).
   */
  takeover?: string[];
  /** The new `wkg.lock` text, or null when the lock stays as it is. */
  lock: string | null;
  /**
   * Project files replaced in the same commit (`update --wit`): the project's own `.wit` files
   * (directly in the WIT folder, the parent of `depsDir`) and `wit.toml`; `/`-separated paths
   * relative to the project. Absent when none.
   */
  files?: JournalFile[];
}

/** One project file a commit replaces. */
export interface JournalFile {
  path: string;
  text: string;
}

const VERSION = 1;

/** The journal text (stable key order, trailing newline). */
export function serializeJournal(journal: InstallJournal): string {
  const { depsDir, stage, write, remove, takeover = [], lock, files = [] } = journal;
  const more = takeover.length === 0 ? {} : { takeover };
  const doc = { version: VERSION, depsDir, stage, write, remove, ...more, lock };
  const withFiles = files.length === 0 ? doc : { ...doc, files };
  return JSON.stringify(withFiles, null, 2) + '\n';
}

/**
 * True for a `wit/deps` folder name as wit-deps makes them (`depsFolderName`): one plain segment
 * of SemVer characters, no separator, not `.`/`..`, not hidden.
 */
export function isPlainFolderName(name: string): boolean {
  return isPlainSegment(name);
}

/** True for a staging folder name as `createStage` makes them: `.wit-deps-stage-<pid>-<hex>`. */
export function isStageName(name: string): boolean {
  return (
    name.startsWith(STAGE_PREFIX) && /^[0-9]+-[0-9a-f]+$/.test(name.slice(STAGE_PREFIX.length))
  );
}

function invalid(why: string): WitDepsError {
  return projectError('journal-invalid', { file: JOURNAL_FILE, problem: why });
}

function folderList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && isPlainFolderName(v)))
    throw invalid(`\`${key}\` is not a list of folder names`);
  return value as string[];
}

/** A `/`-separated relative path that never leaves its base (`..`), with no empty or odd segment. */
function isRelativePath(path: string): boolean {
  const parts = path.split('/');
  return (
    parts.every((p) => p !== '' && p !== '..' && !/[\\\0]/.test(p)) && !/^[A-Za-z]:/.test(path)
  );
}

/** Parses a journal; throws `ERR_INSTALL_JOURNAL` when the text is not one. */
export function parseJournal(text: string): InstallJournal {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid('it is not JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw invalid('it is not an object');
  const d = doc as Record<string, unknown>;
  if (d['version'] !== VERSION) throw invalid(`unknown version ${String(d['version'])}`);
  const depsDir = d['depsDir'];
  if (typeof depsDir !== 'string' || !isRelativePath(depsDir))
    throw invalid('`depsDir` is not a relative path inside the project');
  const stage = d['stage'];
  if (typeof stage !== 'string' || !isStageName(stage))
    throw invalid('`stage` is not a staging folder name');
  const lock = d['lock'];
  if (lock !== null && typeof lock !== 'string') throw invalid('`lock` is neither text nor null');
  const write = folderList(d['write'], 'write');
  const remove = folderList(d['remove'], 'remove');
  const takeover = d['takeover'] === undefined ? [] : folderList(d['takeover'], 'takeover');
  if (takeover.some((f) => !write.includes(f) && !remove.includes(f)))
    throw invalid('`takeover` names a folder the journal neither writes nor removes');
  const files = d['files'] === undefined ? undefined : fileList(d['files'], depsDir);
  return {
    depsDir,
    stage,
    write,
    remove,
    ...(takeover.length === 0 ? {} : { takeover }),
    lock,
    ...(files === undefined ? {} : { files }),
  };
}

/**
 * Whether a journal may replace `path`: `wit.toml`, or a `.wit` file directly in the WIT folder
 * (the parent of `depsDir`). A planted journal can touch nothing else.
 */
export function isJournalFilePath(path: string, depsDir: string): boolean {
  if (path === 'wit.toml') return true;
  const parts = depsDir.split('/');
  const witDir = parts.slice(0, -1);
  const segs = path.split('/');
  const name = segs.at(-1)!;
  return (
    segs.length === witDir.length + 1 &&
    witDir.every((p, i) => segs[i] === p) &&
    name.endsWith('.wit') &&
    isRelativePath(path) &&
    !name.startsWith('.')
  );
}

function fileList(value: unknown, depsDir: string): JournalFile[] {
  const ok = (f: unknown): f is JournalFile =>
    typeof f === 'object' &&
    f !== null &&
    typeof (f as JournalFile).path === 'string' &&
    typeof (f as JournalFile).text === 'string' &&
    isJournalFilePath((f as JournalFile).path, depsDir);
  if (!Array.isArray(value) || !value.every(ok))
    throw invalid('`files` is not a list of wit.toml and WIT folder `.wit` files');
  return value.map((f) => ({ path: f.path, text: f.text }));
}
