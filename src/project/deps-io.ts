/**
 * Reading `wit/deps` folders and their markers, and writing one package's files with its marker
 * (into a staging folder: `install-commit-io.ts` moves staged folders into place). Folders
 * without a wit-deps marker are never written or removed.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno } from '../errors.js';
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
  for (const [file, hash] of Object.entries(marker.files)) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => undefined);
    if (text === undefined || sha256Text(text) !== hash) return false;
  }
  return true;
}

/** The marker of a folder, if wit-deps wrote it. */
export async function readMarker(folder: string): Promise<FolderMarker | undefined> {
  try {
    return parseMarker(await readFile(join(folder, MARKER_FILE), 'utf8'));
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return undefined;
    throw error;
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
  await mkdir(dir, { recursive: true });
  const hashes: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    await writeFile(join(dir, name), text);
    hashes[name] = sha256Text(text);
  }
  await writeFile(join(dir, MARKER_FILE), serializeMarker({ ...marker, files: hashes }));
}
