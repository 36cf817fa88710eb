/**
 * Resumable, verified blob download as a stream (distribution-spec "Pulling blobs", and RFC 9110
 * §14 range requests). A body that breaks off (connection reset, truncated transfer) is continued
 * with `Range: bytes=<n>-`, where `n` is the number of bytes already handed on: a `206` whose
 * `Content-Range` starts at `n` continues the stream; a `200` (the server or a redirect target
 * ignored the range) is read from its start, its first `n` bytes skipped (the hash covers exactly
 * the bytes handed on, so a server that changed them fails the digest check). More bytes than
 * announced fail at once; size and digest are checked in full before the stream ends, so a
 * consumer that keeps what it read only once the stream ended cleanly never keeps a wrong blob.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { WitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import { isRetryableError } from './http/retry.js';
import { discard, header, type HttpResponse } from './http/transport.js';
import { fsError } from '../fs/error-text.js';
import type { Expected } from '../fs/verified-write.js';

/** Opens the blob at `offset` (sending `Range` when it is not 0); must answer 200 or 206. */
export type OpenAt = (offset: number) => Promise<HttpResponse>;

/** The first byte of a `Content-Range: bytes a-b/n` header, if it parses. */
export function contentRangeStart(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^bytes\s+(\d+)-\d+\/(?:\d+|\*)$/i.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}

/** What has been handed on so far. */
interface Progress {
  hash: ReturnType<typeof createHash>;
  size: number;
}

/** One response: the bytes after `progress.size`, counted and hashed as they are handed on. */
async function* attempt(
  res: HttpResponse,
  progress: Progress,
  expected: Expected,
  what: string,
): AsyncGenerator<Buffer> {
  const resumed =
    res.status === 206 && contentRangeStart(header(res, 'content-range')) === progress.size;
  if (!resumed && res.status !== 200) {
    await discard(res.body);
    throw ociError('range-refused', { subject: what, status: res.status });
  }
  // a whole body again: the part already handed on is skipped
  const skip = resumed ? 0 : progress.size;
  let seen = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    const start = seen;
    seen += chunk.length;
    if (seen <= skip) continue;
    const fresh = start >= skip ? chunk : chunk.subarray(skip - start);
    progress.size += fresh.length;
    if (progress.size > expected.size)
      throw fsError('content-too-large', {
        subject: what,
        expectedSize: expected.size,
      });
    progress.hash.update(fresh);
    yield fresh;
  }
  if (seen < skip)
    throw fsError('size-mismatch', {
      subject: what,
      expectedSize: expected.size,
      actualSize: seen,
    });
}

async function* chunks(
  open: OpenAt,
  expected: Expected,
  what: string,
  attempts: number,
): AsyncGenerator<Buffer> {
  const progress: Progress = { hash: createHash('sha256'), size: 0 };
  for (let n = 1; ; n++) {
    try {
      yield* attempt(await open(progress.size), progress, expected, what);
      break;
    } catch (error) {
      if (n >= attempts || error instanceof WitDepsError || !isRetryableError(error)) throw error;
    }
  }
  if (progress.size !== expected.size)
    throw fsError('size-mismatch', {
      subject: what,
      expectedSize: expected.size,
      actualSize: progress.size,
    });
  const actual = 'sha256:' + progress.hash.digest('hex');
  if (actual !== expected.digest)
    throw fsError('digest-mismatch', {
      subject: what,
      expected: expected.digest,
      actual,
    });
}

/**
 * The blob as a stream, resuming up to `attempts` times; see the module comment. Failures are
 * passed through `wrap` (network errors become `ERR_NETWORK`) before the stream emits them.
 */
export function downloadStream(
  open: OpenAt,
  expected: Expected,
  what: string,
  attempts: number,
  wrap: (error: unknown) => unknown,
): Readable {
  async function* wrapped(): AsyncGenerator<Buffer> {
    try {
      yield* chunks(open, expected, what, attempts);
    } catch (error) {
      throw wrap(error);
    }
  }
  return Readable.from(wrapped(), { objectMode: false });
}
