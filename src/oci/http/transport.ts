/**
 * The HTTP transport: one undici dispatcher per client (kept-alive, shared connections), or an
 * `EnvHttpProxyAgent` when a proxy is configured (`HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`, read
 * from the injected environment, not `process.env`). Tests inject their own `Dispatcher`.
 *
 * Responses are returned with their body unread; callers read it with a cap ({@link readCapped})
 * or stream it, and must {@link discard} what they do not read so the connection is reused.
 *
 * undici is loaded on the first request, not at startup: it is about half of the CLI's module
 * loading time, and commands that need no network (a locked install with a warm cache,
 * `wit print`, `--version`) should not pay for it.
 */
import type { Readable } from 'node:stream';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { VERSION } from '../../version.js';
import { Deadline, RequestGuard, type TimeoutMode } from './time-limits.js';

/** Sent with every request (a request's own `user-agent` header wins). */
export const USER_AGENT = `wit-deps/${VERSION} node/${process.versions.node}`;

let undici: Promise<typeof Undici> | undefined;
const loadUndici = (): Promise<typeof Undici> => (undici ??= import('undici'));

export type HttpHeaders = Record<string, string>;

/** A request body: bytes (replayable) or a factory of fresh streams (replayable too). */
export type HttpBody = Uint8Array | (() => Readable);

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: HttpHeaders;
  body?: HttpBody;
  /** `whole` (default): the timeout bounds headers and body; `idle`: each gap (large blobs). */
  timeout?: TimeoutMode;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, ` except where noted by `headerList`. */
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  url: URL;
  /** The request carried an `Authorization` header (set by the registry session). */
  authorized?: boolean;
  /** Where the credential behind that header came from (`Credential.source`), when known. */
  credentialSource?: string;
}

export interface TransportOptions {
  /** Inject a dispatcher (tests, shared pools); otherwise one is created and owned here. */
  dispatcher?: Dispatcher;
  /** Environment for proxy settings; defaults to an empty one. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Per-request timeout, ms: the whole exchange, or each gap for `idle` requests (see time-limits.ts). */
  timeoutMs?: number;
  /** Time for all requests of this transport together, ms, from its creation; 0 or absent: none. */
  deadlineMs?: number;
  /** Maximum connections per origin. */
  connections?: number;
  /** Aborts every request (the user pressed Ctrl-C). */
  signal?: AbortSignal;
}

/** Picks the proxy settings from an environment (upper- or lower-case names). */
export function proxySettings(env: Readonly<Record<string, string | undefined>>): {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
} {
  const pick = (name: string): string | undefined => {
    const value = env[name] ?? env[name.toLowerCase()];
    return value === undefined || value === '' ? undefined : value;
  };
  const out: { httpProxy?: string; httpsProxy?: string; noProxy?: string } = {};
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  const noProxy = pick('NO_PROXY');
  if (httpProxy !== undefined) out.httpProxy = httpProxy;
  if (httpsProxy !== undefined) out.httpsProxy = httpsProxy;
  if (noProxy !== undefined) out.noProxy = noProxy;
  return out;
}

/** Sends HTTP requests over kept-alive connections and counts them. */
export class Transport {
  readonly #options: TransportOptions;
  /** The injected dispatcher, or ours once the first request made it. */
  #dispatcher: Dispatcher | undefined;
  readonly #owned: boolean;
  readonly #timeoutMs: number;
  readonly #signal: AbortSignal | undefined;
  readonly #deadline: Deadline;
  /** Requests sent so far (every attempt, redirect and token fetch counts). */
  requests = 0;

  constructor(options: TransportOptions = {}) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#signal = options.signal;
    this.#deadline = new Deadline(options.deadlineMs);
    this.#dispatcher = options.dispatcher;
    this.#owned = options.dispatcher === undefined;
  }

  #ownDispatcher(lib: typeof Undici): Dispatcher {
    const proxy = proxySettings(this.#options.env ?? {});
    const pool = { connections: this.#options.connections ?? 8, keepAliveTimeout: 10_000 };
    return proxy.httpProxy !== undefined || proxy.httpsProxy !== undefined
      ? new lib.EnvHttpProxyAgent({ ...pool, ...proxy })
      : new lib.Agent(pool);
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    this.requests++;
    const mode = req.timeout ?? 'whole';
    const guard = new RequestGuard({
      timeoutMs: this.#timeoutMs,
      mode,
      deadline: this.#deadline,
      signal: this.#signal,
    });
    let res: Dispatcher.ResponseData;
    try {
      const lib = await loadUndici();
      this.#dispatcher ??= this.#ownDispatcher(lib);
      const body = typeof req.body === 'function' ? req.body() : req.body;
      res = await lib.request(req.url, {
        dispatcher: this.#dispatcher,
        method: req.method,
        headers: { 'user-agent': USER_AGENT, ...req.headers },
        ...(body === undefined ? {} : { body }),
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
        signal: guard.signal,
      });
    } catch (error) {
      guard.done();
      throw guard.reason(error);
    }
    guard.watch(res.statusCode, mode, res.body);
    return { status: res.statusCode, headers: res.headers, body: res.body, url: req.url };
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#dispatcher?.close();
  }
}

/** One header value as a string (first of a repeated header). */
export function header(res: Pick<HttpResponse, 'headers'>, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a header, split per occurrence. */
export function headerList(res: Pick<HttpResponse, 'headers'>, name: string): string[] {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Reads at most `max` bytes of a body, then drops the rest; returns the bytes and whether it was cut. */
export async function readCapped(
  body: Readable,
  max: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > max) {
      chunks.push(chunk.subarray(0, max - size));
      size = max;
      truncated = true;
      body.destroy();
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks, size), truncated };
}

/** Throws the body away (read to the end when small, else destroyed) so the socket can be reused. */
export async function discard(body: Readable): Promise<void> {
  try {
    await readCapped(body, 64 * 1024);
  } catch {
    // a body that fails while being discarded does not matter
  }
}
