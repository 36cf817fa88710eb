/**
 * Blob download and existence checks against a registry: `GET /v2/<name>/blobs/<digest>` with
 * redirects followed (Authorization dropped across origins, see `session.ts`), streamed through
 * a verifying stream (`download.ts`: a body that breaks off is resumed with a range request). A
 * blob read into memory whose body breaks off is fetched again from the start, up to the retry
 * limit; the digest is always checked in full.
 */
import type { Readable } from 'node:stream';
import { WitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import { fsError } from '../fs/error-text.js';
import { readVerified, type Expected } from '../fs/verified-write.js';
import { repositoryScope } from './auth/challenge.js';
import { assertSha256Digest, sha256Digest } from './digest.js';
import { networkError, responseError } from './http/errors.js';
import { isRetryableError } from './http/retry.js';
import { discard, header, readCapped, type HttpResponse } from './http/transport.js';
import type { RequestPipeline } from './request-pipeline.js';
import { downloadStream } from './download.js';
import { MAX_IN_MEMORY_BLOB } from './limits.js';

export { MAX_IN_MEMORY_BLOB };

/** Attempts at a blob body (first try plus resumptions). */
const BODY_ATTEMPTS = 4;

async function openBlob(
  session: RequestPipeline,
  repository: string,
  digest: string,
  what: string,
  offset = 0,
): Promise<HttpResponse> {
  const res = await session.call({
    method: 'GET',
    target: `/v2/${repository}/blobs/${digest}`,
    ...(offset > 0 ? { headers: { range: `bytes=${offset}-` } } : {}),
    scopes: [repositoryScope(repository, ['pull'])],
    idempotent: true,
    followRedirects: true,
    // a large body may take longer than `--timeout`: only gaps without progress are bounded
    timeout: 'idle',
    what,
  });
  if (res.status !== 200 && !(offset > 0 && res.status === 206))
    throw await responseError(res, what);
  return res;
}

async function withBodyRetry<T>(attempts: number, run: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await run();
    } catch (error) {
      if (n + 1 >= attempts || error instanceof WitDepsError || !isRetryableError(error))
        throw error;
    }
  }
}

/**
 * A blob as a verified stream: broken transfers are resumed, and the stream fails (before it
 * ends) when size or digest do not match, so nothing read from it may be kept unless it ended.
 */
export function blobStream(
  session: RequestPipeline,
  repository: string,
  expected: Expected,
): Readable {
  assertSha256Digest(expected.digest, 'blob');
  const what = `blob \`${session.registry}/${repository}@${expected.digest}\``;
  const open = (offset: number): Promise<HttpResponse> =>
    openBlob(session, repository, expected.digest, `GET of ${what}`, offset);
  const url = new URL(`/v2/${repository}/blobs/${expected.digest}`, session.baseUrl);
  return downloadStream(open, expected, what, BODY_ATTEMPTS, (error) =>
    networkError(error, url, `GET of ${what}`),
  );
}

/** Reads a blob (at most {@link MAX_IN_MEMORY_BLOB} bytes) into memory, verified. */
export async function fetchBlobBytes(
  session: RequestPipeline,
  repository: string,
  expected: Expected,
): Promise<Uint8Array> {
  assertSha256Digest(expected.digest, 'blob');
  const what = `blob \`${session.registry}/${repository}@${expected.digest}\``;
  if (expected.size > MAX_IN_MEMORY_BLOB) {
    throw ociError('blob-too-large-for-memory', {
      subject: what,
      size: expected.size,
      limit: MAX_IN_MEMORY_BLOB,
    });
  }
  try {
    return await withBodyRetry(BODY_ATTEMPTS, async () => {
      const res = await openBlob(session, repository, expected.digest, `GET of ${what}`);
      return readVerified(res.body, expected, what);
    });
  } catch (error) {
    throw networkError(
      error,
      new URL(`/v2/${repository}/blobs/${expected.digest}`, session.baseUrl),
      `GET of ${what}`,
    );
  }
}

/** `ERR_LIMIT_EXCEEDED` for a blob of unknown size that is larger than `cap`. */
function overCap(what: string, cap: number): WitDepsError {
  return ociError('blob-too-large', { subject: what, limit: cap });
}

/** The bytes of one response body: at most `cap` (its Content-Length checked first), digest checked. */
async function readByDigest(res: HttpResponse, digest: string, cap: number, what: string) {
  const announced = Number(header(res, 'content-length') ?? Number.NaN);
  if (announced > cap) {
    res.body.destroy(); // not read: a huge (or endless) body must not be waited for
    throw overCap(what, cap);
  }
  const { bytes, truncated } = await readCapped(res.body, cap + 1);
  if (truncated || bytes.byteLength > cap) throw overCap(what, cap);
  if (Number.isFinite(announced) && bytes.byteLength !== announced)
    throw fsError('size-mismatch', {
      subject: what,
      expectedSize: announced,
      actualSize: bytes.byteLength,
    });
  const actual = sha256Digest(bytes);
  if (actual !== digest)
    throw fsError('digest-mismatch', {
      subject: what,
      expected: digest,
      actual,
    });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A blob whose size is not known (a lock records only the digest), read into memory: one GET,
 * at most `cap` bytes (a larger Content-Length is refused before the body is read), the sha256
 * checked in full. A body that breaks off is fetched again from the start.
 */
export async function fetchBlobByDigest(
  session: RequestPipeline,
  repository: string,
  digest: string,
  cap: number,
): Promise<Uint8Array> {
  assertSha256Digest(digest, 'blob');
  const what = `blob \`${session.registry}/${repository}@${digest}\``;
  try {
    return await withBodyRetry(BODY_ATTEMPTS, async () => {
      const res = await openBlob(session, repository, digest, `GET of ${what}`);
      return readByDigest(res, digest, cap, what);
    });
  } catch (error) {
    throw networkError(
      error,
      new URL(`/v2/${repository}/blobs/${digest}`, session.baseUrl),
      `GET of ${what}`,
    );
  }
}

/** True when the repository holds the blob (HEAD, following redirects). */
export async function hasBlob(
  session: RequestPipeline,
  repository: string,
  digest: string,
  scopes?: readonly string[],
): Promise<boolean> {
  const what = `HEAD of blob \`${session.registry}/${repository}@${digest}\``;
  const res = await session.call({
    method: 'HEAD',
    target: `/v2/${repository}/blobs/${digest}`,
    scopes: scopes ?? [repositoryScope(repository, ['pull'])],
    idempotent: true,
    followRedirects: true,
    what,
  });
  await discard(res.body);
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw await responseError(res, what);
}
