/**
 * `.well-known/wasm-pkg/registry.json` answers are untrusted: an endless body is cut off at the
 * size cap, a server that never answers hits the timeout.
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
});
