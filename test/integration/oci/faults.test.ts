/**
 * The client against a fault-injecting server: pagination, retries, integrity failures that leave
 * no file, truncated bodies, cross-origin redirects without Authorization, capped error bodies.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';
import { saveBlob } from '../../../src/oci/save-blob.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { encodeJson } from '../../../src/oci/manifest-format.js';
import { OCI_MANIFEST } from '../../../src/oci/media-types.js';
import type { RetryClock } from '../../../src/oci/http/retry.js';
import type { OciEvent } from '../../../src/oci/request-pipeline.js';
import { sendJson, startFaultServer, type FaultServer } from '../../support/fault-server.js';
import { tempDirSync } from '../../support/temp-project.js';

const BLOB = Buffer.from('the real blob content, 42 bytes long......');
const DESC = { digest: sha256Digest(BLOB), size: BLOB.byteLength };
const MANIFEST = encodeJson({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: {
    mediaType: 'application/vnd.wasm.config.v0+json',
    digest: DESC.digest,
    size: DESC.size,
  },
  layers: [],
});

describe('fault-injecting server', () => {
  let server: FaultServer;
  let other: FaultServer;
  let sleeps: number[];
  let clients: OciClients;
  const clock: RetryClock = {
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    random: () => 0.5,
  };
  const client = (): ReturnType<OciClients['registry']> => clients.registry(server.host);
  const tempDir = (): string => tempDirSync('wit-deps-fault-');

  beforeAll(async () => {
    server = await startFaultServer();
    other = await startFaultServer();
  });
  afterAll(async () => {
    await clients?.close();
    await server?.stop();
    await other?.stop();
  });
  const fresh = (credentials = false): void => {
    sleeps = [];
    clients = new OciClients({
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 5000 },
      clock,
      maxTagPages: 5,
      credentials: () =>
        Promise.resolve(
          credentials ? { kind: 'basic', username: 'u', password: 'p4ss-secret' } : undefined,
        ),
    });
  };

  it('follows Link pagination (relative and absolute), including an empty page', async () => {
    fresh();
    server.on('/v2/paged/tags/list', (_req, res, _hit, url) => {
      const last = url.searchParams.get('last');
      if (last === null)
        return sendJson(
          res,
          200,
          { name: 'paged', tags: ['0.1.0', 'b'] },
          { link: '</v2/paged/tags/list?n=2&last=b>; rel="next"' },
        );
      if (last === 'b')
        return sendJson(
          res,
          200,
          { name: 'paged', tags: ['1.0.0'] },
          { link: `<${server.url}/v2/paged/tags/list?n=2&last=1.0.0>; rel="next"` },
        );
      return sendJson(res, 200, { name: 'paged', tags: [] });
    });
    expect(await client().listTags('paged')).toEqual(['0.1.0', 'b', '1.0.0']);
  });

  it('stops at the page cap with ERR_REGISTRY_TOO_MANY_PAGES', async () => {
    fresh();
    server.on('/v2/endless/tags/list', (_req, res, hit) =>
      sendJson(
        res,
        200,
        { tags: [`t${hit}`] },
        { link: `</v2/endless/tags/list?last=t${hit}>; rel="next"` },
      ),
    );
    await expect(client().listTags('endless')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_TOO_MANY_PAGES',
    });
  });

  it('waits for Retry-After on 429, then succeeds', async () => {
    fresh();
    server.on('/v2/limited/manifests/1.0.0', (_req, res, hit) => {
      if (hit === 1)
        return sendJson(
          res,
          429,
          { errors: [{ code: 'TOOMANYREQUESTS', message: 'slow down' }] },
          { 'retry-after': '2' },
        );
      res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(Buffer.from(MANIFEST));
    });
    const got = await client().getManifest('limited', '1.0.0');
    expect(got.digest).toBe(sha256Digest(MANIFEST));
    expect(sleeps).toEqual([2000]);
  });

  it('gives up on persistent 429 with ERR_REGISTRY_RATE_LIMITED after the retries', async () => {
    fresh();
    server.on('/v2/always429/manifests/1.0.0', (_req, res) =>
      sendJson(res, 429, { errors: [{ code: 'TOOMANYREQUESTS', message: 'no' }] }),
    );
    await expect(client().getManifest('always429', '1.0.0')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_RATE_LIMITED',
    });
    expect(sleeps).toHaveLength(3);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0]!); // exponential backoff
  });

  it('retries a 500 and then succeeds; does not retry a 400', async () => {
    fresh();
    server.on('/v2/flaky/blobs/' + DESC.digest, (_req, res, hit) => {
      if (hit === 1) return sendJson(res, 500, { errors: [] });
      res.writeHead(200, { 'content-length': String(BLOB.byteLength) }).end(BLOB);
    });
    expect(Buffer.from(await client().fetchBlobBytes('flaky', DESC)).equals(BLOB)).toBe(true);
    server.on('/v2/bad/manifests/x', (_req, res) =>
      sendJson(res, 400, { errors: [{ code: 'MANIFEST_INVALID', message: 'nope' }] }),
    );
    await expect(client().getManifest('bad', 'x')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_RESPONSE',
    });
    expect(sleeps).toHaveLength(1);
  });

  it('retries after a connection reset', async () => {
    fresh();
    server.on('/v2/reset/manifests/1.0.0', (req, res, hit) => {
      if (hit === 1) req.socket.destroy();
      else res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(Buffer.from(MANIFEST));
    });
    expect((await client().getManifest('reset', '1.0.0')).digest).toBe(sha256Digest(MANIFEST));
    expect(sleeps).toHaveLength(1);
  });

  it('fails a blob whose bytes do not match its digest with ERR_INTEGRITY_MISMATCH and leaves no file', async () => {
    fresh();
    server.on('/v2/corrupt/blobs/' + DESC.digest, (_req, res) => {
      const wrong = Buffer.from(BLOB).fill(0x41, 0, 4);
      res.writeHead(200, { 'content-length': String(wrong.byteLength) }).end(wrong);
    });
    const dir = tempDir();
    await expect(saveBlob(client(), 'corrupt', DESC, join(dir, 'blob'))).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails an oversized blob early and leaves no file', async () => {
    fresh();
    server.on('/v2/oversized/blobs/' + DESC.digest, (_req, res) =>
      res.writeHead(200).end(Buffer.concat([BLOB, BLOB])),
    );
    const dir = tempDir();
    await expect(saveBlob(client(), 'oversized', DESC, join(dir, 'blob'))).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails a truncated body and leaves no file', async () => {
    fresh();
    server.on('/v2/truncated/blobs/' + DESC.digest, (req, res) => {
      res.writeHead(200, { 'content-length': String(BLOB.byteLength) });
      res.write(BLOB.subarray(0, 10), () => req.socket.destroy());
    });
    const dir = tempDir();
    const error = await saveBlob(client(), 'truncated', DESC, join(dir, 'blob')).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: expect.stringMatching(/^ERR_(NETWORK|INTEGRITY_MISMATCH)$/) as unknown,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('resumes a broken-off blob with a Range request', async () => {
    fresh();
    server.on('/v2/resumed/blobs/' + DESC.digest, (req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'content-length': String(BLOB.byteLength) });
        res.write(BLOB.subarray(0, 20), () => setTimeout(() => req.socket.destroy(), 50));
        return;
      }
      const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
      res
        .writeHead(206, {
          'content-range': `bytes ${start}-${BLOB.byteLength - 1}/${BLOB.byteLength}`,
        })
        .end(BLOB.subarray(start));
    });
    const dir = tempDir();
    await saveBlob(client(), 'resumed', DESC, join(dir, 'blob'));
    expect(readFileSync(join(dir, 'blob')).equals(BLOB)).toBe(true);
    const ranges = server.seen.filter((r) => r.path.startsWith('/v2/resumed/')).map((r) => r.range);
    expect(ranges).toEqual([undefined, 'bytes=20-']);
  });

  it('starts over when the server ignores Range and sends the whole blob', async () => {
    fresh();
    server.on('/v2/norange/blobs/' + DESC.digest, (req, res, hit) => {
      res.writeHead(200, { 'content-length': String(BLOB.byteLength) });
      if (hit === 1) res.write(BLOB.subarray(0, 20), () => req.socket.destroy());
      else res.end(BLOB);
    });
    const dir = tempDir();
    await saveBlob(client(), 'norange', DESC, join(dir, 'blob'));
    expect(readFileSync(join(dir, 'blob')).equals(BLOB)).toBe(true);
    expect(readdirSync(dir)).toEqual(['blob']);
  });

  it('fails when the body sent again after a break is shorter than what was already read', async () => {
    fresh();
    server.on('/v2/shrunk/blobs/' + DESC.digest, (req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'content-length': String(BLOB.byteLength) });
        res.write(BLOB.subarray(0, 20), () => req.socket.destroy());
      } else res.writeHead(200, { 'content-length': '10' }).end(BLOB.subarray(0, 10));
    });
    const dir = tempDir();
    await expect(saveBlob(client(), 'shrunk', DESC, join(dir, 'blob'))).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
      message: expect.stringContaining(`has 10 bytes, expected ${BLOB.byteLength}`) as unknown,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('checks Docker-Content-Digest against the manifest body', async () => {
    fresh();
    server.on('/v2/lying/manifests/1.0.0', (_req, res) => {
      res
        .writeHead(200, {
          'content-type': OCI_MANIFEST,
          'docker-content-digest': sha256Digest(Buffer.from('other')),
        })
        .end(Buffer.from(MANIFEST));
    });
    await expect(client().getManifest('lying', '1.0.0')).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
    });
  });

  it('follows a cross-origin blob redirect without sending Authorization to the other origin', async () => {
    fresh(true);
    const path = `/v2/redirected/blobs/${DESC.digest}`;
    server.on(path, (req, res) => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="fault"' }).end();
        return;
      }
      res.writeHead(307, { location: `${other.url}/storage/blob` }).end();
    });
    other.on('/storage/blob', (_req, res) =>
      res.writeHead(200, { 'content-length': String(BLOB.byteLength) }).end(BLOB),
    );
    const dir = tempDir();
    await saveBlob(client(), 'redirected', DESC, join(dir, 'blob'));
    expect(existsSync(join(dir, 'blob'))).toBe(true);
    expect(
      server.seen.filter((r) => r.path === path).map((r) => r.authorization?.split(' ')[0]),
    ).toEqual([undefined, 'Basic']);
    const atOther = other.seen.filter((r) => r.path === '/storage/blob');
    expect(atOther).toHaveLength(1);
    expect(atOther[0]?.authorization).toBeUndefined();
  });

  it('reports a registry Warning header once as an event', async () => {
    const events: OciEvent[] = [];
    const c = new OciClients({ onEvent: (e) => events.push(e) });
    server.on('/v2/warned/tags/list', (_req, res) =>
      sendJson(res, 200, { tags: [] }, { warning: '299 - "this registry is deprecated"' }),
    );
    try {
      await c.registry(server.host).listTags('warned');
      await c.registry(server.host).listTags('warned');
    } finally {
      await c.close();
    }
    expect(events.filter((e) => e.type !== 'request')).toEqual([
      { type: 'warning', registry: server.host, text: 'this registry is deprecated' },
    ]);
    expect(events.filter((e) => e.type === 'request')).toHaveLength(2);
  });

  it('caps huge error bodies and keeps credentials and queries out of messages', async () => {
    fresh(true);
    server.on('/v2/huge/manifests/1.0.0', (_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5 * 1024 * 1024));
    });
    const error = (await client()
      .getManifest('huge', '1.0.0')
      .catch((e: unknown) => e)) as Error & { details: Record<string, unknown> };
    expect(error).toMatchObject({
      code: 'ERR_REGISTRY_RESPONSE',
      details: { status: 400, bodyTruncated: true },
    });
    expect(error.message.length).toBeLessThan(600);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain('p4ss-secret');
  });
});
