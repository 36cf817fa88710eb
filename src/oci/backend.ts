/**
 * The interface every OCI backend implements: the registry client (`client.ts`) and the OCI
 * image layout folder (`layout.ts`). Higher layers (the Wasm package functions, app/) only
 * see this interface, so a folder serves as an offline registry.
 */
import type { Readable } from 'node:stream';
import type { Descriptor, ParsedManifest } from './manifest-format.js';

/** A manifest as fetched: raw bytes (the digest covers them), digest and parsed form. */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Uint8Array;
  parsed: ParsedManifest;
}

/** Where blob bytes come from when pushing: in memory, or a file read in chunks. */
export type BlobSource = { bytes: Uint8Array } | { path: string };

export interface PushBlobOptions {
  /** Another repository of the same registry that may hold the blob (cross-repository mount). */
  mountFrom?: string;
}

/** What a push did for one blob. */
export type PushBlobOutcome = 'exists' | 'mounted' | 'uploaded';

export interface OciBackend {
  /** A label for messages: `host/repo` or `oci-layout:<dir>`. */
  readonly label: string;
  /** Every tag of a repository, in the order the backend gives them. */
  listTags(repository: string): Promise<string[]>;
  /** Fetches a manifest or index by tag or digest, checked against its digest. */
  getManifest(repository: string, reference: string): Promise<FetchedManifest>;
  /** The digest (and media type, size) of a manifest, without its body; undefined when absent. */
  headManifest(repository: string, reference: string): Promise<Descriptor | undefined>;
  /**
   * A blob as a stream, verified: it fails before it ends when the bytes do not match the
   * descriptor's size and sha256 (too many bytes fail at once). Keep what was read only once the
   * stream ended without error (`Cache.ingest`, `saveBlob` of `save-blob.ts`).
   */
  openBlob(repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Readable>;
  /** Reads a small blob into memory (config, or a layer under `limit` bytes), verified. */
  fetchBlobBytes(
    repository: string,
    descriptor: Pick<Descriptor, 'digest' | 'size'>,
  ): Promise<Uint8Array>;
  /**
   * A blob known only by its digest (a lock records no size), read into memory: at most `cap`
   * bytes, sha256 checked. `ERR_REGISTRY_NOT_FOUND` when the repository does not hold it.
   */
  fetchBlobByDigest(repository: string, digest: string, cap: number): Promise<Uint8Array>;
  /** True when the repository holds the blob. */
  hasBlob(repository: string, digest: string): Promise<boolean>;
  /** Uploads a blob unless present (HEAD first), trying a mount when `mountFrom` is given. */
  pushBlob(
    repository: string,
    descriptor: Pick<Descriptor, 'digest' | 'size'>,
    source: BlobSource,
    options?: PushBlobOptions,
  ): Promise<PushBlobOutcome>;
  /** PUTs manifest bytes under `tag` (or by digest when `tag` is undefined); returns the digest. */
  pushManifest(
    repository: string,
    tag: string | undefined,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string>;
  /** Releases connections; the backend is unusable afterwards. */
  close(): Promise<void>;
}
