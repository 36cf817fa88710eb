/**
 * Proxy support through the environment (undici's EnvHttpProxyAgent): with `HTTP_PROXY` set,
 * registry traffic goes through the proxy; hosts in `NO_PROXY` are reached directly. The proxy
 * is a small real forward proxy (absolute-form requests and CONNECT tunnels) on loopback.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';
import { fetchRegistryMetadata } from '../../../src/registry/well-known.js';
import { sendJson, startFaultServer, type FaultServer } from '../../support/fault-server.js';

interface Proxy {
  url: string;
  seen: string[];
  stop(): Promise<void>;
}

async function startProxy(): Promise<Proxy> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
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
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
});
