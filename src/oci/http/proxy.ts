/**
 * Proxies from the environment, for the node:http(s) transport (`node-send.ts`): `HTTP_PROXY` for
 * `http:` URLs, `HTTPS_PROXY` (else `HTTP_PROXY`) for `https:` URLs, `NO_PROXY` for the hosts
 * reached directly; upper- or lower-case names, read from the injected environment (never
 * `process.env`). The Rust wit-deps tool's `PROXY_SERVER`/`PROXY_USERNAME`/`PROXY_PASSWORD` are
 * turned into these by `app/rust-deps-install.ts`.
 *
 * - `http:` through a proxy: the request goes to the proxy in absolute form (`GET http://host/...`).
 * - `https:` through a proxy: a `CONNECT host:port` tunnel, then TLS to the registry inside it
 *   (certificates are checked against the registry's name, never the proxy's).
 * - The proxy's credentials (`http://user:password@proxy:3128`) go in `Proxy-Authorization` to
 *   the proxy only, never to the registry.
 * - `NO_PROXY`: comma- or space-separated `host`, `host:port`, `.domain` or `*.domain`; `host`
 *   also matches its subdomains (as curl does); `*` alone turns the proxy off.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import {
  Agent as HttpsAgent,
  request as httpsRequest,
  type AgentOptions,
  type RequestOptions,
} from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { WitDepsError } from '../../errors.js';

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

/** Picks the proxy settings from an environment (upper- or lower-case names). */
export function proxySettings(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const pick = (name: string): string | undefined => {
    const value = env[name] ?? env[name.toLowerCase()];
    return value === undefined || value === '' ? undefined : value;
  };
  const out: ProxySettings = {};
  const httpProxy = pick('HTTP_PROXY');
  const httpsProxy = pick('HTTPS_PROXY');
  const noProxy = pick('NO_PROXY');
  if (httpProxy !== undefined) out.httpProxy = httpProxy;
  if (httpsProxy !== undefined) out.httpsProxy = httpsProxy;
  if (noProxy !== undefined) out.noProxy = noProxy;
  return out;
}

/** A proxy to send through: its URL and the `Proxy-Authorization` its URL's user info gives. */
export interface Proxy {
  url: URL;
  authorization: string | undefined;
}

/** Parses a proxy URL (`http://[user:password@]host[:port]`; `https:` for a TLS proxy). */
export function parseProxy(value: string, name: string): Proxy {
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new WitDepsError('ERR_USAGE', `${name} is not an http(s) proxy URL`, {
      hint: `set ${name} to \`http://host:port\` (or \`http://user:password@host:port\`)`,
    });
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const authorization =
    user === '' && password === ''
      ? undefined
      : `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return { url, authorization };
}

interface NoProxyEntry {
  host: string;
  port: number | undefined;
  /** `.domain`/`*.domain`: subdomains only; plain `host`: the host and its subdomains. */
  suffixOnly: boolean;
}

function parseNoProxy(value: string | undefined): NoProxyEntry[] | 'all' {
  const entries: NoProxyEntry[] = [];
  for (const raw of (value ?? '').split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return 'all';
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[(.*)\](:\d+)?$/, '$1$2'));
    const host = (m?.[1] ?? entry).replace(/^\*/, '');
    const port = m?.[2] === undefined ? undefined : Number(m[2]);
    entries.push({ host: host.replace(/^\./, ''), port, suffixOnly: host.startsWith('.') });
  }
  return entries;
}

/** The host of a URL without IPv6 brackets, lower case. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function defaultPort(url: URL): number {
  return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

/** Chooses the proxy (if any) for each URL from the settings; parsed once. */
export class ProxyRoutes {
  readonly #http: Proxy | undefined;
  readonly #https: Proxy | undefined;
  readonly #noProxy: NoProxyEntry[] | 'all';

  constructor(settings: ProxySettings) {
    this.#http =
      settings.httpProxy === undefined ? undefined : parseProxy(settings.httpProxy, 'HTTP_PROXY');
    this.#https =
      settings.httpsProxy === undefined
        ? this.#http
        : parseProxy(settings.httpsProxy, 'HTTPS_PROXY');
    this.#noProxy = parseNoProxy(settings.noProxy);
  }

  /** True when some URL may go through a proxy. */
  get any(): boolean {
    return this.#http !== undefined || this.#https !== undefined;
  }

  /** The proxy for `url`, or undefined to connect directly. */
  proxyFor(url: URL): Proxy | undefined {
    const proxy = url.protocol === 'https:' ? this.#https : this.#http;
    if (proxy === undefined || this.#noProxy === 'all') return undefined;
    const host = bareHost(url);
    const port = defaultPort(url);
    for (const entry of this.#noProxy) {
      if (entry.port !== undefined && entry.port !== port) continue;
      if (!entry.suffixOnly && host === entry.host) return undefined;
      if (host.endsWith(`.${entry.host}`)) return undefined;
    }
    return proxy;
  }
}

/** The error of a `CONNECT` the proxy refused: its message (no code) names the proxy and status. */
function tunnelRefused(res: IncomingMessage, proxy: URL): Error {
  return new Error(`the proxy \`${proxy.host}\` answered CONNECT with HTTP ${res.statusCode}`);
}

/**
 * An https agent whose connections are `CONNECT` tunnels through `proxy`: keep-alive and the
 * per-origin pool work as for direct connections, the TLS session is with the registry.
 */
export class TunnelAgent extends HttpsAgent {
  readonly #proxy: Proxy;

  constructor(proxy: Proxy, options: AgentOptions) {
    super(options);
    this.#proxy = proxy;
  }

  // Node's agents accept a `createConnection` that hands its socket to a callback later
  override createConnection(
    options: RequestOptions,
    done?: (error: Error | null, socket: Duplex) => void,
  ): undefined {
    const callback = (error: Error | null, socket?: Duplex): void =>
      done?.(error, socket as Duplex);
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
    const proxy = this.#proxy;
    const send = proxy.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const connect = send({
      host: bareHost(proxy.url),
      port: defaultPort(proxy.url),
      method: 'CONNECT',
      path: authority,
      agent: false,
      headers: {
        host: authority,
        ...(proxy.authorization === undefined
          ? {}
          : { 'proxy-authorization': proxy.authorization }),
      },
    });
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        callback(tunnelRefused(res, proxy.url));
        return;
      }
      const named = (options as ConnectionOptions).servername;
      const servername =
        named !== undefined && named !== '' && isIP(named) === 0
          ? named
          : isIP(host) === 0
            ? host
            : undefined;
      const tls = tlsConnect({
        ...(options as ConnectionOptions),
        socket,
        ...(servername === undefined ? {} : { servername }),
      });
      callback(null, tls);
    });
    connect.once('response', (res) => {
      res.resume();
      callback(tunnelRefused(res, proxy.url));
    });
    connect.once('error', (error) => callback(error));
    connect.end();
    return undefined;
  }
}
