/**
 * Reading and writing `wit/deps` folders. Each folder is written whole into a temporary folder
 * and renamed into place (the previous managed folder is moved aside first and deleted after),
 * so a folder is always the old or the new package, never a mix. Folders without a wit-deps
 * marker are never written or removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno } from '../errors.js';
import type { ExistingFolder } from '../resolve/plan.js';
import { MARKER_FILE, parseMarker, serializeMarker, type FolderMarker } from './deps-layout.js';

const TEMP_PREFIX = '.wit-deps-tmp-';

/** The folders in `depsDir` with their markers (temporary leftovers are skipped). */
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
    if (!entry.isDirectory() || entry.name.startsWith(TEMP_PREFIX)) continue;
    const marker = await readMarker(join(depsDir, entry.name));
    out.push({
      folder: entry.name,
      marker: marker === undefined ? undefined : { id: marker.id, digest: marker.digest },
    });
  }
  return out.sort((a, b) => (a.folder < b.folder ? -1 : 1));
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

/** Writes one package folder atomically, with its marker. */
export async function writeDepsFolder(
  depsDir: string,
  folder: string,
  files: Readonly<Record<string, string>>,
  marker: Omit<FolderMarker, 'files'>,
): Promise<void> {
  await mkdir(depsDir, { recursive: true });
  const nonce = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(depsDir, `${TEMP_PREFIX}${nonce}`);
  const old = join(depsDir, `${TEMP_PREFIX}old-${nonce}`);
  await mkdir(temp);
  try {
    const hashes: Record<string, string> = {};
    for (const [name, text] of Object.entries(files)) {
      await writeFile(join(temp, name), text);
      hashes[name] = sha256Text(text);
    }
    await writeFile(join(temp, MARKER_FILE), serializeMarker({ ...marker, files: hashes }));
    const target = join(depsDir, folder);
    let movedAside = false;
    try {
      await rename(target, old);
      movedAside = true;
    } catch (error) {
      if (!hasErrno(error, 'ENOENT')) throw error;
    }
    await rename(temp, target);
    if (movedAside) await rm(old, { recursive: true, force: true });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** Removes a folder wit-deps created (the caller checked its marker). */
export async function removeDepsFolder(depsDir: string, folder: string): Promise<void> {
  await rm(join(depsDir, folder), { recursive: true, force: true });
}

/** Removes temporary folders an interrupted install left behind. */
export async function sweepTemporaries(depsDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(depsDir);
  } catch {
    return;
  }
  for (const name of names)
    if (name.startsWith(TEMP_PREFIX))
      await rm(join(depsDir, name), { recursive: true, force: true });
}
