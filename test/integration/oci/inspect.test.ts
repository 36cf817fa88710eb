/**
 * `oci inspect` as regctl shows an artifact: the config descriptor next to the layers, `--raw`
 * the manifest bytes exactly as served (skopeo reads the same bytes), `--config` the config blob
 * as served, and a non-Wasm image's config as what it is (copied in by skopeo), not `null`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { startRegistry, type RunningRegistry } from '../../support/registry.js';
import { tempDirSync } from '../../support/temp-project.js';

const FIXTURE = new URL('../../../fixtures/components/greeter.wasm', import.meta.url).pathname;

let reg: RunningRegistry;
let work: string;
beforeAll(async () => {
  reg = await startRegistry();
  work = tempDirSync('wit-deps-inspect-');
});
afterAll(async () => reg?.stop());

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const io = bufferIo({ cwd: work, env: { HOME: work } });
  const code = await main(args, io);
  return { code, out: io.out() };
}

function skopeo(args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** An OCI layout holding an ordinary (non-Wasm) image: a Linux config and one tar layer. */
function imageLayout(dir: string): { config: Record<string, unknown> } {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (bytes: Buffer): { digest: string; size: number } => {
    const digest = sha256Digest(bytes);
    writeFileSync(join(blobs, digest.slice('sha256:'.length)), bytes);
    return { digest, size: bytes.length };
  };
  const config = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } };
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      ...put(Buffer.from(JSON.stringify(config))),
    },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...put(Buffer.alloc(1024)) }],
  };
  const m = put(Buffer.from(JSON.stringify(manifest)));
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: manifest.mediaType,
          ...m,
          annotations: { 'org.opencontainers.image.ref.name': '1.0' },
        },
      ],
    }),
  );
  return { config };
}

describe('oci inspect', () => {
  it('shows the config descriptor; --raw and --config print the bytes as served', async () => {
    const ref = `${reg.host}/acme/greeter:0.1.0`;
    expect((await cli(['oci', 'push', ref, FIXTURE])).code).toBe(0);
    const inspect = await cli(['--json', 'oci', 'inspect', ref]);
    const doc = JSON.parse(inspect.out) as Record<string, unknown>;
    const served = skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
    const manifest = JSON.parse(served) as { config: Record<string, unknown> };
    expect(doc['configDescriptor']).toEqual(manifest.config);
    expect(doc).not.toHaveProperty('raw');
    const raw = await cli(['oci', 'inspect', '--raw', ref]);
    expect(raw.out).toBe(served.endsWith('\n') ? served : `${served}\n`);
    expect(sha256Digest(Buffer.from(raw.out.replace(/\n$/, '')))).toBe(doc['digest']);
    const config = await cli(['oci', 'inspect', '--config', ref]);
    const servedConfig = skopeo([
      'inspect',
      '--config',
      '--raw',
      '--tls-verify=false',
      `docker://${ref}`,
    ]);
    expect(config.out.replace(/\n$/, '')).toBe(servedConfig.replace(/\n$/, ''));
    const human = await cli(['oci', 'inspect', ref]);
    expect(human.out).toContain(`config     ${String(manifest.config['digest'])}`);
    expect(human.out).toContain('"acme:greeter/greet@0.1.0"');
  });

  it("shows a non-Wasm image's config as it is, not null", async () => {
    const layout = join(work, 'image');
    const { config } = imageLayout(layout);
    const ref = `${reg.host}/acme/image:1.0`;
    skopeo(['copy', '--dest-tls-verify=false', `oci:${layout}:1.0`, `docker://${ref}`]);
    const inspect = await cli(['--json', 'oci', 'inspect', ref]);
    expect(inspect.code).toBe(0);
    const doc = JSON.parse(inspect.out) as Record<string, unknown>;
    expect(doc['config']).toEqual(config);
    expect(doc['configDescriptor']).toMatchObject({
      mediaType: 'application/vnd.oci.image.config.v1+json',
    });
  });

  it('oci blob saves the config or a layer by digest, verified, and refuses other digests', async () => {
    const ref = `${reg.host}/acme/greeter:0.1.0`;
    expect((await cli(['oci', 'push', ref, FIXTURE])).code).toBe(0);
    const doc = JSON.parse((await cli(['--json', 'oci', 'inspect', ref])).out) as {
      configDescriptor: { digest: string };
      layers: { digest: string }[];
    };
    const dir = join(work, 'blobs-out');
    mkdirSync(dir);
    const config = await cli([
      'oci',
      'blob',
      ref,
      doc.configDescriptor.digest,
      '-o',
      join(dir, 'c.json'),
    ]);
    expect(config.code).toBe(0);
    const servedConfig = skopeo([
      'inspect',
      '--config',
      '--raw',
      '--tls-verify=false',
      `docker://${ref}`,
    ]);
    expect(readFileSync(join(dir, 'c.json'), 'utf8')).toBe(servedConfig.replace(/\n$/, ''));
    const io = bufferIo({ cwd: dir, env: { HOME: work } });
    expect(await main(['oci', 'blob', ref, doc.layers[0]!.digest], io)).toBe(0);
    expect(readFileSync(join(dir, 'greeter.wasm')).equals(readFileSync(FIXTURE))).toBe(true);
    const again = bufferIo({ cwd: dir, env: { HOME: work } });
    expect(await main(['oci', 'blob', ref, doc.layers[0]!.digest], again)).toBe(1);
    expect(again.err()).toContain('already exists');
    const other = await cli(['--json', 'oci', 'blob', ref, `sha256:${'0'.repeat(64)}`]);
    expect(other.code).toBe(1);
    expect(JSON.parse(other.out)).toMatchObject({ error: { code: 'ERR_INVALID_REFERENCE' } });
  });
});
