/**
 * Manifest GET/HEAD/PUT against a registry. GET sends the full `Accept` list (distribution 2.8
 * answers 404 for an OCI manifest without it), reads the body with a cap inside the retry loop
 * (a body cut short or timed out is fetched again), and checks the body
 * digest against `Docker-Content-Digest` and against the requested digest.
 */
import type { WitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import { repositoryScope } from './auth/challenge.js';
import type { FetchedManifest } from './backend.js';
import { isSha256Digest, sha256Digest } from './digest.js';
import { responseError } from './http/errors.js';
import { discard, header, readCapped } from './http/transport.js';
import { MAX_MANIFEST_BYTES, parseManifest, type Descriptor } from './manifest-format.js';
import { baseMediaType, MANIFEST_ACCEPT } from './media-types.js';
import type { RequestPipeline } from './request-pipeline.js';

const ACCEPT = MANIFEST_ACCEPT.join(', ');

function mismatch(what: string, expected: string, actual: string): WitDepsError {
  return ociError('manifest-digest-mismatch', { subject: what, expected, actual });
}

/** GETs and verifies a manifest or index. */
export async function getManifest(
  session: RequestPipeline,
  repository: string,
  reference: string,
): Promise<FetchedManifest> {
  const what = `manifest \`${session.registry}/${repository}${isSha256Digest(reference) ? '@' : ':'}${reference}\``;
  const res = await session.call({
    method: 'GET',
    target: `/v2/${repository}/manifests/${reference}`,
    headers: { accept: ACCEPT },
    scopes: [repositoryScope(repository, ['pull'])],
    idempotent: true,
    // read inside the retry loop: a body cut short or timed out is retried
    readBody: MAX_MANIFEST_BYTES,
    what: `GET of ${what}`,
  });
  if (res.status !== 200) throw await responseError(res, `GET of ${what}`);
  const { bytes, truncated } = await readCapped(res.body, MAX_MANIFEST_BYTES);
  if (truncated) throw ociError('response-too-large', { subject: what, limit: MAX_MANIFEST_BYTES });
  const digest = sha256Digest(bytes);
  const announced = header(res, 'docker-content-digest');
  if (announced !== undefined && isSha256Digest(announced) && announced !== digest)
    throw mismatch(what, announced, digest);
  if (isSha256Digest(reference) && reference !== digest) throw mismatch(what, reference, digest);
  const parsed = parseManifest(bytes, baseMediaType(header(res, 'content-type')));
  return { digest, mediaType: parsed.mediaType, bytes, parsed };
}

/** HEADs a manifest: its descriptor, or undefined on 404. */
export async function headManifest(
  session: RequestPipeline,
  repository: string,
  reference: string,
): Promise<Descriptor | undefined> {
  const what = `HEAD of manifest \`${session.registry}/${repository}:${reference}\``;
  const res = await session.call({
    method: 'HEAD',
    target: `/v2/${repository}/manifests/${reference}`,
    headers: { accept: ACCEPT },
    scopes: [repositoryScope(repository, ['pull'])],
    idempotent: true,
    what,
  });
  if (res.status === 404) {
    await discard(res.body);
    return undefined;
  }
  if (res.status !== 200) throw await responseError(res, what);
  await discard(res.body);
  const digest = header(res, 'docker-content-digest');
  if (digest === undefined || !isSha256Digest(digest)) {
    // no digest header: fall back to a GET, which computes it
    const fetched = await getManifest(session, repository, reference);
    return { mediaType: fetched.mediaType, digest: fetched.digest, size: fetched.bytes.byteLength };
  }
  return {
    mediaType: baseMediaType(header(res, 'content-type')) ?? 'application/octet-stream',
    digest,
    size: Number(header(res, 'content-length') ?? 0),
  };
}

/** PUTs manifest bytes under a tag (or their digest); returns the digest, checked against the registry's. */
export async function putManifest(
  session: RequestPipeline,
  repository: string,
  tag: string | undefined,
  bytes: Uint8Array,
  mediaType: string,
): Promise<string> {
  const digest = sha256Digest(bytes);
  const what = `PUT of manifest \`${session.registry}/${repository}:${tag ?? digest}\``;
  const res = await session.call({
    method: 'PUT',
    target: `/v2/${repository}/manifests/${tag ?? digest}`,
    headers: { 'content-type': mediaType, 'content-length': String(bytes.byteLength) },
    body: bytes,
    scopes: [repositoryScope(repository, ['pull', 'push'])],
    idempotent: true,
    what,
  });
  if (res.status !== 201 && res.status !== 200) throw await responseError(res, what);
  await discard(res.body);
  const announced = header(res, 'docker-content-digest');
  if (announced !== undefined && isSha256Digest(announced) && announced !== digest)
    throw mismatch(what, digest, announced);
  return digest;
}
