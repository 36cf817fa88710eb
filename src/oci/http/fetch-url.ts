/**
 * A plain GET of a whole file by URL (the tarballs of the Rust `wit-deps` tool's `deps.toml`),
 * over the same transport as registry requests (timeouts, proxy, User-Agent) and the same retry
 * policy. Rules: `https:` only, except plain `http:` to `localhost` and loopback addresses (the
 * Rust tool allows http anywhere; a download an attacker on the path can swap is not taken);
 * redirects are followed up to {@link MAX_REDIRECTS} times (GitHub archive URLs redirect to
 * codeload.github.com) and never from https to http; no credentials are ever sent; the body is
 * read up to `maxBytes` and refused beyond (`ERR_LIMIT_EXCEEDED`).
 */
import { ociError } from '../error-text.js';
import { isLoopbackRegistry } from '../reference.js';
import { networkError, redactUrl, responseError } from './errors.js';
import { DEFAULT_RETRY, REAL_CLOCK, withRetry } from './retry.js';
import { discard, header, readCapped, type Transport } from './transport.js';

export const MAX_REDIRECTS = 5;
/** Bytes of one download at most, by default. */
export const MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024;

/** Throws unless `url` may be fetched: https, or http to a loopback host. */
export function checkFetchUrl(url: URL, what: string): void {
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackRegistry(url.host)) return;
  throw ociError(url.protocol === 'http:' ? 'url-plain-http' : 'url-not-https', {
    subject: what,
    url: redactUrl(url),
  });
}

/**
 * The bytes at `url`, following redirects.
 * @throws {WitDepsError} `ERR_REGISTRY_NOT_FOUND` (404), `ERR_REGISTRY_RESPONSE`, `ERR_NETWORK`,
 *   `ERR_REGISTRY_INSECURE`, `ERR_LIMIT_EXCEEDED`.
 */
export async function fetchUrl(
  transport: Transport,
  url: URL,
  options: { what: string; maxBytes?: number },
): Promise<Uint8Array> {
  const { what } = options;
  const max = options.maxBytes ?? MAX_DOWNLOAD_BYTES;
  let current = url;
  for (let hop = 0; ; hop++) {
    checkFetchUrl(current, what);
    const target = current;
    const res = await withRetry(
      () => transport.send({ method: 'GET', url: target, headers: {}, timeout: 'idle' }),
      { policy: DEFAULT_RETRY, clock: REAL_CLOCK, idempotent: true },
    ).catch((error: unknown) => {
      throw networkError(error, target, what);
    });
    const location = header(res, 'location');
    if (res.status >= 300 && res.status < 400 && location !== undefined) {
      await discard(res.body);
      if (hop >= MAX_REDIRECTS)
        throw ociError('url-too-many-redirects', { subject: what, limit: MAX_REDIRECTS });
      const next = new URL(location, target);
      if (target.protocol === 'https:' && next.protocol !== 'https:')
        throw ociError('url-redirect-downgrade', { subject: what, url: redactUrl(next) });
      current = next;
      continue;
    }
    if (res.status !== 200) throw await responseError(res, `${what} (GET ${redactUrl(target)})`);
    const { bytes, truncated } = await readCapped(res.body, max).catch((error: unknown) => {
      throw networkError(error, target, what);
    });
    if (truncated)
      throw ociError('download-too-large', { subject: what, url: redactUrl(target), limit: max });
    return bytes;
  }
}
