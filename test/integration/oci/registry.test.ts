/**
 * The client against the real registry (docker-registry 2.8) in its three auth modes: push and
 * pull of a real WIT package, tags, HEAD, chunked uploads, cross-repository mounts, indexes,
 * and the errors for missing or wrong credentials. One registry per mode for the whole file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';
import { saveBlob } from '../../../src/oci/save-blob.js';
import { pullWitPackage, pushWitPackage, resolveManifest } from '../../../src/oci/wit-package.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { encodeJson } from '../../../src/oci/manifest-format.js';
import { OCI_INDEX } from '../../../src/oci/media-types.js';
import type { Credential } from '../../../src/oci/auth/credential.js';
import { startFaultServer, type FaultServer } from '../../support/fault-server.js';
import { startRegistry, type RegistryAuth, type RunningRegistry } from '../../support/registry.js';
import { tempDirSync } from '../../support/temp-project.js';

const WASM = new Uint8Array(
  readFileSync(new URL('../../../fixtures/oci/wasi-http-0.2.0.wasm', import.meta.url)),
);
const CREATED = '2024-01-25T00:00:00Z';

function clientsFor(reg: RunningRegistry, credential?: Credential, chunkSize?: number): OciClients {
  const cred =
    credential ??
    (reg.username
      ? { kind: 'basic' as const, username: reg.username, password: reg.password ?? '' }
      : undefined);
  return new OciClients({
    credentials: () => Promise.resolve(cred),
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    ...(chunkSize === undefined ? {} : { chunkSize }),
  });
}

describe.each<RegistryAuth>(['none', 'basic', 'token'])('registry with auth %s', (mode) => {
  let reg: RunningRegistry;
  let clients: OciClients;

  beforeAll(async () => {
    reg = await startRegistry({ auth: mode });
    clients = clientsFor(reg, undefined, 16 * 1024);
  });
  afterAll(async () => {
    await clients?.close();
    await reg?.stop();
  });

  it('pushes a WIT package and pulls it back byte for byte', async () => {
    const client = clients.registry(reg.host);
    const pushed = await pushWitPackage(client, 'wasi/http', '0.2.0', {
      layer: WASM,
      title: 'wasi-http.wasm',
      created: CREATED,
      annotations: { 'org.opencontainers.image.version': '0.2.0' },
    });
    expect(pushed.layerDigest).toBe(sha256Digest(WASM));
    expect(pushed.blobs).toEqual({ config: 'uploaded', layer: 'uploaded' });
    const pulled = await pullWitPackage(client, 'wasi/http', '0.2.0');
    expect(Buffer.from(pulled.bytes).equals(Buffer.from(WASM))).toBe(true);
    expect(pulled.manifestDigest).toBe(pushed.manifestDigest);
    expect(pulled.layerDigest).toBe(pushed.layerDigest);
    expect(pulled.config.layerDigests).toEqual([pushed.layerDigest]);
    expect(pulled.manifest.annotations?.['org.opencontainers.image.version']).toBe('0.2.0');
    const again = await pushWitPackage(client, 'wasi/http', '0.2.0', {
      layer: WASM,
      created: CREATED,
      title: 'wasi-http.wasm',
      annotations: { 'org.opencontainers.image.version': '0.2.0' },
    });
    expect(again.blobs).toEqual({ config: 'exists', layer: 'exists' });
    expect(again.manifestDigest).toBe(pushed.manifestDigest);
  });

  it('lists tags and heads manifests', async () => {
    const client = clients.registry(reg.host);
    await pushWitPackage(client, 'wasi/tagged', '1.0.0', { layer: WASM, created: CREATED });
    const second = await pushWitPackage(client, 'wasi/tagged', 'latest', {
      layer: WASM,
      created: CREATED,
    });
    expect((await client.listTags('wasi/tagged')).sort()).toEqual(['1.0.0', 'latest']);
    const head = await client.headManifest('wasi/tagged', 'latest');
    expect(head?.digest).toBe(second.manifestDigest);
    expect(await client.headManifest('wasi/tagged', 'nope')).toBeUndefined();
  });

  it('uploads a large blob in chunks and streams it back to a file', async () => {
    const client = clients.registry(reg.host);
    const bytes = randomBytes(100 * 1024 + 17);
    const desc = { digest: sha256Digest(bytes), size: bytes.byteLength };
    expect(await client.pushBlob('wasi/big', desc, { bytes })).toBe('uploaded');
    const out = join(tempDirSync('wit-deps-blob-'), 'blob');
    await saveBlob(client, 'wasi/big', desc, out);
    expect(readFileSync(out).equals(bytes)).toBe(true);
  });

  it('mounts a blob from another repository instead of uploading it', async () => {
    const client = clients.registry(reg.host);
    const bytes = randomBytes(2048);
    const desc = { digest: sha256Digest(bytes), size: bytes.byteLength };
    await client.pushBlob('wasi/source', desc, { bytes });
    expect(
      await client.pushBlob('wasi/target', desc, { bytes }, { mountFrom: 'wasi/source' }),
    ).toBe('mounted');
    expect(await client.hasBlob('wasi/target', desc.digest)).toBe(true);
  });

  it('resolves an index to its wasm platform entry', async () => {
    const client = clients.registry(reg.host);
    const pushed = await pushWitPackage(client, 'wasi/indexed', '0.2.0', {
      layer: WASM,
      created: CREATED,
    });
    const manifestSize = (await client.headManifest('wasi/indexed', '0.2.0'))?.size ?? 0;
    const index = encodeJson({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: pushed.manifestDigest,
          size: manifestSize,
          platform: { architecture: 'wasm', os: 'wasip2' },
        },
      ],
    });
    const indexDigest = await client.pushManifest('wasi/indexed', '0.2.0-index', index, OCI_INDEX);
    const resolved = await resolveManifest(client, 'wasi/indexed', '0.2.0-index');
    expect(resolved.digest).toBe(pushed.manifestDigest);
    expect(resolved.indexDigest).toBe(indexDigest);
  });

  it('reports a missing tag as ERR_REGISTRY_NOT_FOUND', async () => {
    await expect(
      pullWitPackage(clients.registry(reg.host), 'wasi/http', '9.9.9'),
    ).rejects.toMatchObject({ code: 'ERR_REGISTRY_NOT_FOUND' });
  });

  it('leaves no file when the blob does not exist', async () => {
    const out = join(tempDirSync('wit-deps-blob-'), 'missing');
    const desc = { digest: sha256Digest(Buffer.from('nothing here')), size: 12 };
    await expect(
      saveBlob(clients.registry(reg.host), 'wasi/http', desc, out),
    ).rejects.toMatchObject({ code: 'ERR_REGISTRY_NOT_FOUND' });
    expect(existsSync(out)).toBe(false);
  });

  if (mode !== 'none') {
    it('refuses a wrong password with ERR_REGISTRY_UNAUTHORIZED, without leaking it', async () => {
      const bad = clientsFor(reg, { kind: 'basic', username: 'alice', password: 'wrong-pw-123' });
      try {
        const error = await pullWitPackage(bad.registry(reg.host), 'wasi/http', '0.2.0').catch(
          (e: unknown) => e,
        );
        expect(error).toMatchObject({
          code: 'ERR_REGISTRY_UNAUTHORIZED',
          hint: expect.stringContaining('refused the credentials') as unknown,
        });
        expect(JSON.stringify(error) + String(error)).not.toContain('wrong-pw-123');
      } finally {
        await bad.close();
      }
    });

    it('refuses a push without credentials', async () => {
      const anon = new OciClients({ retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
      try {
        await expect(
          pushWitPackage(anon.registry(reg.host), 'wasi/anon', '1.0.0', { layer: WASM }),
        ).rejects.toMatchObject({
          code: 'ERR_REGISTRY_UNAUTHORIZED',
          hint: expect.stringContaining('log in') as unknown,
        });
      } finally {
        await anon.close();
      }
    });
  }

  if (mode === 'token') {
    it('caches tokens per scope instead of asking for one per request', async () => {
      const client = clients.registry(reg.host);
      const before = reg.token?.requests.length ?? 0;
      for (let i = 0; i < 5; i++) await client.getManifest('wasi/http', '0.2.0');
      expect((reg.token?.requests.length ?? 0) - before).toBeLessThanOrEqual(1);
    });

    it('pulls anonymously with a pull-only token', async () => {
      const anon = new OciClients({ retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
      try {
        const pulled = await pullWitPackage(anon.registry(reg.host), 'wasi/http', '0.2.0');
        expect(pulled.layerDigest).toBe(sha256Digest(WASM));
        expect(reg.token?.requests.some((r) => r.user === undefined)).toBe(true);
      } finally {
        await anon.close();
      }
    });
  }
});

describe('registry with relative URLs and blobs redirected to another origin', () => {
  let reg: RunningRegistry;
  let blobHost: FaultServer;
  let clients: OciClients;

  beforeAll(async () => {
    blobHost = await startFaultServer();
    reg = await startRegistry({
      auth: 'basic',
      relativeUrls: true,
      redirectBlobsTo: `${blobHost.url}/`,
    });
    clients = clientsFor(reg, undefined, 1024);
  });
  afterAll(async () => {
    await clients?.close();
    await reg?.stop();
    await blobHost?.stop();
  });

  it('uploads with relative Locations (chunked, from a file) and pulls through the redirect without Authorization', async () => {
    const client = clients.registry(reg.host);
    const dir = tempDirSync('wit-deps-redirect-');
    const bytes = randomBytes(5000);
    writeFileSync(join(dir, 'layer.bin'), bytes);
    const desc = { digest: sha256Digest(bytes), size: bytes.byteLength };
    expect(await client.pushBlob('wasi/redirected', desc, { path: join(dir, 'layer.bin') })).toBe(
      'uploaded',
    );
    const hex = desc.digest.slice(7);
    const storagePath = `/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`;
    blobHost.on(storagePath, (_req, res) =>
      res
        .writeHead(200, { 'content-length': String(bytes.byteLength) })
        .end(readFileSync(join(reg.storage, storagePath))),
    );
    await saveBlob(client, 'wasi/redirected', desc, join(dir, 'out'));
    expect(readFileSync(join(dir, 'out')).equals(bytes)).toBe(true);
    const atBlobHost = blobHost.seen.filter((r) => r.path === storagePath && r.method === 'GET');
    expect(atBlobHost).toHaveLength(1);
    expect(atBlobHost[0]?.authorization).toBeUndefined();
  });
});
