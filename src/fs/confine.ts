/**
 * Confinement of writes and deletes: every path wit-deps writes, renames or removes in a project
 * must stay inside the project after symbolic links are resolved, so a symlinked `wit/deps`, a
 * `wit` setting in wit.toml or a planted journal cannot make the tool change another folder
 * (DESIGN.md, "Conventions", threat model). A path that does not exist yet is resolved through its
 * nearest existing ancestor; a dangling symbolic link on the way is refused, because where it
 * leads is decided by whoever creates its target.
 */
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

import { type WitDepsError, hasErrno } from '../errors.js';
import { fsError } from './error-text.js';
import { isWithin } from './safe-read.js';

/** What a path names, without following a final symbolic link. */
export type EntryKind = 'missing' | 'directory' | 'symlink' | 'file' | 'other';

/** The kind of the entry at `path` (`lstat`: a symbolic link is reported as such, not followed). */
export async function entryKind(path: string): Promise<EntryKind> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return 'symlink';
    if (info.isDirectory()) return 'directory';
    return info.isFile() ? 'file' : 'other';
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return 'missing';
    throw error;
  }
}

function danglingLink(path: string): WitDepsError {
  return fsError('dangling-link', { path });
}

/**
 * The real path of `path`, which may not exist yet: the nearest existing ancestor resolved, plus
 * the missing segments. Throws `ERR_FS` when a segment is a dangling symbolic link.
 */
export async function realpathOfFuture(path: string): Promise<string> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      if (!hasErrno(error, 'ENOENT')) throw error;
      if ((await entryKind(current)) === 'symlink') throw danglingLink(current);
      const parent = dirname(current);
      if (parent === current) throw error;
      missing.push(basename(current));
      current = parent;
    }
  }
}

/** Options of {@link assertConfined}. */
export interface ConfineOptions {
  /** How the path is named in the message (`wit/deps`, `the WIT folder`, ...). */
  what: string;
  /** The error code (default `ERR_FS`). */
  code?: 'ERR_FS' | 'ERR_INSTALL_JOURNAL';
  /** The hint (default: replace the link with an ordinary folder). */
  hint?: string;
}

/**
 * Returns the real path of `path` when it lies inside the real path of `root` (either may not
 * exist yet); throws before anything is written there otherwise.
 *
 * @throws {WitDepsError} `options.code` (default `ERR_FS`), details `{ path, root, resolved }`.
 */
export async function assertConfined(
  path: string,
  root: string,
  options: ConfineOptions,
): Promise<string> {
  const [realRoot, resolved] = await Promise.all([realpathOfFuture(root), realpathOfFuture(path)]);
  if (isWithin(realRoot, resolved)) return resolved;
  const kind =
    options.code === 'ERR_INSTALL_JOURNAL' ? 'journal-outside-project' : 'outside-project';
  throw fsError(kind, { path, root, resolved, what: options.what, fix: options.hint });
}
