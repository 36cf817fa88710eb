/**
 * The media types an OCI client meets, and the `Accept` header it sends for manifests.
 * Sources: opencontainers/image-spec `media-types.md`, the CNCF Wasm OCI artifact spec.
 */

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const WASM_CONFIG = 'application/vnd.wasm.config.v0+json';
export const WASM_LAYER = 'application/wasm';
export const OCTET_STREAM = 'application/octet-stream';

/** Manifest types this client reads, in preference order. */
export const MANIFEST_ACCEPT: readonly string[] = [
  OCI_MANIFEST,
  OCI_INDEX,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
];

/** True for a single-image manifest type (OCI or Docker v2). */
export function isImageManifestType(mediaType: string): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;
}

/** True for a multi-platform index type (OCI index or Docker manifest list). */
export function isIndexType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** `Content-Type` without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function baseMediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const base = contentType.split(';')[0]?.trim().toLowerCase();
  return base === '' ? undefined : base;
}
