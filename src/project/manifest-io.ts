/** Reading `wit.toml` and `wkg.toml` from a project folder. */
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno, isWitDepsError } from '../errors.js';
import { projectError } from './error-text.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { writeFileAtomicSync } from '../fs/exit-cleanup.js';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';
import { parseManifest, type Manifest } from './manifest.js';
import { parseWkgOverrides, type WkgOverride } from './wkg-toml.js';

/** The manifest file name. */
export const MANIFEST_FILE = 'wit.toml';

/** A regular file's text under the text cap (a FIFO is `ERR_FS`, not a hang); none when absent. */
async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readRegularText(path, { limit: READ_LIMITS.text, display: `\`${path}\`` });
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return undefined;
    if (isWitDepsError(error)) throw error;
    throw projectError('file-unreadable', { path }, { cause: error });
  }
}

/** The parsed `wit.toml` and its text, or undefined when there is none. */
export async function readManifestFile(
  root: string,
): Promise<{ manifest: Manifest; text: string } | undefined> {
  const text = await readOptional(join(root, MANIFEST_FILE));
  return text === undefined ? undefined : { manifest: parseManifest(text, MANIFEST_FILE), text };
}

/** Writes `wit.toml` text atomically. */
export async function writeManifestFile(root: string, text: string): Promise<void> {
  await writeFileAtomic(join(root, MANIFEST_FILE), text);
}

/**
 * Puts `wit.toml` back to `before` (removes it when undefined), synchronously: the undo of an
 * uncommitted `add`/`remove`/`update` edit when the process exits at once (a second Ctrl-C).
 */
export function restoreManifestFileSync(root: string, before: string | undefined): void {
  const path = join(root, MANIFEST_FILE);
  if (before === undefined) rmSync(path, { force: true });
  else writeFileAtomicSync(path, before);
}

/** Removes `wit.toml` (undoing a failed `add` that created it). */
export async function removeManifestFile(root: string): Promise<void> {
  await rm(join(root, MANIFEST_FILE), { force: true });
}

/** The `[overrides]` of `wkg.toml`, or none when the file does not exist. */
export async function readWkgOverrides(root: string): Promise<WkgOverride[]> {
  const text = await readOptional(join(root, 'wkg.toml'));
  return text === undefined ? [] : parseWkgOverrides(text, 'wkg.toml');
}
