/**
 * `wit-deps oci ...` through `main()` against the real registry (htpasswd Basic auth): a pull into
 * a folder is a file-system error, not a network one; a container image is refused as not a Wasm
 * artifact; a registry that is down is `ERR_NETWORK` with a hint; credentials never reach
 * stdout or stderr, also under `--verbose` and `--json`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { encodeJson } from '../../../src/oci/manifest-format.js';
import { OCI_MANIFEST } from '../../../src/oci/media-types.js';
import { OciClients } from '../../../src/oci/open.js';
import { envHostKey } from '../../../src/registry/credentials.js';
import { startRegistry, type RunningRegistry } from '../../support/registry.js';
import { tempDirSync } from '../../support/temp-project.js';

const WASM = readFileSync(new URL('../../../fixtures/oci/wasi-http-0.2.0.wasm', import.meta.url));

describe('oci commands against a registry with Basic auth', () => {
  let reg: RunningRegistry;
  let env: Record<string, string>;
  let cwd: string;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic' });
    const key = envHostKey(reg.host);
    env = {
      WIT_DEPS_RETRIES: '0',
      [`WIT_DEPS_REGISTRY_${key}_USERNAME`]: reg.username ?? '',
      [`WIT_DEPS_REGISTRY_${key}_PASSWORD`]: reg.password ?? '',
    };
    cwd = tempDirSync('wit-deps-cli-reg-');
  });
  afterAll(async () => reg?.stop());

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = bufferIo({ cwd, env });
    const code = await main(args, io);
    const result = { code, out: io.out(), err: io.err() };
    expect(result.out + result.err).not.toContain(reg.password ?? '');
    return result;
  }

  it('pushes, then a pull into a folder writes the layer there', async () => {
    writeFileSync(join(cwd, 'http.wasm'), WASM);
    expect((await run(['oci', 'push', `${reg.host}/wasi/http:0.2.0`, 'http.wasm'])).code).toBe(0);
    mkdirSync(join(cwd, 'folder'));
    const pull = await run([
      '--json',
      'oci',
      'pull',
      `${reg.host}/wasi/http:0.2.0`,
      '-o',
      'folder',
    ]);
    expect(pull.code).toBe(0);
    expect(JSON.parse(pull.out)).toMatchObject({ path: join(cwd, 'folder', 'http.wasm') });
    const ok = await run(['--json', 'oci', 'pull', `${reg.host}/wasi/http:0.2.0`, '-o', 'x.wasm']);
    expect(JSON.parse(ok.out)).toMatchObject({ size: WASM.byteLength, path: join(cwd, 'x.wasm') });
  });

  it('refuses a container image as not a Wasm artifact', async () => {
    const clients = new OciClients({
      credentials: () =>
        Promise.resolve({
          kind: 'basic',
          username: reg.username ?? '',
          password: reg.password ?? '',
        }),
    });
    try {
      const client = clients.registry(reg.host);
      const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
      const desc = { digest: sha256Digest(config), size: config.byteLength };
      await client.pushBlob('img/app', desc, { bytes: config });
      const manifest = encodeJson({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...desc },
        layers: [],
      });
      await client.pushManifest('img/app', '1.0.0', manifest, OCI_MANIFEST);
    } finally {
      await clients.close();
    }
    const pull = await run(['-v', 'oci', 'pull', `${reg.host}/img/app:1.0.0`]);
    expect(pull.code).toBe(1);
    expect(pull.err).toContain('error[ERR_ARTIFACT_INVALID]');
  });

  it('reports a registry that is down as ERR_NETWORK with a hint, exit 1', async () => {
    const down = await run(['-v', 'oci', 'tags', '127.0.0.1:9/wasi/http']);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/error\[ERR_NETWORK\].*\nhint: /);
    expect(down.out).toBe('');
  });
});
