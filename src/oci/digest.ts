/**
 * Content digests (`sha256:<64 hex>`): validation and computation. Only sha256 is produced;
 * other algorithms are recognised by shape so errors can say what was seen.
 */
import { createHash } from 'node:crypto';
import { ociError } from './error-text.js';

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** True when `text` is a well-formed sha256 digest. */
export function isSha256Digest(text: string): boolean {
  return DIGEST.test(text);
}

/** True when `text` has the general `algorithm:encoded` digest shape. */
export function looksLikeDigest(text: string): boolean {
  return ANY_DIGEST.test(text);
}

/** Throws `ERR_INTEGRITY_MISMATCH` unless `digest` is a sha256 digest this client can verify. */
export function assertSha256Digest(digest: string, what: string): void {
  if (!isSha256Digest(digest)) {
    throw ociError('unsupported-digest', { subject: what, digest });
  }
}

/** `sha256:<hex>` of `bytes`. */
export function sha256Digest(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

/** The hex part of a sha256 digest (the file name under `blobs/sha256/`). */
export function digestHex(digest: string): string {
  assertSha256Digest(digest, 'content');
  return digest.slice('sha256:'.length);
}
