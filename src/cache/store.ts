/**
 * The content-addressed cache shared by all projects.
 *
 * Layout under the cache folder:
 * - `blobs/sha256/<hex>`: content, named by its sha256. Written only by {@link Cache.ingest}: to a
 *   temporary file, hashed while written, and renamed into place only when size and hash match
 *   (backends hand over a verified stream or bytes; the cache decides where they go), so the
 *   cache never holds an unverified entry; hashed again on every read (only regular files, at
 *   most {@link MAX_CACHED_BLOB_BYTES}), and a corrupt entry is deleted and reported as
 *   `corrupt`, so an install fetches it again in the same run.
 * - `tags/<sha256 of registry/repository>.json`: a tag list with the time it was fetched, used by
 *   `--prefer-offline` and `--offline` while it is fresh enough.
 * - `discovery/<sha256 of registry>.json`: `.well-known` registry metadata, same rule.
 * - `facts/<sha256 of id|digest>.json`: the packages a blob references (from decoding it once), so a
 *   locked install with a warm cache needs no decoding for up-to-date folders.
 * - `checks/<sha256 of key>.json`: WIT inputs (a project's own WIT with its `wit/deps`, keyed by
 *   the wit-deps version and the hash of every file's path and bytes) that were found to resolve,
 *   so a no-op install does not parse and resolve the same files again.
 *
 * Folders are created by {@link Cache.ensureFolder} with a bounded mkdir (`fs/make-dir.ts`): a
 * cache folder that cannot exist (`--cache-dir /proc/nope`) is `ERR_FS` naming it.
 *
 * Temporary files, whoever writes them (a registry download, a copy from an OCI layout, a record),
 * carry their writer's pid (`<name>.<pid>-<nonce>.tmp`, `fs/temp-name.ts`); they are never read
 * as entries, and {@link Cache.sweepOrphans} removes those whose process is gone (killed
 * mid-write) and that have not been written for {@link ORPHAN_AGE_MS}: a cache shared by
 * containers or hosts sees pids of other pid namespaces as dead, so a pid alone would delete
 * another machine's live download. Names older versions wrote are recognised too (a pid-less one
 * by its age alone).
 */
import { createHash } from 'node:crypto';
import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { hasErrno, isWitDepsError } from '../errors.js';
import { cacheError } from './error-text.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { makeDir } from '../fs/make-dir.js';
import { READ_LIMITS, readRegularFile, readRegularText } from '../fs/safe-read.js';
import { parseTempName } from '../fs/temp-name.js';
import { isProcessAlive } from '../fs/process-identity.js';
import { writeBlobFile, type ExpectedBlob } from './ingest.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;
const BLOBS = join('blobs', 'sha256');
const FOLDERS = [BLOBS, 'tags', 'discovery', 'facts', 'checks'];
/** How long a temporary file of a dead writer must have been left untouched to be removed. */
export const ORPHAN_AGE_MS = 15 * 60_000;
/** The largest blob read from the cache: the cache only holds WIT package layers (64 MiB). */
export const MAX_CACHED_BLOB_BYTES = READ_LIMITS.binary;

/** What reading a blob found: its verified bytes, nothing, or a corrupt entry (now removed). */
export type BlobRead =
  { state: 'ok'; bytes: Uint8Array } | { state: 'absent' } | { state: 'corrupt'; reason: string };

/** `sha256:<hex>` of bytes. */
export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function hexOf(digest: string): string {
  const m = DIGEST.exec(digest);
  if (m === null) throw cacheError('digest-unsupported', { digest });
  return m[1]!;
}

function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A JSON record with the time it was stored. */
interface Timed<T> {
  fetchedAt: number;
  value: T;
}

/** The cache. All methods are safe to call concurrently from several processes. */
export class Cache {
  /** Folders made (or being made) by this process, so each is created once. */
  readonly #folders = new Map<string, Promise<void>>();

  constructor(readonly root: string) {}

