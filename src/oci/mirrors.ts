/**
 * Registry mirrors at the request level (containers' `registries.conf` v2 semantics, parsed by
 * `registry/registries-conf.ts`): an {@link OciBackend} for one registry host that, for every
 * repository, asks a {@link MirrorLookup} where the repository lives and
 *
 * - refuses a blocked repository (`ERR_REGISTRY_BLOCKED`) before any request;
 * - sends a request by digest (blob, manifest by digest) to the mirrors that serve digests, in
 *   order, then to the origin (the rewritten `location`, or the host itself);
 * - sends a request by tag (tag list, manifest by tag: what turns a tag into a digest) to the
 *   mirrors that serve tags (`pull-from-mirror = "all"` or `"tag-only"`), then to the origin;
 * - falls back to the next place on any failure except an interrupt (Ctrl-C): a blob a partial
 *   mirror lacks, a mirror that is down, or one that serves wrong bytes costs a request, never
 *   the install. A mirror's blob of at most {@link MIRROR_BUFFER_BYTES} is read whole (and so
 *   verified) before any byte is passed on; a larger one falls back only before its first byte.
 *
 * Pushes go to the host itself (containers mirrors only reads), unless it is blocked.
 */
import { Readable } from 'node:stream';
import { type WitDepsError, isWitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import type {
  BlobSource,
  FetchedManifest,
  OciBackend,
  PushBlobOptions,
  PushBlobOutcome,
} from './backend.js';
import { isSha256Digest } from './digest.js';
import type { Descriptor } from './manifest-format.js';

/** Blobs from a mirror up to this size are verified in memory before they are passed on. */
export const MIRROR_BUFFER_BYTES = 16 * 1024 * 1024;

/** A place a repository can be read from. */
export interface MirrorEndpoint {
  /** `host[:port]`. */
  host: string;
  repository: string;
}

/** A mirror of a repository and which requests it may serve. */
export interface MirrorTarget extends MirrorEndpoint {
  /** Requests by digest (blobs, manifests by digest: verified against the digest). */
  digests: boolean;
  /** Requests by tag (tag lists, manifests by tag: the mirror picks the digest). */
  tags: boolean;
}

/** Where one repository is read from. */
export interface MirrorPlan {
  /** Reads and writes are refused. */
  blocked: boolean;
  /** The primary location, tried last. */
  origin: MirrorEndpoint;
  mirrors: readonly MirrorTarget[];
  /** For messages: the entry that applies (`prefix \`ghcr.io\` in /etc/containers/registries.conf`). */
  source: string;
}

/** The plan for `host/repository`, or undefined when no entry applies (the host is used as is). */
export type MirrorLookup = (host: string, repository: string) => MirrorPlan | undefined;

/** A registry host's client, by host. */
export type ClientFor = (host: string) => OciBackend;

/** What kind of request: by digest or by tag. */
type Kind = 'digest' | 'tag';

/** Reads through mirrors, then the origin; see the module comment. */
export class MirroredBackend implements OciBackend {
  readonly label: string;

  constructor(
    private readonly host: string,
    private readonly lookup: MirrorLookup,
    private readonly clientFor: ClientFor,
    private readonly onFallback?: (from: MirrorEndpoint, error: unknown) => void,
  ) {
    this.label = host;
  }

  /** The places to try for a request on `repository`, in order (the origin last). */
  #places(repository: string, kind: Kind): MirrorEndpoint[] {
    const plan = this.lookup(this.host, repository);
    if (plan === undefined) return [{ host: this.host, repository }];
    if (plan.blocked) throw blockedError(`${this.host}/${repository}`, plan.source);
    const mirrors = plan.mirrors.filter((m) => (kind === 'digest' ? m.digests : m.tags));
    return [...mirrors, plan.origin];
  }

  async #first<T>(
    repository: string,
    kind: Kind,
    run: (client: OciBackend, repository: string) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const places = this.#places(repository, kind);
    for (let i = 0; i < places.length - 1; i++) {
      const place = places[i]!;
      try {
        const found = await run(this.clientFor(place.host), place.repository);
        if (found !== undefined) return found;
      } catch (error) {
        if (!mayFallBack(error)) throw error;
        this.onFallback?.(place, error);
      }
    }
    const origin = places[places.length - 1]!;
    return run(this.clientFor(origin.host), origin.repository);
  }

  async listTags(repository: string): Promise<string[]> {
    return (await this.#first(repository, 'tag', (c, r) => c.listTags(r)))!;
  }

  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    const kind = isSha256Digest(reference) ? 'digest' : 'tag';
    return (await this.#first(repository, kind, (c, r) => c.getManifest(r, reference)))!;
  }

  headManifest(repository: string, reference: string): Promise<Descriptor | undefined> {
    const kind = isSha256Digest(reference) ? 'digest' : 'tag';
    return this.#first(repository, kind, (c, r) => c.headManifest(r, reference));
  }

  openBlob(repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Readable> {
    const places = this.#places(repository, 'digest');
    if (places.length === 1)
      return this.clientFor(places[0]!.host).openBlob(places[0]!.repository, descriptor);
    const open = (place: MirrorEndpoint): Promise<Readable> =>
      this.clientFor(place.host).openBlob(place.repository, descriptor);
    const whole = descriptor.size <= MIRROR_BUFFER_BYTES;
    return Promise.resolve(
      Readable.from(fallbackChunks(places, open, whole, this.onFallback), { objectMode: false }),
    );
  }

  /** A blob known only by its digest (a locked layer): mirrors first, each verified, then the origin. */
  async fetchBlobByDigest(repository: string, digest: string, cap: number): Promise<Uint8Array> {
    return (await this.#first(repository, 'digest', (c, r) =>
      c.fetchBlobByDigest(r, digest, cap),
    ))!;
  }

  async fetchBlobBytes(
    repository: string,
    descriptor: Pick<Descriptor, 'digest' | 'size'>,
  ): Promise<Uint8Array> {
    return (await this.#first(repository, 'digest', (c, r) => c.fetchBlobBytes(r, descriptor)))!;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const found = await this.#first(repository, 'digest', async (c, r) =>
      (await c.hasBlob(r, digest)) ? true : undefined,
    );
    return found === true;
  }

  async pushBlob(
    repository: string,
    descriptor: Pick<Descriptor, 'digest' | 'size'>,
    source: BlobSource,
    options?: PushBlobOptions,
  ): Promise<PushBlobOutcome> {
    this.#checkWritable(repository);
    return await this.clientFor(this.host).pushBlob(repository, descriptor, source, options);
  }

  async pushManifest(
    repository: string,
    tag: string | undefined,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string> {
    this.#checkWritable(repository);
    return await this.clientFor(this.host).pushManifest(repository, tag, bytes, mediaType);
  }

  #checkWritable(repository: string): void {
    const plan = this.lookup(this.host, repository);
    if (plan?.blocked === true) throw blockedError(`${this.host}/${repository}`, plan.source);
  }

  /** The clients are owned by `OciClients`, which closes them. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** An interrupt (Ctrl-C) stops at once; any other failure of a mirror moves on to the next place. */
function mayFallBack(error: unknown): boolean {
  if (isWitDepsError(error)) return error.code !== 'ERR_INTERRUPTED';
  return !(error instanceof Error && error.name === 'AbortError');
}

/** A verified stream read to its end (it fails before ending when the bytes are wrong). */
async function readWhole(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The blob from the first place that serves it: a mirror's read whole first when `whole`, else
 * the first place that sends a byte (a failure after the first byte is final); the origin streams.
 */
async function* fallbackChunks(
  places: readonly MirrorEndpoint[],
  open: (place: MirrorEndpoint) => Promise<Readable>,
  whole: boolean,
  onFallback: ((from: MirrorEndpoint, error: unknown) => void) | undefined,
): AsyncGenerator<Buffer> {
  for (let i = 0; i < places.length; i++) {
    const last = i === places.length - 1;
    let started = false;
    try {
      const stream = await open(places[i]!);
      if (whole && !last) {
        const bytes = await readWhole(stream);
        started = true;
        yield bytes;
        return;
      }
      for await (const chunk of stream) {
        started = true;
        yield chunk as Buffer;
      }
      return;
    } catch (error) {
      if (started || last || !mayFallBack(error)) throw error;
      onFallback?.(places[i]!, error);
    }
  }
}

/** `ERR_REGISTRY_BLOCKED` for `reference`, naming the entry that blocks it. */
export function blockedError(reference: string, source: string): WitDepsError {
  return ociError('blocked', { reference, source });
}
