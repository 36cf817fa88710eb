/**
 * Atomic file writes: the data goes to a temporary file in the same folder, is flushed, then
 * renamed over the target, so readers see the old file or the new one, never a mix, even if the
 * process is killed mid-write.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WitDepsError } from '../errors.js';
import { makeDir } from '../fs/make-dir.js';

/** The name prefix of the temporary siblings of a file named `name`. */
export function tempPrefix(name: string): string {
  return `.${name}.tmp-`;
}

/** A temporary sibling path of `target` (same folder, so rename is atomic). */
export function tempSibling(target: string): string {
  return join(
    dirname(target),
    `${tempPrefix(basename(target))}${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** Writes `data` to `target` atomically, creating the parent folder. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempSibling(target);
  try {
    await makeDir(dirname(target));
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw new WitDepsError('ERR_FS', `\`${target}\` could not be written`, {
      hint: 'check the folder exists and is writable',
      cause: error,
      details: { path: target },
    });
  }
}
