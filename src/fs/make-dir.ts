/**
 * Creating a folder and its missing parents with a bounded number of steps. Node's
 * `mkdir(path, { recursive: true })` loops forever where `mkdir` answers ENOENT although the parent
 * exists (`/proc/nope`: procfs refuses new entries with ENOENT); here each level is tried at most
 * twice (before and after its parent is made), so such a folder fails at once with `ERR_FS`.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

import { hasErrno } from '../errors.js';
import { fsError } from './error-text.js';

/** How a failed folder is named and what to suggest. */
export interface MakeDirOptions {
  /** The subject of the message (defaults to `` folder `<path>` ``). */
  display?: string;
  /** The hint of the error (defaults to checking the path and its permissions). */
  hint?: string;
}

/** Creates `path` and its missing parents; `ERR_FS` (naming the folder) when it cannot. */
export async function makeDir(path: string, opts: MakeDirOptions = {}): Promise<void> {
  try {
    await makeLevel(path);
  } catch (error) {
    const { code, path: at } = error as { code?: unknown; path?: unknown };
    const errno = typeof code === 'string' ? code : undefined;
    const elsewhere = typeof at === 'string' && at !== path ? at : undefined;
    throw fsError(
      'mkdir-failed',
      { path, errno, at: elsewhere, display: opts.display, fix: opts.hint },
      { cause: error },
    );
  }
}

async function makeLevel(path: string): Promise<void> {
  const first = await tryMkdir(path);
  if (first === undefined) return;
  const parent = dirname(path);
  if (!hasErrno(first, 'ENOENT') || parent === path) throw first;
  await makeLevel(parent);
  const second = await tryMkdir(path);
  if (second !== undefined) throw second;
}

/** Makes one folder: undefined when it is a folder afterwards, else the error. */
async function tryMkdir(path: string): Promise<Error | undefined> {
  try {
    await mkdir(path);
    return undefined;
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    if (!hasErrno(error, 'EEXIST')) return error;
    const isFolder = await stat(path).then(
      (info) => info.isDirectory(),
      () => false,
    );
    return isFolder ? undefined : error;
  }
}
