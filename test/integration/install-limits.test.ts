/**
 * A registry announcing a huge layer for a WIT package: `install` refuses it from the manifest
 * (ERR_LIMIT_EXCEEDED) and never requests the blob, so a hostile registry cannot fill the disk
 * and memory through the cache.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { encodeJson } from '../../src/oci/manifest-format.js';
import { OCI_MANIFEST } from '../../src/oci/media-types.js';
import { sendJson, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { tempDir } from '../support/temp-project.js';

describe('install limits', () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(async () => server?.stop());

  it('refuses a package layer larger than the cap without downloading it', async () => {
    const config = Buffer.from('{"architecture":"wasm","os":"wasip2"}');
    const layer = { digest: sha256Digest(Buffer.from('big')), size: 20 * 1024 ** 3 };
    const manifest = encodeJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.wasm.config.v0+json',
        digest: sha256Digest(config),
        size: config.byteLength,
      },
      layers: [{ mediaType: 'application/wasm', ...layer }],
    });
    server.on('/v2/huge/pkg/tags/list', (_req, res) => sendJson(res, 200, { tags: ['1.0.0'] }));
    server.on('/v2/huge/pkg/manifests/1.0.0', (_req, res) =>
      res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(manifest),
    );
    server.on(`/v2/huge/pkg/blobs/${layer.digest}`, (_req, res) => {
      res.writeHead(200, { 'content-length': String(layer.size) });
      res.write(Buffer.alloc(1024));
    });
    const cwd = await tempDir('wit-deps-limits-');
    await writeFile(
      join(cwd, 'wit.toml'),
      `[dependencies]\n"huge:pkg" = "1.0.0"\n\n[registries]\nhuge = { oci = "${server.host}" }\n`,
    );
    await expect(
      install({ cwd, env: { HOME: cwd, WIT_DEPS_RETRIES: '0' }, cacheDir: join(cwd, 'cache') }),
    ).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    expect(server.seen.some((r) => r.path.includes('/blobs/'))).toBe(false);
  });
});
