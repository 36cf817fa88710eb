/**
 * Reading and writing `wkg.lock` next to the project; the text format is in `wkg-lock.ts`.
 * The lock is rewritten only when its bytes change, atomically.
 */
import { join } from 'node:path';
import { hasErrno } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';
import { emptyLock, type Lock } from '../resolve/lock.js';
import { parseLock, serializeLock } from './wkg-lock.js';

/** The lock file name. */
export const LOCK_FILE = 'wkg.lock';

/** The project's lock and its current text (undefined when the file does not exist). */
export async function readLockFile(
  root: string,
): Promise<{ lock: Lock; text: string | undefined }> {
  let text: string;
  try {
    // a regular file under the text cap: a FIFO or /dev/zero is `ERR_FS`, not a hang
    text = await readRegularText(join(root, LOCK_FILE), {
      limit: READ_LIMITS.text,
      display: `\`${LOCK_FILE}\``,
    });
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return { lock: emptyLock(), text: undefined };
    throw error;
  }
  return { lock: parseLock(text, LOCK_FILE), text };
}

/** Writes the lock if its text differs from `previousText`; returns whether it wrote. */
export async function writeLockFile(
  root: string,
  lock: Lock,
  previousText: string | undefined,
): Promise<boolean> {
  const text = serializeLock(lock);
  if (text === previousText) return false;
  await writeFileAtomic(join(root, LOCK_FILE), text);
  return true;
}
