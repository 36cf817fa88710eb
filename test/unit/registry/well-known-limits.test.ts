/**
 * `.well-known/wasm-pkg/registry.json` answers are untrusted: an endless body is cut off at the
 * size cap, a server that never answers hits the timeout, redirects are followed at most 5 times
 * and only to http(s).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../../src/oci/http/retry.js';
import { fetchRegistryMetadata } from '../../../src/registry/well-known.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('.well-known limits', () => {
  it('stops reading an endless body at the size cap', async () => {
    const host = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    await expect(fetchRegistryMetadata(host)).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: expect.stringContaining('larger than') as unknown,
    });
  }, 5_000);

  it('gives up on a server that never answers', async () => {
    const host = await serve(() => undefined);
    await expect(
      fetchRegistryMetadata(host, { timeoutMs: 300, retry: { ...DEFAULT_RETRY, retries: 0 } }),
    ).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: expect.stringContaining('no complete answer within 0.3 s') as unknown,
    });
  }, 5_000);

  it('follows a redirect to the document', async () => {
    const host = await serve((req, res) => {
      if (req.url === '/.well-known/wasm-pkg/registry.json')
        res.writeHead(302, { location: '/moved/registry.json' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ociRegistry":"x.io"}');
    });
    expect(await fetchRegistryMetadata(host)).toEqual({ ociRegistry: 'x.io' });
  }, 5_000);

  it('stops after 5 redirects and refuses a redirect out of http(s)', async () => {
    let hits = 0;
    const loop = await serve((_req, res) => {
      hits++;
      res.writeHead(307, { location: `/hop-${hits}` }).end();
    });
    await expect(fetchRegistryMetadata(loop)).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: `registry \`${loop}\` redirected its .well-known metadata too often`,
    });
    expect(hits).toBe(6);
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    const elsewhere = await serve((_req, res) =>
      res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    );
    await expect(fetchRegistryMetadata(elsewhere)).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: expect.stringContaining('to `file:`') as unknown,
    });
  }, 5_000);
});
