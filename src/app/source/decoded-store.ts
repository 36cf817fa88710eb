/**
 * The decoded registry packages of one command, memoised by layer digest: each layer is read and
 * decoded at most once (resolving, checking path packages and printing `wit/deps` folders all
 * ask), and every request checks that the package it holds is the one asked for
 * (`checked-decode.ts`), also when the decoded package was already known under another name.
 * A failed read or decode is not remembered (a corrupt cache entry is fetched again by the next
 * read, and a request under another id reports its own failure). The WIT codec is loaded by the first decode only.
 */
import type { BlobRead, Cache } from '../../cache/store.js';
import { WitDepsError } from '../../errors.js';
import type { DecodedPackage } from '../../wit/index.js';
import { checkIdentity, decodeChecked } from './checked-decode.js';

/** Reads the verified bytes of registry package `id`, layer `digest`. */
export type LayerReader = (id: string, digest: string) => Promise<Uint8Array>;

/** A layer that is not in the cache when it is needed. */
export function missingFromCache(id: string, digest: string, found: BlobRead): WitDepsError {
  const why = found.state === 'corrupt' ? ` (it was corrupt: ${found.reason})` : '';
  return new WitDepsError('ERR_CACHE', `\`${id}\` (${digest}) is missing from the cache${why}`, {
    hint: 'run `wit-deps install` again; the cache entry was removed or corrupted meanwhile',
    details: { package: id, digest },
  });
}

/** A reader of the cache alone (no refetch): `ERR_CACHE` when the layer is absent or corrupt. */
export function cacheReader(cache: Cache): LayerReader {
  return async (id, digest) => {
    const found = await cache.load(digest);
    if (found.state !== 'ok') throw missingFromCache(id, digest, found);
    return found.bytes;
  };
}

/** Decoded packages by layer digest; see the module comment. */
export class DecodedStore {
  readonly #decoded = new Map<string, Promise<DecodedPackage>>();

  constructor(private readonly read: LayerReader) {}

  /**
   * Package `id` from layer `digest`: decoded from `bytes` when given (already read and
   * verified), else from what the reader returns; memoised.
   *
   * @throws {WitDepsError} `ERR_ARTIFACT_MISMATCH` when the layer holds another package, the
   *   decoder's error when it does not decode, the reader's when it cannot be read.
   */
  async get(id: string, digest: string, bytes?: Uint8Array): Promise<DecodedPackage> {
    for (;;) {
      const pending = this.#decoded.get(digest);
      if (pending === undefined) return this.#decode(id, digest, bytes);
      // a failure of another request (under another id) is not this one's: it tries afresh
      const known = await pending.catch(() => undefined);
      if (known !== undefined) {
        checkIdentity(id, digest, known);
        return known;
      }
      this.#forget(digest, pending);
    }
  }

  /** Starts decoding; set before the first await, so concurrent requests share it. */
  #decode(id: string, digest: string, bytes: Uint8Array | undefined): Promise<DecodedPackage> {
    const decoding = (async () =>
      decodeChecked(id, digest, bytes ?? (await this.read(id, digest))))();
    this.#decoded.set(digest, decoding);
    decoding.catch(() => this.#forget(digest, decoding));
    return decoding;
  }

  #forget(digest: string, entry: Promise<DecodedPackage>): void {
    if (this.#decoded.get(digest) === entry) this.#decoded.delete(digest);
  }
}
