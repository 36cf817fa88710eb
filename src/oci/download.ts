/**
 * Resumable, verified blob download into a temp file (distribution-spec "Pulling blobs", and
 * RFC 9110 §14 range requests). A body that breaks off (connection reset, truncated transfer) is
 * continued with `Range: bytes=<n>-`, where `n` is the temp file's size: a `206` whose
 * `Content-Range` starts at `n` is appended; a `200` (the server or a redirect target ignored the
 * range) starts the file over. After a failure the running sha256 is rebuilt from the file, so
 * hash and file can never disagree. Size and digest are checked in full at the end; the file is
 * renamed into place only then, and removed on any failure.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WitDepsError } from '../errors.js';
import { makeDir } from '../fs/make-dir.js';
import { tempSibling } from '../fs/temp-name.js';
import { integrityError, pipeToFile, type Expected } from '../fs/verified-write.js';
import { isRetryableError } from './http/retry.js';
import { discard, header, type HttpResponse } from './http/transport.js';

/** Opens the blob at `offset` (sending `Range` when it is not 0); must answer 200 or 206. */
export type OpenAt = (offset: number) => Promise<HttpResponse>;

/** The first byte of a `Content-Range: bytes a-b/n` header, if it parses. */
export function contentRangeStart(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^bytes\s+(\d+)-\d+\/(?:\d+|\*)$/i.exec(value.trim());
  return m ? Number(m[1]) : undefined;
}

async function hashFile(path: string): Promise<Hash> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) hash.update(chunk);
  });
  return hash;
}

class Counting extends Transform {
  constructor(
    private readonly state: { hash: Hash; size: number },
    private readonly expected: Expected,
    private readonly what: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.state.size += chunk.length;
    if (this.state.size > this.expected.size) {
      callback(
        integrityError(this.what, `is larger than its announced ${this.expected.size} bytes`, {
          expectedSize: this.expected.size,
        }),
      );
      return;
    }
    this.state.hash.update(chunk);
    callback(null, chunk);
  }
}

async function attempt(
  open: OpenAt,
  temp: string,
  path: string,
  state: { hash: Hash; size: number },
  expected: Expected,
  what: string,
): Promise<void> {
  const res = await open(state.size);
  const resumed =
    res.status === 206 && contentRangeStart(header(res, 'content-range')) === state.size;
  if (!resumed && res.status !== 200) {
    await discard(res.body);
    throw new WitDepsError(
      'ERR_REGISTRY_RESPONSE',
      `${what} answered a range request with HTTP ${res.status}`,
    );
  }
  if (!resumed && state.size > 0) {
    await truncate(temp, 0);
    state.hash = createHash('sha256');
    state.size = 0;
  }
  await pipeToFile(res.body, new Counting(state, expected, what), temp, 'a', path);
}

/** Downloads to `path` via a temp file, resuming up to `attempts` times; see the module comment. */
export async function downloadVerified(
  open: OpenAt,
  expected: Expected,
  path: string,
  what: string,
  attempts: number,
): Promise<void> {
  await makeDir(dirname(path));
  // its name lets a later process remove what a killed download left (`Cache.sweepOrphans`)
  const temp = tempSibling(path);
  const state = { hash: createHash('sha256'), size: 0 };
  try {
    await writeFile(temp, '', { flag: 'wx' });
    for (let n = 1; ; n++) {
      try {
        await attempt(open, temp, path, state, expected, what);
        break;
      } catch (error) {
        if (n >= attempts || error instanceof WitDepsError || !isRetryableError(error)) throw error;
        state.size = (await stat(temp)).size;
        state.hash = await hashFile(temp);
      }
    }
    if (state.size !== expected.size) {
      throw integrityError(what, `has ${state.size} bytes, expected ${expected.size}`, {
        expectedSize: expected.size,
        actualSize: state.size,
      });
    }
    const actual = 'sha256:' + state.hash.digest('hex');
    if (actual !== expected.digest)
      throw integrityError(what, `has digest \`${actual}\`, expected \`${expected.digest}\``, {
        expected: expected.digest,
        actual,
      });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
