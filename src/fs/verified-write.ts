/**
 * Writes a stream to a file while checking it, in constant memory: bytes are hashed (sha256) and
 * counted as they pass; more bytes than the expected size abort at once. The data goes to a
 * temporary sibling of the target (`temp-name.ts`) and is renamed into place only when size and
 * digest match; on any failure the temporary file is removed, so no partial or wrong file is ever
 * left behind (a killed writer's file is left for a sweep, which its name lets recognise).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsError } from './error-text.js';
import { writeFailure } from './atomic-write.js';
import { makeDir } from './make-dir.js';
import { tempSibling } from './temp-name.js';

/** The size and `sha256:<hex>` digest content must have (an OCI descriptor is one). */
export interface Expected {
  digest: string;
  size: number;
}

/** A pass-through stream that hashes and counts, failing as soon as there are too many bytes. */
export class VerifyingStream extends Transform {
  readonly #hash = createHash('sha256');
  readonly #expected: Expected;
  readonly #what: string;
  size = 0;

  constructor(expected: Expected, what: string) {
    super();
    this.#expected = expected;
    this.#what = what;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.#expected.size) {
      callback(
        fsError('content-too-large', { subject: this.#what, expectedSize: this.#expected.size }),
      );
      return;
    }
    this.#hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size !== this.#expected.size) {
      callback(
        fsError('size-mismatch', {
          subject: this.#what,
          expectedSize: this.#expected.size,
          actualSize: this.size,
        }),
      );
      return;
    }
    const actual = 'sha256:' + this.#hash.digest('hex');
    if (actual !== this.#expected.digest) {
      callback(
        fsError('digest-mismatch', {
          subject: this.#what,
          expected: this.#expected.digest,
          actual,
        }),
      );
      return;
    }
    callback();
  }
}

/**
 * Pipes `source` through `through` into the file `temp` (opened with `flags`). A failure of the
 * file side (open, write: ENOSPC, EDQUOT, EIO, ...) is `ERR_FS` naming `display`; failures of
 * `source` and `through` pass through unchanged.
 */
export async function pipeToFile(
  source: Readable,
  through: Transform,
  temp: string,
  flags: 'a' | 'wx',
  display: string,
): Promise<void> {
  const sink = createWriteStream(temp, { flags });
  let sinkError: unknown;
  sink.once('error', (error) => {
    sinkError = error;
  });
  try {
    await pipeline(source, through, sink);
  } catch (error) {
    // the sink's own failure, before pipeline's destroy echoes the error back through it
    const fromSink = sinkError !== undefined && error === sinkError;
    // a failure before the file was even opened: wait until the sink has opened and closed it,
    // or the caller's cleanup would run first and the file would appear after it
    if (!sink.closed) await once(sink, 'close').catch(() => undefined);
    if (fromSink) throw writeFailure(display, error);
    throw error;
  }
}

/** Streams `source` into `path` atomically, verified against `expected`. */
export async function writeVerified(
  source: Readable,
  expected: Expected,
  path: string,
  what: string,
): Promise<void> {
  await makeDir(dirname(path));
  const temp = tempSibling(path);
  try {
    await pipeToFile(source, new VerifyingStream(expected, what), temp, 'wx', path);
    await rename(temp, path);
  } catch (error) {
    source.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}

/** Reads `source` into memory, verified against `expected` (for small blobs only). */
export async function readVerified(
  source: Readable,
  expected: Expected,
  what: string,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  const verify = new VerifyingStream(expected, what);
  await pipeline(source, verify, async (stream: AsyncIterable<Buffer>) => {
    for await (const chunk of stream) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}
