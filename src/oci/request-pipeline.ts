/**
 * One registry's request pipeline: base URL (http only for loopback or registries marked
 * insecure), authentication with one retry on 401, retries with backoff, and redirects followed
 * by hand so `Authorization` is dropped whenever the origin changes (distribution-spec: clients
 * "MUST NOT forward Authorization headers across host boundaries").
 */
import { Readable } from 'node:stream';
import { ociError } from './error-text.js';
import { Authenticator } from './auth/authenticator.js';
import { NO_CREDENTIALS, type CredentialProvider } from './auth/credential.js';
import { networkError } from './http/errors.js';
import {
  DEFAULT_RETRY,
  REAL_CLOCK,
  withRetry,
  type RetryClock,
  type RetryInfo,
  type RetryPolicy,
} from './http/retry.js';
import type { TimeoutMode } from './http/time-limits.js';
import {
  discard,
  header,
  readCapped,
  Transport,
  type HttpBody,
  type HttpRequest,
  type HttpResponse,
} from './http/transport.js';
import { isInsecure, isLoopbackRegistry, type InsecureRegistries } from './reference.js';

const MAX_REDIRECTS = 5;
/** Bytes of a token answer read (inside the retry loop); the authenticator reads at most 64 KiB. */
const TOKEN_READ_CAP = 64 * 1024;
/** Bytes of a non-2xx body read ahead; error summaries read at most 4 KiB. */
const ERROR_READ_CAP = 4096;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Progress and diagnostics of the client, for the app layer to report. */
export type OciEvent =
  | {
      type: 'retry';
      registry: string;
      what: string;
      attempt: number;
      delayMs: number;
      reason: string;
    }
  | { type: 'warning'; registry: string; text: string }
  /**
   * One request sent (every attempt, redirect and token request): `url` without user info or
   * query (signed redirect URLs carry credentials there), `status` undefined when no answer came.
   */
  | {
      type: 'request';
      registry: string;
      method: string;
      url: string;
      status: number | undefined;
      ms: number;
    };

/** `url` as a request line may show it: no user info, no query (`?…` when there was one). */
export function shownUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search === '' ? '' : '?…'}`;
}

export interface PipelineOptions {
  /** `host[:port]`. */
  registry: string;
  /** Use plain http even though the registry is not a loopback address. */
  insecure?: boolean;
  /** Every host marked insecure (a plain-http token realm must be one of them, or loopback). */
  insecureHosts?: InsecureRegistries;
  credentials?: CredentialProvider;
  /** A transport to share between clients (keep-alive pools); one is created when absent. */
  transport?: Transport;
  retry?: RetryPolicy;
  clock?: RetryClock;
  onEvent?: (event: OciEvent) => void;
}

export interface CallOptions {
  method: HttpRequest['method'];
  /** A path under the registry (`/v2/...`) or an absolute URL (upload locations). */
  target: string | URL;
  headers?: Record<string, string>;
  body?: HttpBody;
  /** Scopes the request needs (`repository:<name>:pull`), for Bearer tokens. */
  scopes: readonly string[];
  /** Safe to repeat: GET, HEAD, and PUT/DELETE of content-addressed data. */
  idempotent: boolean;
  /** Follow 3xx answers (blob GET/HEAD). */
  followRedirects?: boolean;
  /**
   * Read the body (up to this many bytes, plus one to show it was longer) inside the retry loop,
   * so a body cut short or timed out is retried like a reset connection. The response's `body`
   * is then an in-memory stream of those bytes.
   */
  readBody?: number;
  /** `whole` (default): `--timeout` bounds the whole exchange; `idle`: each gap (blob transfers). */
  timeout?: TimeoutMode;
  /** What is being done, for messages: `manifest GET of \`repo:tag\``. */
  what: string;
}

/** Sends requests to one registry. */
export class RequestPipeline {
  readonly registry: string;
  readonly baseUrl: URL;
  readonly transport: Transport;
  readonly auth: Authenticator;
  readonly #ownsTransport: boolean;
  readonly #retry: RetryPolicy;
  readonly #clock: RetryClock;
  readonly #onEvent: ((event: OciEvent) => void) | undefined;
  readonly #warned = new Set<string>();
  readonly #insecureHosts: InsecureRegistries;

  constructor(options: PipelineOptions) {
    this.registry = options.registry;
    const scheme =
      options.insecure === true || isLoopbackRegistry(options.registry) ? 'http' : 'https';
    // Docker Hub's API lives on registry-1.docker.io; credentials stay keyed by `docker.io`
    const apiHost = options.registry === 'docker.io' ? 'registry-1.docker.io' : options.registry;
    this.baseUrl = new URL(`${scheme}://${apiHost}/`);
    this.#ownsTransport = options.transport === undefined;
    this.transport = options.transport ?? new Transport();
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#clock = options.clock ?? REAL_CLOCK;
    this.#onEvent = options.onEvent;
    this.#insecureHosts = options.insecureHosts ?? [];
    this.auth = new Authenticator({
      credentials: options.credentials ?? NO_CREDENTIALS,
      send: (req) => this.#sendWithRetry(req, true, 'token request', TOKEN_READ_CAP),
      now: () => this.#clock.now(),
      checkRealm: (realm) => this.#checkRealm(realm),
    });
  }

