/**
 * Reading the top-level `*.wit` files of the project's WIT folder (not `deps/`), as wkg does.
 * Only regular files are read, each under the text cap: a FIFO or a symlink to `/dev/zero` named
 * `x.wit` is `ERR_FS` instead of a hang or an out-of-memory crash.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { WitDepsError, hasErrno, isWitDepsError } from '../errors.js';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';

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
    wit.map(async (n) => ({ path: join(dir, n), text: await readSource(join(dir, n)) })),
  );
}

/** One WIT source: a regular file under the text cap, else `ERR_FS` / `ERR_LIMIT_EXCEEDED`. */
async function readSource(path: string): Promise<string> {
  try {
    return await readRegularText(path, { limit: READ_LIMITS.text, display: `\`${path}\`` });
  } catch (error) {
    if (isWitDepsError(error)) throw error;
    throw new WitDepsError('ERR_FS', `WIT file \`${path}\` cannot be read`, {
      hint: 'make it a readable regular file, or move it out of the WIT folder',
      cause: error,
      details: { path },
    });
  }
}
