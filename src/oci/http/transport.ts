/**
 * The HTTP transport: Node's own `http`/`https` with one set of kept-alive agents per transport
 * (`node-send.ts`), through a proxy when one is configured (`HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`,
 * read from the injected environment, not `process.env`: `proxy.ts`). A caller that injects an
 * undici `Dispatcher` (a test's `MockAgent`, a shared pool) gets undici instead, loaded then.
 *
 * Responses are returned with their body unread; callers read it with a cap ({@link readCapped})
 * or stream it, and must {@link discard} what they do not read so the connection is reused.
 *
 * Why not undici by default: loading it costs about 150 ms, its HTTP parser is a Wasm module
 * that V8 keeps optimising on a worker thread (a command waited 150 to 300 ms for it at exit,
 * and it held about 35 MB), and a small pull took 4 times as long as with `node:http`
 * (docs/performance.md).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';
import { VERSION } from '../../version.js';
import { NodeAgents, sendNode, type FileRange } from './node-send.js';
import { proxySettings } from './proxy.js';
import { Deadline, RequestGuard, type TimeoutMode } from './time-limits.js';

export { proxySettings };

/** Sent with every request (a request's own `user-agent` header wins). */
export const USER_AGENT = `wit-deps/${VERSION} node/${process.versions.node}`;

export type HttpHeaders = Record<string, string>;

/**
 * A request body: bytes, a range of a file (sent through one reused read buffer), or a factory
 * of fresh streams; each can be sent again.
 */
export type HttpBody = Uint8Array | FileRange | (() => Readable);

export type { FileRange } from './node-send.js';

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
  /** Lower-case names; a repeated header is an array of its values (see `headerList`). */
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
  url: URL;
  /** The request carried an `Authorization` header (set by the registry session). */
  authorized?: boolean;
  /** Where the credential behind that header came from (`Credential.source`), when known. */
  credentialSource?: string;
}

export interface TransportOptions {
  /** An undici dispatcher to send through (tests, shared pools); otherwise node:http(s). */
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

/** A file range as a read stream (for undici); other bodies as they are. */
function streamOf(
  body: Uint8Array | FileRange | Readable | undefined,
): Uint8Array | Readable | undefined {
  if (body === undefined || body instanceof Uint8Array || 'read' in body) return body;
  return createReadStream(body.path, { start: body.start, end: body.start + body.length - 1 });
}

/** A response of either client, before the transport adds the URL. */
type Answer = Omit<HttpResponse, 'url'>;

/** Sends HTTP requests over kept-alive connections and counts them. */
export class Transport {
  readonly #options: TransportOptions;
  readonly #dispatcher: Dispatcher | undefined;
  /** node:http(s) agents, made on the first request. */
  #agents: NodeAgents | undefined;
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
    let res: Answer;
    try {
      const headers = { 'user-agent': USER_AGENT, ...req.headers };
      const body = typeof req.body === 'function' ? req.body() : req.body;
      res =
        this.#dispatcher === undefined
          ? await sendNode(
              { method: req.method, url: req.url, headers, body },
              this.#nodeAgents(),
              {
                signal: guard.signal,
                idleMs: mode === 'idle' ? this.#timeoutMs : undefined,
              },
            )
          : await this.#sendUndici(this.#dispatcher, req, headers, streamOf(body), guard.signal);
    } catch (error) {
      guard.done();
      throw guard.reason(error);
    }
    guard.watch(res.status, mode, res.body);
    return { ...res, url: req.url };
  }

  #nodeAgents(): NodeAgents {
    return (this.#agents ??= new NodeAgents(
      proxySettings(this.#options.env ?? {}),
      this.#options.connections ?? 8,
    ));
  }

  async #sendUndici(
    dispatcher: Dispatcher,
    req: HttpRequest,
    headers: HttpHeaders,
    body: Uint8Array | Readable | undefined,
    signal: AbortSignal,
  ): Promise<Answer> {
    const lib: typeof Undici = await import('undici');
    const res = await lib.request(req.url, {
      dispatcher,
      method: req.method,
      headers,
      ...(body === undefined ? {} : { body }),
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
      signal,
    });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  /** Closes the connections this transport opened (an injected dispatcher is the caller's). */
  close(): Promise<void> {
    this.#agents?.destroy();
    this.#agents = undefined;
    return Promise.resolve();
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
