/**
 * The registry clients of a command: one per registry, sharing one transport so connections are
 * pooled and kept alive. Which backend a package or reference uses (a registry client or an OCI
 * layout folder) is decided by the app's routing (`app/source/route.ts`).
 */
import type { CredentialProvider } from './auth/credential.js';
import { RegistryClient } from './client.js';
import {
  DEFAULT_RETRY,
  REAL_CLOCK,
  abortableClock,
  type RetryClock,
  type RetryPolicy,
} from './http/retry.js';
import { Transport } from './http/transport.js';
import type { OciBackend } from './backend.js';
import { MirroredBackend, type MirrorLookup } from './mirrors.js';
import { isInsecure, type InsecureRegistries } from './reference.js';
import type { OciEvent } from './request-pipeline.js';
import type { Dispatcher } from 'undici';

/** Every network knob of the client (each has a CLI flag and an env variable, see docs/oci.md). */
export interface OciOptions {
  /** Registries (`host[:port]` or `host`) spoken to over plain http. */
  insecureRegistries?: InsecureRegistries;
  credentials?: CredentialProvider;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** Timeout per request, ms: the whole exchange, or each gap of a blob transfer. */
  timeoutMs?: number;
  /** Time for all requests together, ms, from the clients' creation; 0 or absent: none. */
  deadlineMs?: number;
  /** Connections per origin. */
  connections?: number;
  chunkSize?: number;
  tagPageSize?: number;
  maxTagPages?: number;
  /** Environment for proxy variables (`HTTPS_PROXY`, `NO_PROXY`). */
  env?: Readonly<Record<string, string | undefined>>;
  dispatcher?: Dispatcher;
  /** Aborts all requests. */
  signal?: AbortSignal;
  onEvent?: (event: OciEvent) => void;
  /**
   * Mirrors and blocked registries (`registries.conf`, `[mirrors]`): {@link OciClients.backend}
   * reads through them. Mirror hosts marked insecure must be in `insecureRegistries`.
   */
  mirrors?: MirrorLookup;
}

export { isInsecure };

/**
 * Registry clients by host, over one shared transport. Close it when done. Other requests of a
 * command (`.well-known` discovery) go through `transport` with `retry` and `clock` too, so
 * every request shares its time limits, retries and count.
 */
export class OciClients {
  readonly transport: Transport;
  readonly retry: RetryPolicy;
  readonly clock: RetryClock;
  readonly #options: OciOptions;
  readonly #clients = new Map<string, RegistryClient>();
  readonly #mirrored = new Map<string, OciBackend>();
  readonly #fellBack = new Set<string>();

  constructor(options: OciOptions = {}) {
    this.#options = options;
    this.retry = options.retry ?? DEFAULT_RETRY;
    const clock = options.clock ?? REAL_CLOCK;
    // a retry's backoff ends with Ctrl-C too, not only the requests
    this.clock = options.signal === undefined ? clock : abortableClock(clock, options.signal);
    this.transport = new Transport({
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
      ...(options.connections === undefined ? {} : { connections: options.connections }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** The client for `registry` (`host[:port]`), created on first use. */
  registry(registry: string): RegistryClient {
    let client = this.#clients.get(registry);
    if (client === undefined) {
      const o = this.#options;
      client = new RegistryClient({
        registry,
        transport: this.transport,
        insecure: isInsecure(registry, o.insecureRegistries),
        ...(o.insecureRegistries === undefined ? {} : { insecureHosts: o.insecureRegistries }),
        ...(o.credentials === undefined ? {} : { credentials: o.credentials }),
        retry: this.retry,
        clock: this.clock,
        ...(o.chunkSize === undefined ? {} : { chunkSize: o.chunkSize }),
        ...(o.tagPageSize === undefined ? {} : { tagPageSize: o.tagPageSize }),
        ...(o.maxTagPages === undefined ? {} : { maxTagPages: o.maxTagPages }),
        ...(o.onEvent === undefined ? {} : { onEvent: o.onEvent }),
      });
      this.#clients.set(registry, client);
    }
    return client;
  }

  /**
   * The backend that reads `host`'s repositories: through its mirrors when `mirrors` has an
   * entry for a repository (`mirrors.ts`), else the host's client.
   */
  backend(host: string): OciBackend {
    const lookup = this.#options.mirrors;
    if (lookup === undefined) return this.registry(host);
    let backend = this.#mirrored.get(host);
    if (backend === undefined) {
      backend = new MirroredBackend(
        host,
        lookup,
        (h) => this.registry(h),
        (from, error) => this.#noteFallback(from.host, error),
      );
      this.#mirrored.set(host, backend);
    }
    return backend;
  }

  /** A mirror that failed (not a blob it lacks): one warning per mirror host. */
  #noteFallback(host: string, error: unknown): void {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_REGISTRY_NOT_FOUND' || this.#fellBack.has(host)) return;
    this.#fellBack.add(host);
    const reason = error instanceof Error ? error.message.slice(0, 300) : String(error);
    this.#options.onEvent?.({
      type: 'warning',
      registry: host,
      text: `mirror failed, reading from the next mirror or the origin: ${reason}`,
    });
  }

  /** Requests sent through the shared transport. */
  get requestCount(): number {
    return this.transport.requests;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
