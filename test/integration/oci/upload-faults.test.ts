/**
 * Upload protocol details the real registry does not show: a relative upload `Location` that
 * already carries a query, `OCI-Chunk-Min-Length` raising the chunk size, a new `Location` per
 * PATCH, and the session cancelled with DELETE when the closing PUT fails.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { sendJson, startFaultServer, type FaultServer } from '../../support/fault-server.js';

describe('upload protocol', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => server?.stop());

  function serveUploads(
    repo: string,
    finalStatus: number,
  ): { patches: string[]; received: Buffer[] } {
    const patches: string[] = [];
    const received: Buffer[] = [];
    server.on(`/v2/${repo}/blobs/uploads/`, (_req, res) => {
      res
        .writeHead(202, {
          location: `/v2/${repo}/blobs/uploads/session?_state=s0`,
          'oci-chunk-min-length': '4096',
        })
        .end();
    });
    server.on(`/v2/${repo}/blobs/uploads/session`, (req, res, _hit, url) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks));
        if (req.method === 'PATCH') {
          patches.push(`${url.searchParams.get('_state')} ${req.headers['content-range']}`);
          res
            .writeHead(202, {
              location: `/v2/${repo}/blobs/uploads/session?_state=s${patches.length}`,
            })
            .end();
        } else if (req.method === 'PUT') {
          patches.push(`PUT ${url.searchParams.get('_state')} ${url.searchParams.get('digest')}`);
          if (finalStatus === 201) res.writeHead(201).end();
          else sendJson(res, finalStatus, { errors: [{ code: 'DIGEST_INVALID', message: 'no' }] });
        } else {
          patches.push(`${req.method} ${url.searchParams.get('_state')}`);
          res.writeHead(204).end();
        }
      });
    });
    return { patches, received };
  }

  it('honours OCI-Chunk-Min-Length, follows each new Location and adds the digest to the query', async () => {
    const { patches, received } = serveUploads('chunked', 201);
    const bytes = randomBytes(5000);
    const digest = sha256Digest(bytes);
    const clients = new OciClients({
      chunkSize: 1024,
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });
    try {
      expect(
        await clients.registry(server.host).pushBlob('chunked', { digest, size: 5000 }, { bytes }),
      ).toBe('uploaded');
    } finally {
      await clients.close();
    }
    expect(patches).toEqual(['s0 0-4095', 's1 4096-4999', `PUT s2 ${digest}`]);
    expect(Buffer.concat(received).equals(bytes)).toBe(true);
  });

  it('cancels the upload session with DELETE when the closing PUT fails', async () => {
    const { patches } = serveUploads('failing', 400);
    const bytes = randomBytes(100);
    const clients = new OciClients({ retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
    try {
      await expect(
        clients
          .registry(server.host)
          .pushBlob('failing', { digest: sha256Digest(bytes), size: 100 }, { bytes }),
      ).rejects.toMatchObject({
        code: 'ERR_REGISTRY_RESPONSE',
        message: expect.stringContaining('DIGEST_INVALID') as unknown,
      });
    } finally {
      await clients.close();
    }
    expect(patches).toEqual([`PUT s0 ${sha256Digest(bytes)}`, 'DELETE s0']);
  });
});

describe('interruption', () => {
  it('aborts a hanging request when the CLI signal fires and exits 130', async () => {
    const server = await startFaultServer();
    server.on('/v2/hang/tags/list', () => undefined); // never answers
    const controller = new AbortController();
    const io = bufferIo({ env: {}, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    try {
      expect(await main(['oci', 'tags', `${server.host}/hang`], io)).toBe(130);
      expect(io.err()).toContain('ERR_INTERRUPTED');
    } finally {
      await server.stop();
    }
  });

  it('sends no Authorization to an upload Location on another origin', async () => {
    const server = await startFaultServer();
    const other = await startFaultServer();
    try {
      const blob = randomBytes(100);
      const digest = sha256Digest(blob);
      const basic = `Basic ${Buffer.from('u:upload-s3cret').toString('base64')}`;
      server.on(`/v2/away/blobs/${digest}`, (req, res) => {
        if (req.headers.authorization !== basic)
          return sendJson(res, 401, {}, { 'www-authenticate': 'Basic realm="r"' });
        res.writeHead(404).end();
      });
      server.on('/v2/away/blobs/uploads/', (_req, res) =>
        res.writeHead(202, { location: `${other.url}/upload/1?_state=x` }).end(),
      );
      other.on('/upload/1', (req, res) => {
        req.resume();
        req.on('end', () => res.writeHead(201, { 'docker-content-digest': digest }).end());
      });
      const clients = new OciClients({
        retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
        credentials: () =>
          Promise.resolve({ kind: 'basic', username: 'u', password: 'upload-s3cret' }),
      });
      try {
        await clients
          .registry(server.host)
          .pushBlob('away', { digest, size: blob.byteLength }, { bytes: blob });
      } finally {
        await clients.close();
      }
      expect(other.seen.map((r) => r.method)).toEqual(['PUT']);
      expect(other.seen[0]?.authorization).toBeUndefined();
    } finally {
      await other.stop();
      await server.stop();
    }
  });
});
