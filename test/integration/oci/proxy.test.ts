/**
 * Proxy support through the environment (`oci/http/proxy.ts`): with `HTTP_PROXY` set, registry
 * traffic goes through the proxy; hosts in `NO_PROXY` are reached directly; an https registry is
 * reached through a CONNECT tunnel, with TLS (name and certificate) checked against the registry;
 * the proxy's credentials go to the proxy only. The proxy is a small real forward proxy
 * (absolute-form requests and CONNECT tunnels) on loopback; its tunnels all lead to `tunnelTo`.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';
import { fetchRegistryMetadata } from '../../../src/registry/well-known.js';
import { sendJson, startFaultServer, type FaultServer } from '../../support/fault-server.js';
import { tempDirSync } from '../../support/temp-project.js';

interface Proxy {
  url: string;
  seen: string[];
  /** The `Proxy-Authorization` of every request and CONNECT, in order. */
  auth: (string | undefined)[];
  /** Where CONNECT tunnels lead (a port on loopback); else the requested host and port. */
  tunnelTo?: number;
  /** Answer CONNECT with this status instead of tunnelling. */
  refuse?: number | undefined;
  stop(): Promise<void>;
}

async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const auth: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    auth.push(req.headers['proxy-authorization']);
    delete req.headers['proxy-authorization'];
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    auth.push(req.headers['proxy-authorization']);
    if (proxy.refuse !== undefined) {
      socket.end(`HTTP/1.1 ${proxy.refuse} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const to = proxy.tunnelTo;
    const upstream = connect(to ?? Number(port), to === undefined ? host : '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: Proxy = {
    url: `http://127.0.0.1:${port}`,
    seen,
    auth,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

describe('HTTP_PROXY / NO_PROXY', () => {
  let registry: FaultServer;
  let proxy: Proxy;
  beforeAll(async () => {
    registry = await startFaultServer();
    proxy = await startProxy();
    registry.on('/v2/p/tags/list', (_req, res) => sendJson(res, 200, { tags: ['1.0.0'] }));
  });
  afterAll(async () => {
    await registry?.stop();
    await proxy?.stop();
  });

  async function tags(env: Record<string, string>): Promise<string[]> {
    const clients = new OciClients({ env, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      return await clients.registry(registry.host).listTags('p');
    } finally {
      await clients.close();
    }
  }

  it('sends registry requests through the proxy', async () => {
    expect(await tags({ HTTP_PROXY: proxy.url })).toEqual(['1.0.0']);
    expect(proxy.seen.some((line) => line.includes(registry.host))).toBe(true);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const before = proxy.seen.length;
    expect(await tags({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })).toEqual(['1.0.0']);
    expect(proxy.seen.length).toBe(before);
  });

  it('fetches .well-known registry metadata through the proxy too', async () => {
    registry.on('/.well-known/wasm-pkg/registry.json', (_req, res) =>
      sendJson(res, 200, { ociRegistry: 'ghcr.io' }),
    );
    const before = proxy.seen.length;
    expect(await fetchRegistryMetadata(registry.host, { env: { HTTP_PROXY: proxy.url } })).toEqual({
      ociRegistry: 'ghcr.io',
    });
    expect(proxy.seen.slice(before).some((line) => line.includes(registry.host))).toBe(true);
  });

  it('sends the proxy credentials of the proxy URL to the proxy, and not to the registry', async () => {
    const before = proxy.auth.length;
    const url = proxy.url.replace('http://', 'http://us%40er:pa%3Ass@');
    expect(await tags({ HTTP_PROXY: url })).toEqual(['1.0.0']);
    const sent = proxy.auth.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    const basic = `Basic ${Buffer.from('us@er:pa:ss').toString('base64')}`;
    expect(sent.every((value) => value === basic)).toBe(true);
    expect(registry.seen.every((r) => r.authorization === undefined)).toBe(true);
  });
});

/** A self-signed certificate for `registry.test`, made by openssl for this run. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = tempDirSync('wit-deps-proxy-tls-');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=registry.test',
      '-addext',
      'subjectAltName=DNS:registry.test',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

describe('HTTPS_PROXY: an https registry through a CONNECT tunnel', () => {
  let proxy: Proxy;
  let tls: TlsServer;
  const names: (string | undefined)[] = [];
  beforeAll(async () => {
    proxy = await startProxy();
    const { key, cert } = selfSigned();
    tls = createTlsServer({
      key,
      cert,
      SNICallback: (name, done) => {
        names.push(name);
        done(null, undefined);
      },
    });
    tls.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    proxy.tunnelTo = (tls.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await proxy?.stop();
    await new Promise((resolve) => tls?.close(resolve));
  });

  async function tagsOf(env: Record<string, string>): Promise<unknown> {
    const clients = new OciClients({ env, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      return await clients.registry('registry.test').listTags('p');
    } catch (error) {
      return error;
    } finally {
      await clients.close();
    }
  }

  it('tunnels to the registry and checks its certificate (a self-signed one is refused)', async () => {
    const url = proxy.url.replace('http://', 'http://u:p@');
    const error = await tagsOf({ HTTPS_PROXY: url });
    expect(error).toMatchObject({ code: 'ERR_NETWORK' });
    expect(String((error as Error).message)).toMatch(/SELF_SIGNED|self.signed/i);
    expect(proxy.seen).toContain('CONNECT registry.test:443');
    expect(proxy.auth.at(-1)).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    // TLS was spoken with the registry's name, not the proxy's
    expect(names).toContain('registry.test');
  });

  it('names the proxy when it refuses the tunnel', async () => {
    proxy.refuse = 407;
    const error = await tagsOf({ HTTPS_PROXY: proxy.url });
    proxy.refuse = undefined;
    expect(error).toMatchObject({ code: 'ERR_NETWORK' });
    expect(String((error as Error).message)).toContain('answered CONNECT with HTTP 407');
  });
});
