/**
 * Reading an OCI image layout folder as untrusted input (a vendored folder arrives with a pull
 * request like any other file): `index.json` and every blob are read only when they are regular
 * files inside the layout once symlinks are resolved (a blob that is a symlink to `/dev/zero`, a
 * FIFO or a device is refused before a byte is read); a descriptor's size is checked against the
 * cap of the registry client (`MAX_MANIFEST_BYTES`, `MAX_IN_MEMORY_BLOB` of `limits.ts`) before
 * anything is read; a file larger than its descriptor says is refused; and what is read is
 * checked against the descriptor's size and sha256.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { type WitDepsError, hasErrno, isWitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import { assertInsideRoot, readRegularFile } from '../fs/safe-read.js';
import { fsError } from '../fs/error-text.js';
import { VerifyingStream, type Expected } from '../fs/verified-write.js';
import { digestHex, sha256Digest } from './digest.js';
import { MAX_MANIFEST_BYTES } from './limits.js';

function invalid(message: string, cause?: unknown): WitDepsError {
  return ociError('layout-file-invalid', { problem: message }, { cause });
}

/** `ERR_LIMIT_EXCEEDED` before reading when a descriptor announces more than `cap` bytes. */
function checkCap(descriptor: Expected, cap: number, what: string): void {
  if (descriptor.size <= cap) return;
  throw ociError('layout-blob-over-cap', { subject: what, size: descriptor.size, limit: cap });
}

/** Size and sha256 of bytes read against their descriptor. */
function checkContent(bytes: Uint8Array, descriptor: Expected, what: string): void {
  if (bytes.byteLength !== descriptor.size)
    throw fsError('size-mismatch', {
      subject: what,
      expectedSize: descriptor.size,
      actualSize: bytes.byteLength,
    });
  const actual = sha256Digest(bytes);
  if (actual !== descriptor.digest)
    throw fsError('digest-mismatch', {
      subject: what,
      expected: descriptor.digest,
      actual,
    });
}

/** The safe read side of {@link LayoutBackend}. */
export class LayoutReader {
  constructor(readonly dir: string) {}

  #blobPath(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digestHex(digest));
  }

  #what(kind: string, digest: string): string {
    return `${kind} \`${digest}\` in OCI layout \`${this.dir}\``;
  }

  /** The bytes of `index.json` (at most {@link MAX_MANIFEST_BYTES}); ENOENT/ENOTDIR pass through. */
  async index(): Promise<Uint8Array> {
    const display = `\`index.json\` of OCI layout \`${this.dir}\``;
    try {
      return await readRegularFile(join(this.dir, 'index.json'), {
        limit: MAX_MANIFEST_BYTES,
        root: this.dir,
        display,
      });
    } catch (error) {
      if (isWitDepsError(error) && error.code === 'ERR_FS') throw invalid(error.message, error);
      throw error;
    }
  }

  /**
   * A manifest or blob read into memory, at most `cap` bytes (`MAX_MANIFEST_BYTES` or
   * `MAX_IN_MEMORY_BLOB`), verified.
   */
  async blobBytes(descriptor: Expected, cap: number, kind: string): Promise<Uint8Array> {
    const what = this.#what(kind, descriptor.digest);
    checkCap(descriptor, cap, what);
    let bytes: Uint8Array;
    try {
      bytes = await readRegularFile(this.#blobPath(descriptor.digest), {
        limit: descriptor.size,
        root: this.dir,
        display: what,
      });
    } catch (error) {
      throw this.#blobError(error, descriptor, what);
    }
    checkContent(bytes, descriptor, what);
    return bytes;
  }

  /**
   * A blob as a verified stream (it fails before it ends unless size and sha256 match): a regular
   * file inside the layout whose size is the descriptor's.
   */
  async blobStream(descriptor: Expected): Promise<Readable> {
    const what = this.#what('blob', descriptor.digest);
    const path = this.#blobPath(descriptor.digest);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      await assertInsideRoot(path, this.dir, what);
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    } catch (error) {
      throw this.#blobError(error, descriptor, what);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw invalid(`${what} is not a regular file`);
      if (info.size !== descriptor.size)
        throw fsError('size-mismatch', {
          subject: what,
          expectedSize: descriptor.size,
          actualSize: info.size,
        });
    } catch (error) {
      await handle.close();
      throw error;
    }
    // the callback form returns the verifier; a failure of either side destroys both
    return pipeline(handle.createReadStream(), new VerifyingStream(descriptor, what), () => {});
  }

  /** A read failure as a typed error: missing, not a regular file, too large, unreadable. */
  #blobError(error: unknown, descriptor: Expected, what: string): unknown {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR'))
      return invalid(`${what} is listed but missing`, error);
    if (isWitDepsError(error) && error.code === 'ERR_LIMIT_EXCEEDED')
      return fsError('content-too-large', {
        subject: what,
        expectedSize: descriptor.size,
      });
    if (isWitDepsError(error) && error.code === 'ERR_FS') return invalid(error.message, error);
    if (isWitDepsError(error)) return error;
    const errno = (error as { code?: unknown }).code;
    return ociError(
      'layout-unreadable',
      { subject: what, reason: String(errno ?? error) },
      { cause: error },
    );
  }
}
