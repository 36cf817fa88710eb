/**
 * What the failure-safety tests compare: every file of a project folder (path -> bytes, as hex
 * digests to keep failures readable), and the cache's health: every blob re-hashes to its name and
 * no temporary file is left anywhere in the cache.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every file under `dir`: relative path -> sha256 of its bytes. Missing folder = empty. */
export async function snapshot(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let entries;
  try {
    entries = await readdir(join(dir, prefix), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(out, await snapshot(dir, rel));
    else
      out[rel] = createHash('sha256')
        .update(await readFile(join(dir, rel)))
        .digest('hex');
  }
  return out;
}

/** The project state an install may change: `wit/deps` and `wkg.lock`. */
export async function installState(cwd: string): Promise<Record<string, string>> {
  const deps = await snapshot(join(cwd, 'wit', 'deps'));
  const root = await snapshot(cwd);
  const out = Object.fromEntries(Object.entries(deps).map(([k, v]) => [`wit/deps/${k}`, v]));
  if (root['wkg.lock'] !== undefined) out['wkg.lock'] = root['wkg.lock'];
  return out;
}

/**
 * A temporary file's name, of this version (`<name>.<pid>-<nonce>.tmp`) or an older one (`*.part`,
 * `.<name>.tmp-*`). Deliberately broader than `fs/temp-name.ts`, so that a name the sweeps would
 * not recognise still shows here.
 */
const TEMPORARY = /\.tmp$|\.part$|\.tmp-/;

/** Problems with the cache: a blob whose bytes do not hash to its name, or a temporary file. */
export async function cacheProblems(cacheRoot: string): Promise<string[]> {
  const files = await snapshot(cacheRoot);
  const problems: string[] = [];
  for (const [path, hash] of Object.entries(files)) {
    const name = path.split('/').pop()!;
    if (TEMPORARY.test(name)) problems.push(`${path} is a temporary file`);
    else if (path.startsWith('blobs/sha256/') && name !== hash)
      problems.push(`${path} hashes to ${hash}`);
  }
  return problems;
}

/** The hex digests of the blobs in the cache. */
export async function cachedBlobs(cacheRoot: string): Promise<string[]> {
  return Object.keys(await snapshot(join(cacheRoot, 'blobs', 'sha256'))).sort();
}

/** Journal, staging folders and temporary files an install may leave in a project. */
export async function projectLeftovers(cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const dir of ['', 'wit', 'wit/deps']) {
    const names = await readdir(join(cwd, dir)).catch(() => [] as string[]);
    for (const name of names)
      if (/^\.wit-deps-(stage-|journal)/.test(name) || TEMPORARY.test(name))
        out.push(dir === '' ? name : `${dir}/${name}`);
  }
  return out.sort();
}
