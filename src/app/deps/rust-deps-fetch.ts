/**
 * The WIT files of one `deps.toml` URL entry: the tarball from the cache (content-addressed by
 * its sha256, found through the URL record) or downloaded (`oci/http/fetch-url.ts`), checked
 * against the entry's `sha256`/`sha512`, gunzipped with an output cap, and read by the safe
 * tar reader (`project/wit-tarball.ts`). Nothing is written to the project here.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Cache } from '../../cache/store.js';
import { WitDepsError } from '../../errors.js';
import { fetchUrl } from '../../oci/http/fetch-url.js';
import type { Transport } from '../../oci/http/transport.js';
import type { DepsTomlEntry } from '../../project/deps-toml.js';
import { readWitTarball, type WitTarball } from '../../project/wit-tarball.js';

const gunzipAsync = promisify(gunzip);

/** Bytes a tarball may inflate to (the gzip-bomb cap), and the ratio beyond a small size. */
export const INFLATE_LIMITS = { bytes: 256 * 1024 * 1024, ratio: 100, ratioFrom: 1024 * 1024 };

type UrlEntry = Extract<DepsTomlEntry, { kind: 'url' }>;

/** How a URL entry's tarball is fetched. */
export interface TarballAccess {
  cache: Cache;
  offline: boolean;
  /** Ignore the cached download (`update`: branch URLs move). */
  refresh: boolean;
  transport: () => Transport;
}

const hex = (algorithm: 'sha256' | 'sha512', bytes: Uint8Array): string =>
  createHash(algorithm).update(bytes).digest('hex');

/** A download that differs from the digest deps.toml pins. */
function pinnedMismatch(entry: UrlEntry, bytes: Uint8Array, id: string): WitDepsError | undefined {
  for (const algorithm of ['sha256', 'sha512'] as const) {
    const expected = entry[algorithm];
    const actual = hex(algorithm, bytes);
    if (expected !== undefined && expected !== actual)
      return new WitDepsError(
        'ERR_INTEGRITY_MISMATCH',
        `\`${id}\`: the download of \`${entry.url}\` has ${algorithm} \`${actual}\`, wit/deps.toml pins \`${expected}\``,
        {
          hint: `the archive changed upstream; check it, then update \`${algorithm}\` in wit/deps.toml (or remove it)`,
          details: { identifier: id, url: entry.url, expected, actual },
        },
      );
  }
  return undefined;
}

async function cached(access: TarballAccess, entry: UrlEntry, id: string) {
  const digest = await access.cache.readUrlDigest(entry.url);
  if (digest === undefined) return undefined;
  const bytes = await access.cache.read(digest);
  return bytes === undefined || pinnedMismatch(entry, bytes, id) !== undefined ? undefined : bytes;
}

/** The tarball bytes of `entry`. */
async function tarball(access: TarballAccess, entry: UrlEntry, id: string): Promise<Uint8Array> {
  if (!access.refresh || access.offline) {
    const bytes = await cached(access, entry, id);
    if (bytes !== undefined) return bytes;
  }
  if (access.offline)
    throw new WitDepsError('ERR_OFFLINE', `\`${id}\`: \`${entry.url}\` is not in the cache`, {
      hint: 'run `wit-deps install` once without `--offline`/`--frozen` to download it',
      details: { identifier: id, url: entry.url },
    });
  const bytes = await fetchUrl(access.transport(), new URL(entry.url), { what: `\`${id}\`` });
  const mismatch = pinnedMismatch(entry, bytes, id);
  if (mismatch !== undefined) throw mismatch;
  const digest = await access.cache.write(bytes);
  await access.cache.writeUrlDigest(entry.url, digest);
  return bytes;
}

/** Gunzips with the bomb caps: total output and, past a small size, the inflation ratio. */
export async function inflate(bytes: Uint8Array, where: string): Promise<Uint8Array> {
  const { ratio, ratioFrom } = INFLATE_LIMITS;
  const cap = Math.min(INFLATE_LIMITS.bytes, Math.max(ratioFrom, bytes.length * ratio));
  try {
    return await gunzipAsync(bytes, { maxOutputLength: cap });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError)
      throw new WitDepsError(
        'ERR_LIMIT_EXCEEDED',
        `${where}: the archive inflates to more than ${cap} bytes (a gzip bomb?)`,
        { hint: 'check the URL in wit/deps.toml', cause: error, details: { limit: cap } },
      );
    throw new WitDepsError('ERR_ARCHIVE_UNSAFE', `${where}: not a gzipped tarball`, {
      hint: 'deps.toml URLs must name a `.tar.gz` archive',
      cause: error,
    });
  }
}

/** The WIT files of URL entry `id` (`pinned`: the identifiers deps.toml names itself). */
export async function fetchWitTarball(
  access: TarballAccess,
  id: string,
  entry: UrlEntry,
  pinned: ReadonlySet<string>,
): Promise<WitTarball> {
  const bytes = await tarball(access, entry, id);
  const where = `\`${id}\` (${entry.url})`;
  const tar = await inflate(bytes, where);
  return readWitTarball(tar, { prefix: entry.prefix, pinned, where });
}
