/**
 * A small fault-injecting HTTP server for what the real registry cannot show (tag pagination,
 * 429 + Retry-After, 5xx then success, wrong digests, truncated bodies, cross-origin redirects,
 * huge error bodies, bodies dripped a few bytes at a time, bodies shorter than their
 * Content-Length). Tests register a handler per path; the server counts hits per path and
 * records every request (method, path, Authorization) so tests can assert what was sent. With
 * `proxyTo(upstream)` the paths without a handler are forwarded to a real registry, so a test can
 * spoil one blob of an otherwise real registry.
 */
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  hit: number,
  url: URL,
) => void;

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  range: string | undefined;
  userAgent: string | undefined;
}

export interface FaultServer {
  /** `127.0.0.1:<port>`. */
  host: string;
  url: string;
  seen: SeenRequest[];
  /** Serves `path` (no query) with `handler`; `hit` counts from 1. */
  on(path: string, handler: FaultHandler): void;
  /** Forwards requests without a handler to `upstream` (`http://127.0.0.1:<port>`). */
  proxyTo(upstream: string): void;
  stop(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0. Unknown paths get a plain-text 404. */
export async function startFaultServer(): Promise<FaultServer> {
  const handlers = new Map<string, FaultHandler>();
  const hits = new Map<string, number>();
  const seen: SeenRequest[] = [];
  let upstream: URL | undefined;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      range: req.headers.range,
      userAgent: req.headers['user-agent'],
    });
    const hit = (hits.get(url.pathname) ?? 0) + 1;
    hits.set(url.pathname, hit);
    const handler = handlers.get(url.pathname);
    if (handler === undefined && upstream !== undefined) return forward(req, res, upstream);
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
      return;
    }
    handler(req, res, hit, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    seen,
    on: (path, handler) => void handlers.set(path, handler),
    proxyTo: (url) => void (upstream = new URL(url)),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(req: IncomingMessage, res: ServerResponse, upstream: URL): void {
  const out = request(
    new URL(req.url ?? '/', upstream),
    { method: req.method, headers: { ...req.headers, host: upstream.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}

/** Sends a JSON body with the given status and headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/**
 * Sends `body` (with its full Content-Length) `chunk` bytes every `intervalMs`: a registry that
 * drips. Stops when the client goes away.
 */
export function drip(
  res: ServerResponse,
  body: Buffer,
  options: {
    intervalMs: number;
    chunk?: number;
    status?: number;
    headers?: Record<string, string>;
  },
): void {
  const chunk = options.chunk ?? 1;
  res.writeHead(options.status ?? 200, {
    'content-length': String(body.byteLength),
    ...options.headers,
  });
  let offset = 0;
  const timer = setInterval(() => {
    if (res.destroyed || offset >= body.byteLength) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body.subarray(offset, offset + chunk));
    offset += chunk;
  }, options.intervalMs);
  res.on('close', () => clearInterval(timer));
}

/** Announces `contentLength` bytes, sends `body` (fewer), then closes the connection. */
export function sendShort(
  res: ServerResponse,
  body: Buffer,
  contentLength: number,
  headers: Record<string, string> = {},
): void {
  res.writeHead(200, { 'content-length': String(contentLength), ...headers });
  res.write(body, () => res.socket?.destroy());
}
