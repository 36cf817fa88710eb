/**
 * Cross-checks with skopeo, an independent client: what `wit-deps oci push` pushes, skopeo reads
 * with the right media types and digests (and copies into an OCI layout that we read back); what
 * skopeo copies into the registry from a layout we wrote, `wit-deps oci pull` reads byte for byte.
 * Credentials come from a real docker config file and a real credential-helper program.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { sha256Digest } from '../../../src/oci/digest.js';
import { startRegistry, type RunningRegistry } from '../../support/registry.js';
import { tempDirSync } from '../../support/temp-project.js';

const FIXTURE = new URL('../../../fixtures/oci/wasi-http-0.2.0.wasm', import.meta.url).pathname;
const WASM = readFileSync(FIXTURE);

function skopeo(args: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = tmpdir(),
): Promise<{ code: number; doc: Record<string, unknown>; err: string }> {
  const io = bufferIo({ cwd, env });
  const code = await main(['--json', ...args], io);
  return { code, doc: JSON.parse(io.out() || '{}') as Record<string, unknown>, err: io.err() };
}

describe('skopeo cross-checks (anonymous registry)', () => {
  let reg: RunningRegistry;
  let work: string;
  beforeAll(async () => {
    reg = await startRegistry();
    work = tempDirSync('wit-deps-skopeo-');
  });
  afterAll(async () => reg?.stop());

  it('skopeo reads what wit-deps pushed, with the same digests and media types', async () => {
    const push = await cli([
      'oci',
      'push',
      `${reg.host}/wasi/http:0.2.0`,
      FIXTURE,
      '--annotation',
      'org.opencontainers.image.version=0.2.0',
    ]);
    expect(push.code).toBe(0);
    const raw = skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${reg.host}/wasi/http:0.2.0`,
    ]);
    expect(sha256Digest(Buffer.from(raw))).toBe(push.doc['manifestDigest']);
    const manifest = JSON.parse(raw) as {
      mediaType: string;
      config: { mediaType: string };
      layers: { mediaType: string; digest: string }[];
      annotations: Record<string, string>;
    };
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config.mediaType).toBe('application/vnd.wasm.config.v0+json');
    expect(manifest.layers.map((l) => l.mediaType)).toEqual(['application/wasm']);
    expect(manifest.layers[0]?.digest).toBe(sha256Digest(WASM));
    expect(manifest.annotations['org.opencontainers.image.version']).toBe('0.2.0');
    const config = JSON.parse(
      skopeo([
        'inspect',
        '--config',
        '--raw',
        '--tls-verify=false',
        `docker://${reg.host}/wasi/http:0.2.0`,
      ]),
    ) as Record<string, unknown>;
    expect(config).toMatchObject({
      architecture: 'wasm',
      os: 'wasip2',
      layerDigests: [sha256Digest(WASM)],
    });
    expect(push.doc['package']).toBe('wasi:http@0.2.0');
    expect(manifest.annotations['org.opencontainers.image.created']).toMatch(/^\d{4}-\d\d-\d\dT/);
    const component = config['component'] as { exports: string[]; imports: string[] };
    expect(component.imports).toEqual([]);
    expect(component.exports).toEqual(
      expect.arrayContaining([
        'wasi:http/proxy@0.2.0',
        'wasi:http/types@0.2.0',
        'wasi:http/outgoing-handler@0.2.0',
      ]),
    );
    expect(component.exports.every((id) => id.startsWith('wasi:http/'))).toBe(true);
    const tags = JSON.parse(
      skopeo(['list-tags', '--tls-verify=false', `docker://${reg.host}/wasi/http`]),
    ) as { Tags: string[] };
    expect(tags.Tags).toEqual(['0.2.0']);
  });

  it('skopeo copies our artifact into an OCI layout that wit-deps reads back', async () => {
    const layout = join(work, 'layout-from-registry');
    skopeo([
      'copy',
      '--src-tls-verify=false',
      `docker://${reg.host}/wasi/http:0.2.0`,
      `oci:${layout}:0.2.0`,
    ]);
    const inspect = await cli(['oci', 'inspect', `${reg.host}/wasi/http:0.2.0`]);
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string }[];
    };
    expect(index.manifests[0]?.digest).toBe(inspect.doc['digest']);
    const out = join(work, 'from-layout.wasm');
    const pull = await cli(['oci', 'pull', `oci-layout:${layout}:0.2.0`, '-o', out]);
    expect(pull.code).toBe(0);
    expect(readFileSync(out).equals(WASM)).toBe(true);
    expect(pull.doc['manifestDigest']).toBe(inspect.doc['digest']);
  });

  it('wit-deps pulls byte-identically what skopeo copied from a layout wit-deps wrote', async () => {
    const layout = join(work, 'layout-ours');
    // --force: the file is wasi:http@0.2.0, pushed under another version on purpose
    const push = await cli(['oci', 'push', `oci-layout:${layout}:1.0.0`, FIXTURE, '--force']);
    expect(push.code).toBe(0);
    skopeo([
      'copy',
      '--dest-tls-verify=false',
      `oci:${layout}:1.0.0`,
      `docker://${reg.host}/wasi/fromlayout:1.0.0`,
    ]);
    const out = join(work, 'from-registry.wasm');
    const pull = await cli(['oci', 'pull', `${reg.host}/wasi/fromlayout:1.0.0`, '-o', out]);
    expect(pull.code).toBe(0);
    expect(readFileSync(out).equals(WASM)).toBe(true);
    expect(pull.doc['manifestDigest']).toBe(push.doc['manifestDigest']);
    const tags = await cli(['oci', 'tags', `oci-layout:${layout}`]);
    expect(tags.doc['tags']).toEqual([{ tag: '1.0.0', semver: true }]);
  });
});

describe('skopeo and wit-deps with real credentials (htpasswd registry)', () => {
  let reg: RunningRegistry;
  let home: string;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic' });
    home = tempDirSync('wit-deps-creds-');
  });
  afterAll(async () => reg?.stop());

  it('reads `auths` from $DOCKER_CONFIG/config.json and interoperates with skopeo --creds', async () => {
    const dockerDir = join(home, 'docker');
    mkdirSync(dockerDir);
    const auth = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
    writeFileSync(
      join(dockerDir, 'config.json'),
      JSON.stringify({ auths: { [`http://${reg.host}`]: { auth } } }),
    );
    const push = await cli(['oci', 'push', `${reg.host}/wasi/auth:1.0.0`, FIXTURE, '--force'], {
      DOCKER_CONFIG: dockerDir,
    });
    expect(push.code).toBe(0);
    const raw = skopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--creds',
      `${reg.username}:${reg.password}`,
      `docker://${reg.host}/wasi/auth:1.0.0`,
    ]);
    expect(sha256Digest(Buffer.from(raw))).toBe(push.doc['manifestDigest']);
    const denied = await cli(['oci', 'tags', `${reg.host}/wasi/auth`], {
      DOCKER_CONFIG: join(home, 'empty'),
    });
    expect(denied.code).toBe(1);
    expect(denied.doc).toMatchObject({ error: { code: 'ERR_REGISTRY_UNAUTHORIZED' } });
  });

  it('runs a credential helper from `credHelpers`, as skopeo does', async () => {
    const bin = join(home, 'bin');
    mkdirSync(bin);
    const log = join(home, 'helper.log');
    const script = `#!/bin/sh\nread server\necho "$1 $server" >> ${log}\necho '{"ServerURL":"'"$server"'","Username":"${reg.username}","Secret":"${reg.password}"}'\n`;
    writeFileSync(join(bin, 'docker-credential-wittest'), script);
    chmodSync(join(bin, 'docker-credential-wittest'), 0o755);
    const dockerDir = join(home, 'helper-docker');
    mkdirSync(dockerDir);
    writeFileSync(
      join(dockerDir, 'config.json'),
      JSON.stringify({ credHelpers: { [reg.host]: 'wittest' } }),
    );
    const env = { DOCKER_CONFIG: dockerDir, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    const tags = await cli(['oci', 'tags', `${reg.host}/wasi/auth`], env);
    expect(tags.code).toBe(0);
    expect(tags.doc['tags']).toEqual([{ tag: '1.0.0', semver: true }]);
    expect(readFileSync(log, 'utf8')).toContain(`get ${reg.host}`);
    const listed = JSON.parse(
      skopeo(
        [
          'list-tags',
          '--tls-verify=false',
          '--authfile',
          join(dockerDir, 'config.json'),
          `docker://${reg.host}/wasi/auth`,
        ],
        { ...process.env, ...env },
      ),
    ) as { Tags: string[] };
    expect(listed.Tags).toEqual(['1.0.0']);
  });
});
