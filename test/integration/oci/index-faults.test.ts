/**
 * Indexes a registry may serve instead of a Wasm artifact (fault server): a container image's
 * index with only a `linux/amd64` entry is refused as such, and a chain of indexes is not
 * followed without end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciClients } from '../../../src/oci/open.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { encodeJson } from '../../../src/oci/manifest-format.js';
import { OCI_INDEX, OCI_MANIFEST } from '../../../src/oci/media-types.js';
import { resolveManifest } from '../../../src/oci/wit-package.js';
import { startFaultServer, type FaultServer } from '../../support/fault-server.js';

const IMAGE = encodeJson({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  config: {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    digest: sha256Digest(Buffer.from('{}')),
    size: 2,
  },
  layers: [],
});

function index(entry: { digest: string; size: number; mediaType: string }, platform?: object) {
  return encodeJson({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ ...entry, ...(platform === undefined ? {} : { platform }) }],
  });
}

describe('indexes that are not Wasm artifacts', () => {
  let server: FaultServer;
  let clients: OciClients;
  beforeAll(async () => {
    server = await startFaultServer();
    clients = new OciClients({ retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } });
  });
  afterAll(async () => {
    await clients?.close();
    await server?.stop();
  });

  function serve(repo: string, reference: string, bytes: Uint8Array, mediaType: string): void {
    server.on(`/v2/${repo}/manifests/${reference}`, (_req, res) =>
      res.writeHead(200, { 'content-type': mediaType }).end(bytes),
    );
  }

  it('refuses an index whose only entry is a linux/amd64 image, naming the platform', async () => {
    const image = { digest: sha256Digest(IMAGE), size: IMAGE.byteLength, mediaType: OCI_MANIFEST };
    serve('img', image.digest, IMAGE, OCI_MANIFEST);
    serve('img', 'latest', index(image, { architecture: 'amd64', os: 'linux' }), OCI_INDEX);
    const failure = await resolveManifest(clients.registry(server.host), 'img', 'latest').catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 'ERR_ARTIFACT_INVALID' });
    expect(String((failure as Error).message)).toContain('linux/amd64');
  });

  it('follows a chain of indexes two levels deep at most', async () => {
    let next = { digest: sha256Digest(IMAGE), size: IMAGE.byteLength, mediaType: OCI_MANIFEST };
    serve('deep', next.digest, IMAGE, OCI_MANIFEST);
    for (let level = 0; level < 20; level++) {
      const bytes = index(next, { architecture: 'wasm', os: 'wasip2' });
      next = { digest: sha256Digest(bytes), size: bytes.byteLength, mediaType: OCI_INDEX };
      serve('deep', level === 19 ? 'top' : next.digest, bytes, OCI_INDEX);
    }
    const before = server.seen.length;
    await expect(
      resolveManifest(clients.registry(server.host), 'deep', 'top'),
    ).rejects.toMatchObject({ code: 'ERR_MANIFEST_UNSUPPORTED' });
    expect(server.seen.length - before).toBeLessThanOrEqual(3);
  });
});