  #sendWithRetry(
    req: HttpRequest,
    idempotent: boolean,
    what: string,
    readBody?: number,
  ): Promise<HttpResponse> {
    const attempt = async (): Promise<HttpResponse> => {
      const started = Date.now();
      let status: number | undefined;
      try {
        const res = await this.transport.send(req);
        status = res.status;
        return readBody === undefined ? res : await readAhead(res, readBody);
      } finally {
        this.#noteRequest(req, status, Date.now() - started);
      }
    };
    return withRetry(attempt, {
      policy: this.#retry,
      clock: this.#clock,
      idempotent,
      onRetry: (info: RetryInfo) =>
        this.#onEvent?.({ type: 'retry', registry: this.registry, what, ...info }),
    });
  }

  /** Sends one logical request; returns the final response with its body unread. */
  async call(options: CallOptions): Promise<HttpResponse> {
    const url =
      typeof options.target === 'string' ? new URL(options.target, this.baseUrl) : options.target;
    const headers: Record<string, string> = { ...options.headers };
    // an absolute target (an upload `Location`) on another origin gets no Authorization
    const ownOrigin = url.origin === this.baseUrl.origin;
    try {
      this.assertNoDowngrade(url, options.what);
      const authorization = ownOrigin
        ? await this.auth.authorization(this.registry, options.scopes)
        : undefined;
      if (authorization !== undefined) headers['authorization'] = authorization;
      let res = await this.#sendWithRetry(
        requestOf(options, url, headers),
        options.idempotent,
        options.what,
        options.readBody,
      );
      if (res.status === 401 && ownOrigin) {
        const fresh = await this.auth.onUnauthorized(this.registry, options.scopes, res);
        if (fresh !== undefined) {
          await discard(res.body);
          headers['authorization'] = fresh;
          res = await this.#sendWithRetry(
            requestOf(options, url, headers),
            options.idempotent,
            options.what,
            options.readBody,
          );
        }
      }
      this.#noteWarnings(res);
      if (headers['authorization'] !== undefined) {
        res.authorized = await this.auth.hasCredential(this.registry);
        const source = await this.auth.credentialSource(this.registry);
        if (source !== undefined) res.credentialSource = source;
      }
      return options.followRedirects === true ? await this.#follow(res, options, headers) : res;
    } catch (error) {
      throw networkError(error, url, options.what);
    }
  }

  async #follow(
    first: HttpResponse,
    options: CallOptions,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    let res = first;
    for (let hops = 0; REDIRECTS.has(res.status); hops++) {
      const location = header(res, 'location');
      if (location === undefined) return res;
      if (hops >= MAX_REDIRECTS) {
        await discard(res.body);
        throw ociError('too-many-redirects', { subject: options.what, limit: MAX_REDIRECTS });
      }
      await discard(res.body);
      const next = new URL(location, res.url);
      this.assertNoDowngrade(next, options.what);
      const nextHeaders = { ...headers };
      // Authorization only ever goes to the registry's own origin
      if (next.origin !== this.baseUrl.origin) delete nextHeaders['authorization'];
      res = await this.#sendWithRetry(
        {
          method: options.method === 'HEAD' ? 'HEAD' : 'GET',
          url: next,
          headers: nextHeaders,
          ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
        },
        true,
        options.what,
        options.readBody,
      );
    }
    return res;
  }

  /** Refuses to leave https for plain http (a redirect or token realm on an insecure origin). */
  assertNoDowngrade(next: URL, what: string): void {
    if (this.baseUrl.protocol === 'https:' && next.protocol !== 'https:') {
      throw ociError('https-downgrade', {
        subject: what,
        registry: this.registry,
        host: next.host,
      });
    }
  }

  /**
   * A token realm gets the registry's credentials and hands out tokens: over plain http only on
   * the registry's own host, a loopback address, or a host marked insecure.
   */
  #checkRealm(realm: URL): void {
    this.assertNoDowngrade(realm, 'token request');
    if (realm.protocol === 'https:' || realm.host === this.baseUrl.host) return;
    if (isLoopbackRegistry(realm.host) || isInsecure(realm.host, this.#insecureHosts)) return;
    throw ociError('plain-http-realm', { registry: this.registry, realm: realm.host });
  }

  #noteRequest(req: HttpRequest, status: number | undefined, ms: number): void {
    if (this.#onEvent === undefined) return;
    const { method } = req;
    this.#onEvent({
      type: 'request',
      registry: this.registry,
      method,
      url: shownUrl(req.url),
      status,
      ms,
    });
  }

  #noteWarnings(res: HttpResponse): void {
    const warning = header(res, 'warning');
    if (warning === undefined || this.#warned.has(warning)) return;
    this.#warned.add(warning);
    const text = /^\s*299\s+\S+\s+"(.*)"/.exec(warning)?.[1] ?? warning;
    this.#onEvent?.({ type: 'warning', registry: this.registry, text: text.slice(0, 300) });
  }

  async close(): Promise<void> {
    if (this.#ownsTransport) await this.transport.close();
  }
}

function requestOf(options: CallOptions, url: URL, headers: Record<string, string>): HttpRequest {
  return {
    method: options.method,
    url,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
    timeout: options.timeout ?? (isLargeBody(options.body) ? 'idle' : 'whole'),
  };
}

/** A streamed or large request body (an upload): its transfer may take longer than `--timeout`. */
function isLargeBody(body: HttpBody | undefined): boolean {
  if (body === undefined) return false;
  if (typeof body === 'function') return true;
  return body instanceof Uint8Array ? body.byteLength > 1024 * 1024 : body.length > 1024 * 1024;
}

/** Reads a body ahead (2xx: up to `cap` + 1 bytes, else an error body's worth) into memory. */
async function readAhead(res: HttpResponse, cap: number): Promise<HttpResponse> {
  const ok = res.status >= 200 && res.status <= 299;
  const { bytes } = await readCapped(res.body, (ok ? cap : Math.min(cap, ERROR_READ_CAP)) + 1);
  return { ...res, body: Readable.from([bytes]) };
}
