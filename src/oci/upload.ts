/**
 * Blob upload (distribution-spec "Pushing blobs"):
 * 1. `HEAD` the blob; skip when present.
 * 2. With `mountFrom`: `POST uploads/?mount=<digest>&from=<repo>`; 201 = mounted, 202 = a
 *    session to upload into.
 * 3. Otherwise `POST uploads/` → 202 + `Location` (absolute or relative, possibly with a query:
 *    `digest` is added with URLSearchParams, never by string concatenation).
 * 4. Small blobs: one `PUT <loc>?digest=` with the bytes (monolithic). Larger ones: `PATCH`
 *    chunks with `Content-Range: start-end`, taking the new `Location` from every answer, then
 *    a closing `PUT <loc>?digest=`. `OCI-Chunk-Min-Length` raises the chunk size.
 * 5. On failure the session is cancelled with `DELETE <loc>` (errors ignored).
 * Chunks of a file are streamed from their range of the file, so memory stays at a read buffer.
 */
import { ociError } from './error-text.js';
import type { Expected } from '../fs/verified-write.js';
import { repositoryScope } from './auth/challenge.js';
import type { BlobSource, PushBlobOptions, PushBlobOutcome } from './backend.js';
import { hasBlob } from './blobs.js';
import { responseError } from './http/errors.js';
import { discard, header, type HttpBody, type HttpResponse } from './http/transport.js';
import type { RequestPipeline } from './request-pipeline.js';

export interface UploadOptions extends PushBlobOptions {
  /** Blobs up to this size go in one PUT; larger ones in PATCH chunks of this size. */
  chunkSize: number;
}

interface Upload {
  session: RequestPipeline;
  repository: string;
  expected: Expected;
  scopes: string[];
  what: string;
}

function locationOf(res: HttpResponse, what: string): URL {
  const location = header(res, 'location');
  if (location === undefined) throw ociError('upload-no-location', { subject: what });
  return new URL(location, res.url);
}

async function startUpload(
  up: Upload,
  mountFrom: string | undefined,
): Promise<{ mounted: true } | { location: URL; minChunk: number }> {
  const target = new URL(`/v2/${up.repository}/blobs/uploads/`, up.session.baseUrl);
  if (mountFrom !== undefined) {
    target.searchParams.set('mount', up.expected.digest);
    target.searchParams.set('from', mountFrom);
  }
  const res = await up.session.call({
    method: 'POST',
    target,
    headers: { 'content-length': '0' },
    scopes: up.scopes,
    idempotent: false,
    what: up.what,
  });
  if (res.status === 201 && mountFrom !== undefined) {
    await discard(res.body);
    return { mounted: true };
  }
  if (res.status !== 202) throw await responseError(res, up.what);
  await discard(res.body);
  return {
    location: locationOf(res, up.what),
    minChunk: Number(header(res, 'oci-chunk-min-length') ?? 0) || 0,
  };
}

function withDigest(location: URL, digest: string): URL {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url;
}

/**
 * One chunk's body: a slice of the bytes, or that range of the file, sent through one reused read
 * buffer (not a buffer of the chunk's size: 25 chunks of 8 MiB left for the GC cost 50 MB of RSS,
 * and a read stream's fresh 64 KiB buffers cost 35 MB).
 */
function chunkBody(source: BlobSource, offset: number, length: number): HttpBody {
  if ('bytes' in source) return source.bytes.subarray(offset, offset + length);
  return { path: source.path, start: offset, length };
}

async function putMonolithic(up: Upload, location: URL, source: BlobSource): Promise<void> {
  const body = chunkBody(source, 0, up.expected.size);
  const res = await up.session.call({
    method: 'PUT',
    target: withDigest(location, up.expected.digest),
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(up.expected.size),
    },
    body,
    scopes: up.scopes,
    idempotent: false,
    what: up.what,
  });
  if (res.status !== 201) throw await responseError(res, up.what);
  await discard(res.body);
}

async function putChunked(
  up: Upload,
  first: URL,
  source: BlobSource,
  chunkSize: number,
): Promise<void> {
  let location = first;
  for (let offset = 0; offset < up.expected.size; offset += chunkSize) {
    const length = Math.min(chunkSize, up.expected.size - offset);
    const res = await up.session.call({
      method: 'PATCH',
      target: location,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(length),
        'content-range': `${offset}-${offset + length - 1}`,
      },
      body: chunkBody(source, offset, length),
      scopes: up.scopes,
      idempotent: false,
      what: up.what,
    });
    if (res.status !== 202) throw await responseError(res, up.what);
    await discard(res.body);
    location = locationOf(res, up.what);
  }
  const res = await up.session.call({
    method: 'PUT',
    target: withDigest(location, up.expected.digest),
    headers: { 'content-length': '0' },
    scopes: up.scopes,
    idempotent: false,
    what: up.what,
  });
  if (res.status !== 201) throw await responseError(res, up.what);
  await discard(res.body);
}

async function cancel(up: Upload, location: URL): Promise<void> {
  try {
    const res = await up.session.call({
      method: 'DELETE',
      target: location,
      scopes: up.scopes,
      idempotent: true,
      what: up.what,
    });
    await discard(res.body);
  } catch {
    // cancelling is best effort
  }
}

/** Pushes one blob; see the module comment for the steps. */
export async function pushBlob(
  session: RequestPipeline,
  repository: string,
  expected: Expected,
  source: BlobSource,
  options: UploadOptions,
): Promise<PushBlobOutcome> {
  const push = repositoryScope(repository, ['pull', 'push']);
  const scopes =
    options.mountFrom === undefined ? [push] : [push, repositoryScope(options.mountFrom, ['pull'])];
  const up: Upload = {
    session,
    repository,
    expected,
    scopes,
    what: `upload of blob \`${session.registry}/${repository}@${expected.digest}\``,
  };
  if (await hasBlob(session, repository, expected.digest, [push])) return 'exists';
  const started = await startUpload(up, options.mountFrom);
  if ('mounted' in started) return 'mounted';
  const chunkSize = Math.max(options.chunkSize, started.minChunk);
  try {
    if (expected.size <= chunkSize) await putMonolithic(up, started.location, source);
    else await putChunked(up, started.location, source, chunkSize);
  } catch (error) {
    await cancel(up, started.location);
    throw error;
  }
  return 'uploaded';
}