  /**
   * Creates a folder of the cache (`blobs/sha256`, `tags`, ...) with its parents, once per
   * process; `ERR_FS` naming the folder when it cannot be made (`--cache-dir /proc/nope`).
   */
  ensureFolder(folder: string): Promise<void> {
    let made = this.#folders.get(folder);
    if (made === undefined) {
      const dir = join(this.root, folder);
      made = makeDir(dir, {
        display: `cache folder \`${dir}\``,
        hint: 'pass a writable folder with `--cache-dir <dir>` (or `WIT_DEPS_CACHE_DIR`)',
      });
      // a failure is not remembered: the next call tries again
      made.catch(() => this.#folders.delete(folder));
      this.#folders.set(folder, made);
    }
    return made;
  }

  /** The path of a blob. */
  blobPath(digest: string): string {
    return join(this.root, 'blobs', 'sha256', hexOf(digest));
  }

  /**
   * Removes temporary files whose writer died (killed mid-write) and that were last written more
   * than {@link ORPHAN_AGE_MS} before `now`; returns how many.
   */
  async sweepOrphans(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const folder of FOLDERS) {
      const dir = join(this.root, folder);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const temp = parseTempName(name);
        if (temp === undefined || writerMayLive(temp.pid)) continue;
        const written = await stat(join(dir, name)).then(
          (s) => s.mtimeMs,
          () => now,
        );
        if (now - written < ORPHAN_AGE_MS) continue;
        // best effort: a file this user may not remove (a shared cache) must not fail an install
        if (
          await rm(join(dir, name), { force: true }).then(
            () => true,
            () => false,
          )
        )
          removed++;
      }
    }
    return removed;
  }

  /** True when a blob file exists (its content is verified on read). */
  async has(digest: string): Promise<boolean> {
    try {
      return (await stat(this.blobPath(digest))).isFile();
    } catch (error) {
      if (hasErrno(error, 'ENOENT')) return false;
      throw error;
    }
  }

  /** The verified bytes of a blob, or undefined when absent (a corrupt blob is deleted). */
  async read(digest: string): Promise<Uint8Array | undefined> {
    const found = await this.load(digest);
    return found.state === 'ok' ? found.bytes : undefined;
  }

  /**
   * Reads a blob and checks its digest. A corrupt entry (wrong digest, larger than
   * {@link MAX_CACHED_BLOB_BYTES}, not a regular file) is removed and reported as `corrupt`, so
   * the caller can fetch it again. A good entry's modification time is set to now (best effort,
   * unless `touch` is false): it is the "last used" time of `wit-deps cache clean --older-than`.
   */
  async load(digest: string, { touch = true }: { touch?: boolean } = {}): Promise<BlobRead> {
    const path = this.blobPath(digest);
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(path, { limit: MAX_CACHED_BLOB_BYTES });
    } catch (error) {
      if (hasErrno(error, 'ENOENT')) return { state: 'absent' };
      if (!isWitDepsError(error)) {
        throw cacheError('cache-entry-unreadable', { path }, { cause: error });
      }
      return this.drop(path, error.message);
    }
    const actual = sha256(bytes);
    if (actual !== digest) return this.drop(path, `it has digest \`${actual}\``);
    if (touch) {
      const now = new Date();
      // a read-only (shared) cache is still read
      await utimes(path, now, now).catch(() => undefined);
    }
    return { state: 'ok', bytes };
  }

  private async drop(path: string, reason: string): Promise<BlobRead> {
    await rm(path, { force: true });
    return { state: 'corrupt', reason };
  }

  /**
   * Stores a blob from a stream (a backend's verified stream) or from bytes: written to a temp
   * file in `blobs/sha256/`, checked against `expected` (size and sha256) and renamed into place
   * only then (`ingest.ts`). This is the only writer of blob files. `what` names the blob in
   * integrity errors.
   *
   * @throws {WitDepsError} `ERR_INTEGRITY_MISMATCH` (nothing stored), `ERR_FS` (a full disk,
   *   naming the blob's path, or a cache folder that cannot be made).
   */
  async ingest(
    expected: ExpectedBlob,
    source: Readable | Uint8Array,
    what = `cache blob \`${expected.digest}\``,
  ): Promise<void> {
    const stream = source instanceof Uint8Array ? Readable.from([Buffer.from(source)]) : source;
    let path: string;
    try {
      path = this.blobPath(expected.digest);
      await this.ensureFolder(BLOBS);
    } catch (error) {
      stream.destroy(); // an open layout file or response is released
      throw error;
    }
    await writeBlobFile(stream, expected, path, what);
  }

  /** Stores bytes; throws `ERR_INTEGRITY_MISMATCH` (and stores nothing) if they do not match. */
  async write(bytes: Uint8Array, expected?: string): Promise<string> {
    const digest = sha256(bytes);
    if (expected !== undefined && digest !== expected)
      throw cacheError('content-digest-mismatch', { expected, actual: digest });
    await this.ingest({ digest, size: bytes.byteLength }, bytes);
    return digest;
  }

  private async readTimed<T>(
    kind: string,
    key: string,
    maxAgeMs: number,
    now: number,
  ): Promise<T | undefined> {
    try {
      const path = join(this.root, kind, `${keyHash(key)}.json`);
      const text = await readRegularText(path, { limit: READ_LIMITS.text });
      const parsed = JSON.parse(text) as Timed<T> & { key?: string };
      if (parsed.key !== key || typeof parsed.fetchedAt !== 'number') return undefined;
      return now - parsed.fetchedAt <= maxAgeMs ? parsed.value : undefined;
    } catch {
      return undefined;
    }
  }

  private async writeTimed<T>(kind: string, key: string, value: T, now: number): Promise<void> {
    const record = { key, fetchedAt: now, value };
    await this.ensureFolder(kind);
    await writeFileAtomic(
      join(this.root, kind, `${keyHash(key)}.json`),
      JSON.stringify(record) + '\n',
    );
  }

  /** A cached tag list of `registry/repository` not older than `maxAgeMs`. */
  readTags(repository: string, maxAgeMs: number, now = Date.now()): Promise<string[] | undefined> {
    return this.readTimed<string[]>('tags', repository, maxAgeMs, now);
  }

  /** Caches a tag list. */
  writeTags(repository: string, tags: readonly string[], now = Date.now()): Promise<void> {
    return this.writeTimed('tags', repository, [...tags], now);
  }

  /**
   * The references recorded for blob `digest` when it was decoded and found to be package `id`
   * (never expire: the blob is immutable). Keyed by both, so a lock entry that pairs another
   * package's digest with this id finds no record and is decoded (and refused) instead.
   */
  async readFacts(
    id: string,
    digest: string,
  ): Promise<{ name: string; version: string }[] | undefined> {
    const key = factsKey(id, digest);
    const value = await this.readTimed<unknown>('facts', key, Number.POSITIVE_INFINITY, 0);
    if (!Array.isArray(value)) return undefined;
    const ok = value.every(
      (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as Record<string, unknown>)['name'] === 'string' &&
        typeof (v as Record<string, unknown>)['version'] === 'string',
    );
    return ok ? (value as { name: string; version: string }[]) : undefined;
  }

  /** Records the references of blob `digest`, checked to be package `id`. */
  writeFacts(
    id: string,
    digest: string,
    dependencies: readonly { name: string; version: string }[],
  ): Promise<void> {
    return this.writeTimed('facts', factsKey(id, digest), dependencies, 0);
  }

  /** True when WIT inputs with this key were recorded as resolving ({@link writeCheck}). */
  async readCheck(key: string): Promise<boolean> {
    return (await this.readTimed<unknown>('checks', key, Number.POSITIVE_INFINITY, 0)) === true;
  }

  /**
   * Records that the WIT inputs of `key` resolve. Best effort: a read-only or full cache only
   * means the next install checks again.
   */
  async writeCheck(key: string): Promise<void> {
    await this.writeTimed('checks', key, true, Date.now()).catch(() => undefined);
  }

  /**
   * The package names the cache has seen: those with a cached tag list and those referenced by a
   * cached package (for "did you mean" on a name that does not exist). Reads at most 2000 records.
   */
  async knownPackageNames(): Promise<string[]> {
    const names = new Set<string>();
    for (const kind of ['tags', 'facts']) {
      const files = await readdir(join(this.root, kind)).catch(() => [] as string[]);
      for (const file of files.filter((f) => f.endsWith('.json')).slice(0, 1000)) {
        const record = await readRegularText(join(this.root, kind, file), {
          limit: READ_LIMITS.text,
        })
          .then((text) => JSON.parse(text) as { key?: unknown; value?: unknown })
          .catch(() => undefined);
        if (kind === 'tags' && typeof record?.key === 'string')
          names.add(record.key.slice(record.key.lastIndexOf('|') + 1));
        if (kind === 'facts' && Array.isArray(record?.value))
          for (const v of record.value as { name?: unknown }[])
            if (typeof v.name === 'string') names.add(v.name);
      }
    }
    return [...names].sort();
  }

  /**
   * Version facts, as pnpm's store keeps them: the layer digest that version `version` of the
   * package `repository` (`registry|name`) resolved to (tag → manifest → layer) when it was
   * fetched. `--offline` finds a version by them without a lock, and resolves a range against the
   * versions they name.
   */
  async readVersionDigest(repository: string, version: string): Promise<string | undefined> {
    const key = `${repository}@${version}`;
    const value = await this.readTimed<unknown>('versions', key, Number.POSITIVE_INFINITY, 0);
    return typeof value === 'string' && DIGEST.test(value) ? value : undefined;
  }

  /** Records that `repository` version `version` has layer `digest` (see {@link readVersionDigest}). */
  writeVersionDigest(repository: string, version: string, digest: string): Promise<void> {
    return this.writeTimed('versions', `${repository}@${version}`, digest, 0);
  }

  /** The versions of `repository` with a version fact (at most 5000 records read), by digest. */
  async knownVersions(repository: string): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const dir = join(this.root, 'versions');
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.json')).slice(0, 5000)) {
      const record = await readRegularText(join(dir, file), { limit: READ_LIMITS.text })
        .then((text) => JSON.parse(text) as { key?: unknown; value?: unknown })
        .catch(() => undefined);
      const { key, value } = record ?? {};
      if (typeof key !== 'string' || !key.startsWith(`${repository}@`)) continue;
      if (typeof value === 'string' && DIGEST.test(value))
        found.set(key.slice(repository.length + 1), value);
    }
    return found;
  }

  /** Cached `.well-known` metadata of a registry (`null` = the registry has none). */
  readDiscovery(registry: string, maxAgeMs: number, now = Date.now()): Promise<unknown> {
    return this.readTimed<unknown>('discovery', registry, maxAgeMs, now);
  }

  /** Caches `.well-known` metadata (`null` when the registry has none). */
  writeDiscovery(registry: string, metadata: unknown, now = Date.now()): Promise<void> {
    return this.writeTimed('discovery', registry, metadata, now);
  }

  /**
   * The `sha256:<hex>` of the tarball last downloaded from `url` (a `deps.toml` entry), whose
   * bytes are a blob here: `--offline` installs take it from the blob store (read verified).
   */
  async readUrlDigest(url: string): Promise<string | undefined> {
    const value = await this.readTimed<unknown>('urls', url, Number.POSITIVE_INFINITY, 0);
    return typeof value === 'string' && DIGEST.test(value) ? value : undefined;
  }

  /** Records the digest of the tarball downloaded from `url` (stored with {@link write}). */
  writeUrlDigest(url: string, digest: string, now = Date.now()): Promise<void> {
    return this.writeTimed('urls', url, digest, now);
  }
}

/** True when a temporary file's writer may still be writing it (this process, or a live pid). */
function writerMayLive(pid: number | undefined): boolean {
  return pid !== undefined && (pid === process.pid || isProcessAlive(pid));
}

/** The key of a facts record: the package id and the digest it was checked against. */
function factsKey(id: string, digest: string): string {
  return `${id}|${digest}`;
}
