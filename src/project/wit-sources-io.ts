/**
 * Reading the top-level `*.wit` files of the project's WIT folder (not `deps/`), as wkg does.
 * Only regular files are read, each under the text cap: a FIFO or a symlink to `/dev/zero` named
 * `x.wit` is `ERR_FS` instead of a hang or an out-of-memory crash. With `root` (the project), a
 * file whose real path is outside it (a symlink to `~/.git-credentials` planted in a pull
 * request) is `ERR_FS` before it is read, so no diagnostic can ever quote it.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hasErrno, isWitDepsError } from '../errors.js';
import { projectError } from './error-text.js';
import { READ_LIMITS, readRegularFile } from '../fs/safe-read.js';

/**
 * The `*.wit` files directly in `dir`, sorted; none when the folder does not exist. A leading
 * byte-order mark is dropped unless `keepBom` (`update --wit` writes the files back as they were).
 */
export async function readWitSources(
  dir: string,
  root?: string,
  { keepBom = false }: { keepBom?: boolean } = {},
): Promise<{ path: string; text: string }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return [];
    throw error;
  }
  const wit = names.filter((n) => n.endsWith('.wit')).sort();
  return Promise.all(
    wit.map(async (n) => ({
      path: join(dir, n),
      text: await readSource(join(dir, n), root, keepBom),
    })),
  );
}

/** One WIT source: a regular file under the text cap, else `ERR_FS` / `ERR_LIMIT_EXCEEDED`. */
async function readSource(
  path: string,
  root: string | undefined,
  keepBom: boolean,
): Promise<string> {
  try {
    const bytes = await readRegularFile(path, {
      limit: READ_LIMITS.text,
      display: `\`${path}\``,
      ...(root === undefined ? {} : { root }),
    });
    return new TextDecoder('utf-8', { ignoreBOM: keepBom }).decode(bytes);
  } catch (error) {
    if (isWitDepsError(error)) throw error;
    throw projectError('wit-file-unreadable', { path }, { cause: error });
  }
}
