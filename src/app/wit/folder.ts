/**
 * Reading a WIT folder for the text toolchain (`wit check`, `wit build`, the check after an
 * install), and the key of what was read: kept apart from the toolchain so that a caller can
 * read and key the files without loading the parser.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { WitDepsError, isWitDepsError } from '../../errors.js';
import { READ_LIMITS, readRegularFile } from '../../fs/safe-read.js';
import type { FolderFile } from '../../wit/resolve/deps.js';

/**
 * A file of the WIT being checked: a regular file under `limit` (a FIFO or `/dev/zero` named
 * `x.wit` is `ERR_FS` instead of a hang or an out-of-memory crash).
 */
async function readInput(full: string, shown: string, limit: number): Promise<Uint8Array> {
  try {
    return await readRegularFile(full, { limit, display: `\`${shown}\`` });
  } catch (cause) {
    if (isWitDepsError(cause)) throw cause;
    throw new WitDepsError('ERR_FS', `\`${shown}\` cannot be read`, {
      hint: 'make it a readable regular file',
      cause,
      details: { path: shown },
    });
  }
}

export async function readWit(full: string, shown: string): Promise<string> {
  return new TextDecoder().decode(await readInput(full, shown, READ_LIMITS.text));
}

/**
 * The files of a WIT folder as wit-parser's `push_dir` sees them: its top-level `*.wit` files and
 * its `deps/` entries (folders of `.wit` files, `.wit` files, `.wasm` binary packages).
 */
export async function readWitFolder(dir: string): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (d: string, depth: number): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const path = relative(dir, full).split(sep).join('/');
      if (e.isDirectory()) {
        if (depth === 0 && e.name === 'deps') await walk(full, 1);
        else if (depth === 1) await walk(full, 2);
      } else if (e.name.endsWith('.wit')) {
        out.push({ path, text: await readWit(full, path) });
      } else if (e.name.endsWith('.wasm') && depth === 1) {
        out.push({ path, bytes: await readInput(full, path, READ_LIMITS.binary) });
      }
    }
  };
  await walk(dir, 0);
  return out;
}

/**
 * A key of the files' paths and contents (sha256, hex), in path order: equal keys mean the same
 * inputs, whichever order the folder listed them in.
 */
export function witFilesKey(files: readonly FolderFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const content = f.bytes ?? new TextEncoder().encode(f.text ?? '');
    hash.update(`${f.bytes === undefined ? 'text' : 'binary'} ${f.path} ${content.length}\n`);
    hash.update(content);
  }
  return hash.digest('hex');
}
