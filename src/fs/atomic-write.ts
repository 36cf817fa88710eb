/**
 * Atomic file writes: the data goes to a temporary sibling (`temp-name.ts`), created exclusively,
 * is flushed (`fsync`), then renamed over the target, so readers see the old file or the new one,
 * never a mix, even if the process is killed mid-write. On a failure the temporary file is removed;
 * a killed writer's file is left for a sweep, which its name lets recognise.
 */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WitDepsError } from '../errors.js';
import { fsError } from './error-text.js';
import { makeDir } from './make-dir.js';
import { tempSibling } from './temp-name.js';

/** How a failed write is reported. */
export interface WriteFailureOptions {
  /** How the file is named in the message (default `` `<path>` ``). */
  display?: string;
  /** The hint when the disk is not full. */
  hint?: string;
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions extends WriteFailureOptions {
  /** Create the parent folder (and its parents) first; default true. */
  makeParent?: boolean;
  /** Permission bits of the new file (before the umask); default 0o666. */
  mode?: number;
}

/**
 * `ERR_FS` for a file that could not be written, naming the errno: a full disk is not a network
 * failure, and its hint says to free space.
 */
export function writeFailure(
  path: string,
  error: unknown,
  opts: WriteFailureOptions = {},
): WitDepsError {
  const errno = (error as { code?: unknown } | undefined)?.code;
  const reason = typeof errno === 'string' ? errno : String(error);
  return fsError(
    'write-failed',
    {
      path,
      ...(typeof errno === 'string' ? { errno } : {}),
      reason,
      display: opts.display,
      fix: opts.hint,
    },
    { cause: error },
  );
}

/** Writes `data` to `target` atomically (see the module comment); `ERR_FS` on failure. */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  if (opts.makeParent !== false) await makeDir(dirname(target));
  const temp = tempSibling(target);
  try {
    const handle = await open(temp, 'wx', opts.mode ?? 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw writeFailure(target, error, opts);
  }
}
