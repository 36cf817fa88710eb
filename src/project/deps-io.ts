/**
 * Reading `wit/deps` folders and their markers, and writing one package's files with its marker
 * (into a staging folder: `install-commit-io.ts` moves staged folders into place). Folders
 * without a wit-deps marker are never written or removed.
 *
 * A committed wit/deps is input like any other: markers and the files they record are read only
 * when they are regular files whose real path is inside wit/deps (a `package.wit` that is a
 * symlink to a FIFO or `/dev/stdin` must not hang `install` or `verify` under the project lock),
 * each under a size cap.
 */
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hasErrno, isWitDepsError } from '../errors.js';
import { projectError } from './error-text.js';
import { makeDir } from '../fs/make-dir.js';
import { READ_LIMITS, readRegularFile, readRegularText } from '../fs/safe-read.js';
import type { ExistingFolder } from '../resolve/plan.js';
import { MARKER_FILE, parseMarker, serializeMarker, type FolderMarker } from './deps-layout.js';

/** The folders in `depsDir` with their markers; `modified` when a recorded file was edited or removed. */
export async function listDepsFolders(depsDir: string): Promise<ExistingFolder[]> {
  let entries;
  try {
    entries = await readdir(depsDir, { withFileTypes: true });
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return [];
    throw error;
  }
  const out: ExistingFolder[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(depsDir, entry.name);
    const marker = await readMarker(dir);
    out.push({
      folder: entry.name,
      marker: marker === undefined ? undefined : { id: marker.id, digest: marker.digest },
      ...(marker !== undefined && !(await filesIntact(dir, marker)) ? { modified: true } : {}),
    });
  }
  return out.sort((a, b) => (a.folder < b.folder ? -1 : 1));
}

/** Whether every file the marker records is still there with its recorded sha256. */
export async function filesIntact(dir: string, marker: FolderMarker): Promise<boolean> {
  for (const [file, hash] of Object.entries(marker.files))
    if ((await recordedFileProblem(dir, file, hash)) !== undefined) return false;
  return true;
}

/**
 * Why a file a marker records is not as wit-deps wrote it (undefined when it is): missing or
 * modified, or no longer a regular file inside wit/deps (a symlink to a FIFO, a device or a file
 * elsewhere, which is not read). `dir` is a folder directly in wit/deps.
 */
export async function recordedFileProblem(
  dir: string,
  file: string,
  hash: string,
): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    // the largest file written is a path package's (64 MiB in all, as READ_LIMITS.binary)
    const opts = { limit: READ_LIMITS.binary, root: dirname(dir), display: `\`${file}\`` };
    bytes = await readRegularFile(join(dir, file), opts);
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return `\`${file}\` is missing`;
    return isWitDepsError(error) ? error.message : `\`${file}\` cannot be read`;
  }
  // the bytes written are the UTF-8 of the text hashed (`sha256Text`)
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return digest === hash ? undefined : `\`${file}\` was modified`;
}

/**
 * The marker of a folder directly in wit/deps, if wit-deps wrote it.
 *
 * @throws {WitDepsError} `ERR_FS` when the marker is not a regular file inside wit/deps,
 *   `ERR_LIMIT_EXCEEDED` when it is larger than `READ_LIMITS.marker`.
 */
export async function readMarker(folder: string): Promise<FolderMarker | undefined> {
  const path = join(folder, MARKER_FILE);
  try {
    const opts = { limit: READ_LIMITS.marker, root: dirname(folder), display: `\`${path}\`` };
    return parseMarker(await readRegularText(path, opts));
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return undefined;
    if (!isWitDepsError(error)) throw error;
    const kind = error.code === 'ERR_LIMIT_EXCEEDED' ? 'marker-too-large' : 'marker-unreadable';
    throw projectError(kind, { path, folder, reason: error.message }, { cause: error });
  }
}

/** sha256 of text, as `sha256:<hex>`. */
export function sha256Text(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Writes a package's files and its marker into `dir` (a new folder, created here). */
export async function writeFolderFiles(
  dir: string,
  files: Readonly<Record<string, string>>,
  marker: Omit<FolderMarker, 'files'>,
): Promise<void> {
  await makeDir(dir);
  const hashes: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, name), text);
    hashes[name] = sha256Text(text);
  }
  await writeFile(join(dir, MARKER_FILE), serializeMarker({ ...marker, files: hashes }));
}

/** What a folder without a marker holds, read for a takeover (`app/deps/takeover.ts`). */
export interface UnmarkedFolder {
  /** Its `*.wit` files directly inside, regular files only, sorted by name. */
  wit: { name: string; text: string }[];
  /** Every other entry (files, subfolders, symbolic links, which are never followed). */
  others: string[];
}

/** The most entries read from a folder without a marker (more: it is not taken over). */
export const UNMARKED_MAX_ENTRIES = 256;

/**
 * Reads a folder directly in `depsDir` that has no marker: its `*.wit` files (each a regular file
 * whose real path is inside wit/deps, under `READ_LIMITS.text`) and the names of the rest.
 * Undefined when the folder holds more than {@link UNMARKED_MAX_ENTRIES} entries or a `*.wit`
 * entry that is not a regular file (a symbolic link, a FIFO): such a folder is never taken over.
 */
export async function readUnmarkedFolder(
  depsDir: string,
  folder: string,
): Promise<UnmarkedFolder | undefined> {
  const dir = join(depsDir, folder);
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.length > UNMARKED_MAX_ENTRIES) return undefined;
  const out: UnmarkedFolder = { wit: [], others: [] };
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.name.endsWith('.wit')) {
      out.others.push(entry.name);
      continue;
    }
    if (!entry.isFile()) return undefined;
    const opts = {
      limit: READ_LIMITS.text,
      root: depsDir,
      display: `\`${join(dir, entry.name)}\``,
    };
    try {
      out.wit.push({ name: entry.name, text: await readRegularText(join(dir, entry.name), opts) });
    } catch (error) {
      if (isWitDepsError(error)) return undefined;
      throw error;
    }
  }
  return out;
}
