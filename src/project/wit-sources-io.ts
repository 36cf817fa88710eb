/** Reading the top-level `*.wit` files of the project's WIT folder (not `deps/`), as wkg does. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno } from '../errors.js';

/** The `*.wit` files directly in `dir`, sorted; none when the folder does not exist. */
export async function readWitSources(dir: string): Promise<{ path: string; text: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return [];
    throw error;
  }
  const wit = names.filter((n) => n.endsWith('.wit')).sort();
  return Promise.all(
    wit.map(async (n) => ({ path: join(dir, n), text: await readFile(join(dir, n), 'utf8') })),
  );
}
