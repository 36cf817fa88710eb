/**
 * Confinement checks: every path wit-deps writes, renames or deletes in a project must stay inside
 * its folder after symbolic links are resolved (`realpath`), so a hostile lock, manifest, journal
 * or a symlinked folder cannot make the tool write or delete elsewhere (DESIGN.md, "Conventions",
 * threat model). The part of a path that does not exist yet is checked by its nearest existing
 * ancestor plus the remaining plain segments.
 */
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { WitDepsError, hasErrno } from '../errors.js';

/** True when `child` is `parent` or inside it (both absolute, normalised). */
export function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `realpath` of a path that may not exist yet: its nearest existing ancestor, resolved, + the rest. */
export async function realpathLoose(path: string): Promise<string> {
  const absolute = resolve(path);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      if (!hasErrno(error, 'ENOENT') && !hasErrno(error, 'ENOTDIR')) throw error;
      const parent = dirname(current);
      if (parent === current) return absolute;
      missing.push(basename(current));
      current = parent;
    }
  }
}

/** Options of {@link confinePath}. */
export interface ConfineOptions {
  /** What the path is, for the message (`wit/deps`, `the WIT folder`, …). */
  what: string;
  /** The error code (default `ERR_FS`). */
  code?: 'ERR_FS' | 'ERR_INSTALL_JOURNAL' | 'ERR_MANIFEST_INVALID';
  /** The hint (default: replace the link with an ordinary folder). */
  hint?: string;
}

/**
 * Returns `path` resolved (symlinks followed) when it stays inside `base` (also resolved); throws
 * otherwise, before anything is written there.
 *
 * @throws {WitDepsError} `options.code` (default `ERR_FS`), details `{ path, base, resolved }`.
 */
export async function confinePath(
  base: string,
  path: string,
  options: ConfineOptions,
): Promise<string> {
  const [realBase, resolved] = await Promise.all([realpathLoose(base), realpathLoose(path)]);
  if (isWithin(realBase, resolved)) return resolved;
  throw new WitDepsError(
    options.code ?? 'ERR_FS',
    `${options.what} \`${path}\` resolves to \`${resolved}\`, outside \`${base}\``,
    {
      hint:
        options.hint ??
        `replace the symbolic link by an ordinary folder inside \`${base}\`, then run the command again`,
      details: { path, base, resolved },
    },
  );
}

/** True when `path` itself is a symbolic link (not followed). */
export async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return false;
    throw error;
  }
}
