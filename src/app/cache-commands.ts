/**
 * `wit-deps cache dir|ls|verify|clean`: the shared cache (`--cache-dir`, `WIT_DEPS_CACHE_DIR`,
 * `$XDG_CACHE_HOME/wit-deps`, `~/.cache/wit-deps`), shown, listed, re-hashed and cleaned. No
 * project is read and no request is made.
 */
import { cacheDir } from '../cache/location.js';
import {
  cleanCache,
  listCache,
  verifyCache,
  type CacheCleanResult,
  type CacheListing,
  type CacheVerifyResult,
} from '../cache/maintenance.js';
import { Cache } from '../cache/store.js';
import { WitDepsError } from '../errors.js';

export type { CacheCleanResult, CacheListing, CacheVerifyResult };

export interface CacheOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `--cache-dir`. */
  cacheDir?: string;
}

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `30d`, `12h`, `90m`, `45s`, `2w` as milliseconds; `ERR_USAGE` otherwise. */
export function parseAge(text: string): number {
  const m = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (m === null)
    throw new WitDepsError('ERR_USAGE', `--older-than \`${text.slice(0, 40)}\` is not an age`, {
      hint: 'write a number and a unit: `--older-than 30d` (units s, m, h, d, w)',
      exitCode: 2,
    });
  return Number(m[1]) * UNITS[m[2]!]!;
}

function open(options: CacheOptions): Cache {
  return new Cache(cacheDir(options.env, options.cacheDir, options.cwd));
}

/** The cache folder. */
export function cacheFolder(options: CacheOptions): string {
  return open(options).root;
}

/** Every blob and record count. */
export function cacheList(options: CacheOptions): Promise<CacheListing> {
  return listCache(open(options));
}

/** Re-hashes every blob, removing those that do not match. */
export function cacheVerify(options: CacheOptions & { now?: number }): Promise<CacheVerifyResult> {
  return verifyCache(open(options), options.now);
}

/** Removes every entry, or those not used for `--older-than`. */
export function cacheClean(
  options: CacheOptions & { olderThan?: string; now?: number },
): Promise<CacheCleanResult> {
  const age = options.olderThan === undefined ? undefined : parseAge(options.olderThan);
  return cleanCache(open(options), age, options.now);
}
