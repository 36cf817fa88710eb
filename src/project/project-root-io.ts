/**
 * Finding the project root from the folder a command runs in, as cargo and npm do: the nearest
 * folder, from `cwd` up, that holds `wit.toml`, `wkg.toml` or `wkg.lock` (a regular file). The
 * search goes no higher than the top of a git repository (a folder holding `.git`, a folder or
 * the file of a worktree or submodule) and than the user's home, both still searched, and never
 * enters a folder other users can write to (`/tmp`). With none found, the root is `cwd` itself
 * (a wkg project with only `wit/*.wit`, or no project).
 * Everything a command writes stays inside the root (`app/project/project-inputs.ts`).
 */
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The files that mark a project root, in the order they are looked for in one folder. */
export const ROOT_MARKERS = ['wit.toml', 'wkg.toml', 'wkg.lock'] as const;

/** A project root and the marker file that made it one (undefined: none found, `cwd`). */
export interface ProjectRoot {
  root: string;
  marker: (typeof ROOT_MARKERS)[number] | undefined;
}

async function kind(path: string): Promise<'file' | 'dir' | 'other' | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
}

/** Whether `path` is a folder (following symbolic links). */
export async function isFolder(path: string): Promise<boolean> {
  return (await kind(path)) === 'dir';
}

/** The user's home folder, from the command's environment. */
function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  const home = env['HOME'] ?? env['USERPROFILE'];
  return resolve(home !== undefined && home !== '' ? home : homedir());
}

/** The nearest folder from `cwd` up that holds a root marker, within the limits above. */
export async function findProjectRoot(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ProjectRoot> {
  const start = resolve(cwd);
  const home = homeOf(env);
  for (let dir = start; ;) {
    for (const marker of ROOT_MARKERS)
      if ((await kind(join(dir, marker))) === 'file') return { root: dir, marker };
    const last =
      dir === home || dirname(dir) === dir || (await kind(join(dir, '.git'))) !== undefined;
    if (last || (await othersCanWrite(dirname(dir)))) return { root: start, marker: undefined };
    dir = dirname(dir);
  }
}

/**
 * A folder other users can create files in (`/tmp`, mode 1777): a `wit.toml` planted there must
 * not become the project of everyone working below it, so the search never enters one (the
 * folder a command runs in is always searched). Not on Windows, whose modes say nothing.
 */
async function othersCanWrite(dir: string): Promise<boolean> {
  if (process.platform === 'win32') return false;
  try {
    return ((await stat(dir)).mode & 0o002) !== 0;
  } catch {
    return true;
  }
}

/**
 * Whether `dir` is itself a WIT folder with its own lock: it holds `*.wit` files and a
 * `wkg.lock` (what `cd wit/0_2_1 && wkg wit fetch -d .` leaves behind).
 */
export async function isWitFolderWithLock(dir: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return false;
  }
  if (!names.includes('wkg.lock') || (await kind(join(dir, 'wkg.lock'))) !== 'file') return false;
  for (const name of names)
    if (name.endsWith('.wit') && (await kind(join(dir, name))) === 'file') return true;
  return false;
}
