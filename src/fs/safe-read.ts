/**
 * Reading files that come from outside the tool (a project's WIT, a path dependency, a marker
 * file, an OCI layout's blobs) without hanging or blowing up: only regular files are read, a FIFO
 * or device is refused before any byte is taken, the open never blocks (`O_NONBLOCK`), and every
 * read stops at a size cap. With `root`, the file must also lie inside `root` after symlinks are
 * resolved, so a symlink cannot make the tool read (and a diagnostic print) a file elsewhere.
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

import type { WitDepsError } from '../errors.js';
import { fsError } from './error-text.js';

/** Size caps for what is read from outside, in bytes. */
export const READ_LIMITS = {
  /** A WIT text file, a TOML manifest, a lock, a marker, a JSON index. */
  text: 16 * 1024 * 1024,
  /** A binary WIT package or a component read from disk. */
  binary: 64 * 1024 * 1024,
  /** A small record such as a `.wit-deps.json` marker. */
  marker: 1024 * 1024,
} as const;

export interface SafeReadOptions {
  /** Largest size read; a bigger file is `ERR_LIMIT_EXCEEDED`. */
  limit: number;
  /** When given, the file's real path must be inside this folder's real path. */
  root?: string;
  /** How the file is named in errors (defaults to `path`). */
  display?: string;
}

/** True when `child` is `parent` or inside it (both absolute, already resolved). */
export function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Throws `ERR_FS` when the real path of `path` is not inside the real path of `root`. */
export async function assertInsideRoot(path: string, root: string, display = path): Promise<void> {
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)]);
  if (!isWithin(realRoot, realFile)) {
    throw fsError('read-outside-root', { path, display, root });
  }
}

/** Reads a regular file as bytes, under the size cap (and inside `root` when given). */
export async function readRegularFile(path: string, opts: SafeReadOptions): Promise<Uint8Array> {
  const display = opts.display ?? path;
  if (opts.root !== undefined) await assertInsideRoot(path, opts.root, display);
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw fsError('not-regular-file', { path, display });
    }
    if (info.size > opts.limit) throw tooLarge(path, display, opts.limit);
    return await readCapped(handle, info.size, opts.limit, path, display);
  } finally {
    await handle.close();
  }
}

/** Reads a regular file as UTF-8 text, under the size cap (and inside `root` when given). */
export async function readRegularText(path: string, opts: SafeReadOptions): Promise<string> {
  return new TextDecoder().decode(await readRegularFile(path, opts));
}

type Handle = Awaited<ReturnType<typeof open>>;

/** Reads until end of file, refusing to go past `limit` even if the file grows while read. */
async function readCapped(
  handle: Handle,
  size: number,
  limit: number,
  path: string,
  display: string,
) {
  let buf = new Uint8Array(Math.min(Math.max(size, 4096), limit + 1));
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (buf.length > limit) throw tooLarge(path, display, limit);
      const bigger = new Uint8Array(Math.min(buf.length * 2, limit + 1));
      bigger.set(buf);
      buf = bigger;
    }
    const { bytesRead } = await handle.read(buf, length, buf.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
    if (length > limit) throw tooLarge(path, display, limit);
  }
  return buf.subarray(0, length);
}

function tooLarge(path: string, display: string, limit: number): WitDepsError {
  return fsError('file-too-large', { path, display, limit });
}
