/**
 * One HTTP exchange over Node's own `http`/`https` (the default transport; see `transport.ts`):
 * kept-alive agents per scheme (and per proxy), the request body sent from bytes or streamed,
 * the response handed back with its body unread. Node's client needs no Wasm HTTP parser, so a
 * command neither loads one (about 150 ms) nor waits at exit while V8 optimises it.
 *
 * Limits: an abort of `signal` (a time limit of `time-limits.ts`, or Ctrl-C) destroys the request
 * and its response body with the signal's reason; `idleMs` bounds each gap without traffic on
 * the socket, connecting included (large blob transfers), with a {@link TimeLimitError} of kind
 * `idle`. Redirects are not followed here (the callers do it, dropping `Authorization` across
 * origins).
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type AgentOptions,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { open } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { ProxyRoutes, TunnelAgent, type Proxy, type ProxySettings } from './proxy.js';
import { TimeLimitError } from './time-limits.js';

/** `length` bytes of the file at `path` from byte `start`. */
export interface FileRange {
  path: string;
  start: number;
  length: number;
}

/** How long an unused kept-alive connection stays open (a server's `Keep-Alive` hint wins when shorter). */
const KEEP_ALIVE_MS = 10_000;

export interface NodeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array | FileRange | Readable | undefined;
}

export interface NodeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: IncomingMessage;
}

/** The kept-alive agents of one transport: direct http, direct https, and per proxy. */
export class NodeAgents {
  readonly routes: ProxyRoutes;
  readonly #connections: number;
  readonly #agents = new Map<string, HttpAgent>();

  constructor(settings: ProxySettings, connections: number) {
    this.routes = new ProxyRoutes(settings);
    this.#connections = connections;
  }

  #agent(key: string, make: (options: AgentOptions) => HttpAgent): HttpAgent {
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      agent = make({ keepAlive: true, maxSockets: this.#connections, timeout: KEEP_ALIVE_MS });
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** The agent for a direct request to `url`'s scheme. */
  direct(url: URL): HttpAgent {
    return url.protocol === 'https:'
      ? this.#agent('https', (o) => new HttpsAgent(o))
      : this.#agent('http', (o) => new HttpAgent(o));
  }

  /** The agent for connections to the proxy itself (plain-http targets, absolute form). */
  toProxy(proxy: Proxy): HttpAgent {
    return proxy.url.protocol === 'https:'
      ? this.#agent(`proxy ${proxy.url.href}`, (o) => new HttpsAgent(o))
      : this.#agent(`proxy ${proxy.url.href}`, (o) => new HttpAgent(o));
  }

  /** The agent whose connections are CONNECT tunnels through `proxy` (https targets). */
  tunnel(proxy: Proxy): HttpAgent {
    return this.#agent(`tunnel ${proxy.url.href}`, (o) => new TunnelAgent(proxy, o));
  }

  /** Closes every connection. */
  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

/** The request to send: direct, absolute form to a proxy (http), or through a tunnel (https). */
function route(
  req: NodeRequest,
  agents: NodeAgents,
  headers: OutgoingHttpHeaders,
): { send: typeof httpRequest; options: RequestOptions } {
  const { url } = req;
  const proxy = agents.routes.proxyFor(url);
  const https = url.protocol === 'https:';
  const base = { method: req.method, headers };
  if (proxy === undefined || https) {
    const agent = proxy === undefined ? agents.direct(url) : agents.tunnel(proxy);
    const target = {
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      path: `${url.pathname}${url.search}`,
      ...(url.port === '' ? {} : { port: Number(url.port) }),
    };
    return { send: https ? httpsRequest : httpRequest, options: { ...base, ...target, agent } };
  }
  const auth = proxy.authorization;
  return {
    send: proxy.url.protocol === 'https:' ? httpsRequest : httpRequest,
    options: {
      ...base,
      hostname: proxy.url.hostname.replace(/^\[(.*)\]$/, '$1'),
      ...(proxy.url.port === '' ? {} : { port: Number(proxy.url.port) }),
      path: url.href,
      headers: {
        ...headers,
        host: url.host,
        ...(auth === undefined ? {} : { 'proxy-authorization': auth }),
      },
      agent: agents.toProxy(proxy),
    },
  };
}

/** Response headers: lower-case names, a repeated header as an array of its values. */
function headersOf(res: IncomingMessage): NodeResponse['headers'] {
  const out: NodeResponse['headers'] = {};
  for (const [name, values] of Object.entries(res.headersDistinct)) {
    if (values !== undefined) out[name] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** Bounds each silent gap on the request's socket; returns the function that stops it. */
function watchIdle(request: ClientRequest, idleMs: number, fail: (error: Error) => void) {
  let stop = (): void => undefined;
  request.once('socket', (socket: Socket) => {
    const fire = (): void => fail(new TimeLimitError('idle', idleMs));
    socket.setTimeout(idleMs);
    socket.on('timeout', fire);
    stop = () => {
      socket.removeListener('timeout', fire);
      socket.setTimeout(0);
    };
  });
  return () => stop();
}

/** Bytes of a file range read at a time, into one buffer reused once the socket took them. */
const RANGE_READ = 256 * 1024;

/** Writes a file range through one reused buffer: each read waits until the last write is out. */
async function writeRange(request: ClientRequest, range: FileRange): Promise<void> {
  const handle = await open(range.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(RANGE_READ, Math.max(range.length, 1)));
    for (let done = 0; done < range.length;) {
      const want = Math.min(buffer.length, range.length - done);
      const { bytesRead } = await handle.read(buffer, 0, want, range.start + done);
      if (bytesRead === 0)
        throw new Error(`${range.path} ended before byte ${range.start + range.length}`);
      await new Promise<void>((resolve, reject) =>
        request.write(buffer.subarray(0, bytesRead), (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      done += bytesRead;
    }
    request.end();
  } finally {
    await handle.close();
  }
}

function writeBody(request: ClientRequest, body: NodeRequest['body']): void {
  if (body === undefined) request.end();
  else if (body instanceof Uint8Array) request.end(body);
  else if ('read' in body) pipeline(body, request, (error) => error && request.destroy(error));
  else writeRange(request, body).catch((error: Error) => request.destroy(error));
}

/** Sends one request; resolves with the response headers, its body unread. */
export function sendNode(
  req: NodeRequest,
  agents: NodeAgents,
  limits: { signal: AbortSignal; idleMs: number | undefined },
): Promise<NodeResponse> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...req.headers };
    if (req.body instanceof Uint8Array && headers['content-length'] === undefined)
      headers['content-length'] = String(req.body.byteLength);
    const { send, options } = route(req, agents, headers);
    const request = send(options);
    let response: IncomingMessage | undefined;
    let stopIdle = (): void => undefined;
    const { signal } = limits;
    const fail = (error: Error): void => {
      request.destroy(error);
      response?.destroy(error);
    };
    const onAbort = (): void => fail(signal.reason as Error);
    const finish = (): void => {
      stopIdle();
      signal.removeEventListener('abort', onAbort);
    };
    if (limits.idleMs !== undefined) stopIdle = watchIdle(request, limits.idleMs, fail);
    request.on('error', (error) => {
      if (response !== undefined) return void response.destroy(error);
      finish();
      reject(error);
    });
    request.once('response', (res) => {
      response = res;
      res.once('end', finish);
      res.once('close', finish);
      resolve({ status: res.statusCode ?? 0, headers: headersOf(res), body: res });
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    writeBody(request, req.body);
  });
}
