/**
 * The OCI distribution client for one registry, behind the {@link OciBackend} interface. It
 * composes the request pipeline (`session.ts`: auth, retries, redirects) with the operations
 * (`tags.ts`, `manifests.ts`, `blobs.ts`, `upload.ts`). Create one per registry and share a
 * {@link Transport} between them to share kept-alive connections.
 */
import type { Readable } from 'node:stream';
import type {
  BlobSource,
  FetchedManifest,
  OciBackend,
  PushBlobOptions,
  PushBlobOutcome,
} from './backend.js';
import { blobStream, fetchBlobByDigest, fetchBlobBytes, hasBlob } from './blobs.js';
import type { Descriptor } from './manifest-format.js';
import { getManifest, headManifest, putManifest } from './manifest-requests.js';
import { RequestPipeline, type PipelineOptions } from './request-pipeline.js';
import { listTags } from './tags.js';
import { pushBlob } from './upload.js';

export interface RegistryClientOptions extends PipelineOptions {
  /** Blobs above this size are uploaded in chunks of this size (default 8 MiB). */
  chunkSize?: number;
  /** `n` for tag listing; undefined lets the registry choose. */
  tagPageSize?: number;
  /** Tag pages read at most (default 100). */
  maxTagPages?: number;
}

export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

/** A registry as an {@link OciBackend}. */
export class RegistryClient implements OciBackend {
  readonly session: RequestPipeline;
  readonly label: string;
  readonly #options: RegistryClientOptions;

  constructor(options: RegistryClientOptions) {
    this.#options = options;
    this.session = new RequestPipeline(options);
    this.label = options.registry;
  }

  /** HTTP requests sent so far by this client's transport. */
  get requestCount(): number {
    return this.session.transport.requests;
  }

  listTags(repository: string): Promise<string[]> {
    return listTags(this.session, repository, {
      ...(this.#options.tagPageSize === undefined ? {} : { pageSize: this.#options.tagPageSize }),
      ...(this.#options.maxTagPages === undefined ? {} : { maxPages: this.#options.maxTagPages }),
    });
  }

  getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    return getManifest(this.session, repository, reference);
  }

  headManifest(repository: string, reference: string): Promise<Descriptor | undefined> {
    return headManifest(this.session, repository, reference);
  }

  openBlob(repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Readable> {
    return Promise.resolve(blobStream(this.session, repository, descriptor));
  }

  fetchBlobBytes(
    repository: string,
    descriptor: Pick<Descriptor, 'digest' | 'size'>,
  ): Promise<Uint8Array> {
    return fetchBlobBytes(this.session, repository, descriptor);
  }

  fetchBlobByDigest(repository: string, digest: string, cap: number): Promise<Uint8Array> {
    return fetchBlobByDigest(this.session, repository, digest, cap);
  }

  hasBlob(repository: string, digest: string): Promise<boolean> {
    return hasBlob(this.session, repository, digest);
  }

  pushBlob(
    repository: string,
    descriptor: Pick<Descriptor, 'digest' | 'size'>,
    source: BlobSource,
    options: PushBlobOptions = {},
  ): Promise<PushBlobOutcome> {
    return pushBlob(this.session, repository, descriptor, source, {
      ...options,
      chunkSize: this.#options.chunkSize ?? DEFAULT_CHUNK_SIZE,
    });
  }

  pushManifest(
    repository: string,
    tag: string | undefined,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string> {
    return putManifest(this.session, repository, tag, bytes, mediaType);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
