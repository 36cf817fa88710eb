/**
 * Looking after the cache (`wit-deps cache ls|verify|clean`): listing its entries, re-hashing
 * every blob, and removing entries by age. The cache's layout is `store.ts`'s; this module only
 * walks it.
 *
 * - Entries are blobs (`blobs/sha256/<64 hex>`) and records (`tags/`, `discovery/`, `facts/`,
 *   `checks/` `*.json`). Temporary files are never entries: only {@link Cache.sweepOrphans}
 *   removes them (a dead writer's, after its age rule), so cleaning never breaks a download in
 *   progress.
 * - An entry's age is the time it was last written or read as a verified blob (`Cache.load`
 *   refreshes it), so `clean --older-than` drops what no install used for that long.
 * - Files of other names in the cache folders are left alone and not listed.
 * - At most {@link MAX_ENTRIES} entries per folder are looked at in one run.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';
import { parseTempName } from '../fs/temp-name.js';
import type { Cache } from './store.js';

/** Entries looked at per folder, at most. */
export const MAX_ENTRIES = 100_000;

const BLOB = /^[0-9a-f]{64}$/;
const RECORD_KINDS = ['tags', 'discovery', 'facts', 'checks'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A blob in the cache. */
export interface CachedBlob {
  digest: string;
  size: number;
  /** Last written or read (ms since the epoch). */
  usedAt: number;
  /** The packages the blob was found to be (from `facts/`), when known. */
  packages: string[];
}

/** What the cache holds. */
export interface CacheListing {
  root: string;
  blobs: CachedBlob[];
  records: Record<RecordKind, number>;
  /** Bytes of the blobs and records. */
  bytes: number;
}

interface Entry {
  path: string;
  name: string;
  size: number;
  usedAt: number;
}

/** The entries of one cache folder (blobs or records), in name order. */
async function entries(dir: string, isEntry: (name: string) => boolean): Promise<Entry[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Entry[] = [];
  for (const name of names.filter((n) => isEntry(n) && parseTempName(n) === undefined).sort()) {
    if (out.length >= MAX_ENTRIES) break;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() === true) out.push({ path, name, size: info.size, usedAt: info.mtimeMs });
  }
  return out;
}

const blobEntries = (cache: Cache): Promise<Entry[]> =>
  entries(join(cache.root, 'blobs', 'sha256'), (n) => BLOB.test(n));
const recordEntries = (cache: Cache, kind: RecordKind): Promise<Entry[]> =>
  entries(join(cache.root, kind), (n) => n.endsWith('.json'));

/** Package ids by blob digest, from the `facts/` records (`key` = `<id>|<digest>`). */
async function packagesByDigest(facts: readonly Entry[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const entry of facts) {
    const key = await readRegularText(entry.path, { limit: READ_LIMITS.marker })
      .then((text) => (JSON.parse(text) as { key?: unknown }).key)
      .catch(() => undefined);
    if (typeof key !== 'string') continue;
    const bar = key.lastIndexOf('|');
    const [id, digest] = [key.slice(0, bar), key.slice(bar + 1)];
    if (bar < 0 || !digest.startsWith('sha256:')) continue;
    out.set(digest, [...(out.get(digest) ?? []), id].sort());
  }
  return out;
}

/** Every blob (with the packages it is known to be) and the number of records of each kind. */
export async function listCache(cache: Cache): Promise<CacheListing> {
  const records = {} as Record<RecordKind, number>;
  let bytes = 0;
  let facts: Entry[] = [];
  for (const kind of RECORD_KINDS) {
    const found = await recordEntries(cache, kind);
    if (kind === 'facts') facts = found;
    records[kind] = found.length;
    bytes += found.reduce((n, e) => n + e.size, 0);
  }
  const known = await packagesByDigest(facts);
  const blobs = (await blobEntries(cache)).map((e) => {
    const digest = `sha256:${e.name}`;
    return { digest, size: e.size, usedAt: e.usedAt, packages: known.get(digest) ?? [] };
  });
  bytes += blobs.reduce((n, b) => n + b.size, 0);
  return { root: cache.root, blobs, records, bytes };
}

/** What `verify` found. */
export interface CacheVerifyResult {
  root: string;
  /** Blobs re-hashed. */
  checked: number;
  /** Blobs whose content did not match their name (or could not be read as a blob): removed. */
  removed: { digest: string; reason: string }[];
  /** Temporary files of dead writers removed. */
  orphans: number;
}

/** Re-hashes every blob; a corrupt one is removed (`Cache.load`), so the next install fetches it. */
export async function verifyCache(cache: Cache, now = Date.now()): Promise<CacheVerifyResult> {
  const removed: CacheVerifyResult['removed'] = [];
  const blobs = await blobEntries(cache);
  for (const entry of blobs) {
    const digest = `sha256:${entry.name}`;
    const found = await cache.load(digest, { touch: false });
    if (found.state === 'corrupt') removed.push({ digest, reason: found.reason });
  }
  return {
    root: cache.root,
    checked: blobs.length,
    removed,
    orphans: await cache.sweepOrphans(now),
  };
}

/** What `clean` removed. */
export interface CacheCleanResult {
  root: string;
  blobs: number;
  records: number;
  bytes: number;
  orphans: number;
}

/**
 * Removes the blobs and records last used more than `olderThanMs` before `now` (all of them when
 * `olderThanMs` is undefined), and the temporary files of dead writers.
 */
export async function cleanCache(
  cache: Cache,
  olderThanMs: number | undefined,
  now = Date.now(),
): Promise<CacheCleanResult> {
  const result: CacheCleanResult = { root: cache.root, blobs: 0, records: 0, bytes: 0, orphans: 0 };
  const old = (e: Entry): boolean => olderThanMs === undefined || now - e.usedAt > olderThanMs;
  const remove = async (e: Entry): Promise<boolean> => {
    const gone = await rm(e.path, { force: true }).then(
      () => true,
      () => false,
    );
    if (gone) result.bytes += e.size;
    return gone;
  };
  for (const e of (await blobEntries(cache)).filter(old)) if (await remove(e)) result.blobs++;
  for (const kind of RECORD_KINDS)
    for (const e of (await recordEntries(cache, kind)).filter(old))
      if (await remove(e)) result.records++;
  result.orphans = await cache.sweepOrphans(now);
  return result;
}
