/**
 * Size caps shared by both OCI backends (the registry client and the OCI image layout folder), so
 * a vendored layout is no more trusted than a registry: a manifest or index is read into memory
 * only up to {@link MAX_MANIFEST_BYTES}, a blob read into memory (a config) only up to
 * {@link MAX_IN_MEMORY_BLOB}. Blobs streamed to a file are bounded by their descriptor's size.
 */
export { MAX_MANIFEST_BYTES } from './manifest-format.js';

/** The largest blob read into memory (`fetchBlobBytes`). */
export const MAX_IN_MEMORY_BLOB = 64 * 1024 * 1024;
