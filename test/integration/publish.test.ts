/**
 * `wit-deps publish` against the real registry (docker-registry), read back with skopeo as the
 * independent client: the project's package lands where `install` looks for it, with the Wasm
 * media types, `[package]` annotations and oci-wasm's exports; another project installs it; the
 * same input and `SOURCE_DATE_EPOCH` give the same digest; `--dry-run` pushes nothing; an existing
 * version tag is not moved without `--force`; `[package]` must agree with the WIT header.
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { tempDir, tempProject, witToml, WASI_LAYOUT } from '../support/temp-project.js';

const WASI = new URL('../../fixtures/wasi/', import.meta.url).pathname;
const EPOCH = '1700000000';

const SHOP_WIT = `package acme:shop@0.3.1;

/// Orders of the shop.
interface orders {
  use wasi:clocks/wall-clock@0.2.3.{datetime};
  record order { id: u64, placed: datetime }
  get: func(id: u64) -> option<order>;
  @unstable(feature = refunds)
  refund: func(id: u64);
}

world shop {
  import wasi:clocks/monotonic-clock@0.2.3;
  export orders;
}
`;

let reg: RunningRegistry;
let cache: string;

beforeAll(async () => {
  reg = await startRegistry();
  cache = await tempDir('wit-deps-publish-cache-');
}, 60_000);
afterAll(async () => reg?.stop());

function registries(prefix = 'pub/'): string {
  return `[registries]\nacme = { oci = "${reg.host}", prefix = "${prefix}" }\n`;
}

const PACKAGE = `[package]
name = "acme:shop"
version = "0.3.1"
description = "Shop interfaces"
license = "Apache-2.0"
authors = ["Ada <ada@example.com>", "Bob"]
homepage = "https://shop.example"
source = "https://github.com/acme/shop"
`;

/** A publisher project: wit/shop.wit and its wasi deps in wit/deps (no network needed to build). */
async function shopProject(
  options: { toml?: string; wit?: string; prefix?: string } = {},
): Promise<string> {
  const dir = await tempProject({
    prefix: 'wit-deps-publish-',
    witToml: options.toml ?? `${PACKAGE}\n${registries(options.prefix)}`,
    files: { 'wit/shop.wit': options.wit ?? SHOP_WIT },
  });
  for (const p of ['clocks', 'io'])
    await cp(join(WASI, p, '0.2.3'), join(dir, 'wit', 'deps', p), { recursive: true });
  return dir;
}

async function cli(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; doc: Record<string, unknown>; err: string }> {
  const io = bufferIo({
    cwd,
    env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache, SOURCE_DATE_EPOCH: EPOCH, ...env },
  });
  const code = await main(['--json', ...args], io);
  return { code, doc: JSON.parse(io.out() || '{}') as Record<string, unknown>, err: io.err() };
}

function skopeo(ref: string, config = false): Record<string, unknown> {
  const args = ['inspect', ...(config ? ['--config'] : []), '--raw', '--tls-verify=false'];
  const raw = execFileSync('skopeo', [...args, `docker://${reg.host}/${ref}`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(raw) as Record<string, unknown>;
}

function tags(repository: string): string[] {
  const out = execFileSync(
    'skopeo',
    ['list-tags', '--tls-verify=false', `docker://${reg.host}/${repository}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return (JSON.parse(out) as { Tags: string[] }).Tags;
}

describe('wit-deps publish', () => {
  it('pushes the package where install looks, and skopeo reads the media types, annotations and exports', async () => {
    const dir = await shopProject();
    const pushed = await cli(dir, ['publish']);
    expect(pushed.err).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.doc).toMatchObject({
      package: 'acme:shop@0.3.1',
      reference: `${reg.host}/pub/acme/shop:0.3.1`,
      status: 'pushed',
    });
    const manifest = skopeo('pub/acme/shop:0.3.1') as {
      config: { mediaType: string; digest: string };
      layers: { mediaType: string; digest: string; annotations: Record<string, string> }[];
      annotations: Record<string, string>;
    };
    expect(manifest.config.mediaType).toBe('application/vnd.wasm.config.v0+json');
    expect(manifest.layers.map((l) => l.mediaType)).toEqual(['application/wasm']);
    expect(manifest.layers[0]?.digest).toBe(pushed.doc['layerDigest']);
    expect(manifest.layers[0]?.annotations['org.opencontainers.image.title']).toBe(
      'acme_shop.wasm',
    );
    expect(manifest.annotations).toEqual({
      'org.opencontainers.image.created': '2023-11-14T22:13:20.000Z',
      'org.opencontainers.image.version': '0.3.1',
      'org.opencontainers.image.description': 'Shop interfaces',
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'org.opencontainers.image.authors': 'Ada <ada@example.com>, Bob',
      'org.opencontainers.image.url': 'https://shop.example',
      'org.opencontainers.image.source': 'https://github.com/acme/shop',
    });
    const config = skopeo('pub/acme/shop:0.3.1', true) as {
      os: string;
      component: { exports: string[]; imports: string[] };
    };
    expect(config.os).toBe('wasip2');
    expect(config.component.imports).toEqual([]);
    expect([...config.component.exports].sort()).toEqual([
      'acme:shop/orders@0.3.1',
      'acme:shop/shop@0.3.1',
    ]);
  });

  it('another project installs the published package, @unstable items included', async () => {
    expect((await cli(await shopProject({ prefix: 'use/' }), ['publish'])).code).toBe(0);
    const consumer = await tempProject({
      prefix: 'wit-deps-publish-use-',
      witToml: witToml(
        '"acme:shop" = "0.3.1"',
        { layout: WASI_LAYOUT },
        { after: `acme = { oci = "${reg.host}", prefix = "use/" }\n` },
      ),
    });
    const installed = await cli(consumer, ['install']);
    expect(installed.doc['error']).toBeUndefined();
    expect(installed.code).toBe(0);
    const text = await readFile(join(consumer, 'wit/deps/acme-shop-0.3.1/package.wit'), 'utf8');
    expect(text).toContain('package acme:shop@0.3.1;');
    expect(text).toContain('get: func(id: u64) -> option<order>;');
    expect(text).toMatch(/@unstable\(feature = refunds\)\s+refund: func/);
  });

  it('the same input and SOURCE_DATE_EPOCH publish again as a no-op with the same digest', async () => {
    const first = await cli(await shopProject({ prefix: 'again/' }), ['publish']);
    const second = await cli(await shopProject({ prefix: 'again/' }), ['publish']);
    expect(first.doc['status']).toBe('pushed');
    expect(second.code).toBe(0);
    expect(second.doc['status']).toBe('unchanged');
    expect(second.doc['manifestDigest']).toBe(first.doc['manifestDigest']);
  });

  it('--dry-run prints the reference, config and annotations and pushes nothing', async () => {
    const dir = await shopProject({ prefix: 'dry/' });
    const dry = await cli(dir, ['publish', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.doc).toMatchObject({
      status: 'dry-run',
      reference: `${reg.host}/dry/acme/shop:0.3.1`,
    });
    expect(dry.doc['config']).toMatchObject({ architecture: 'wasm', os: 'wasip2' });
    expect(dry.doc['annotations']).toMatchObject({ 'org.opencontainers.image.version': '0.3.1' });
    expect(() => tags('dry/acme/shop')).toThrow(); // the repository does not exist
    const real = await cli(dir, ['publish']);
    expect(real.doc['manifestDigest']).toBe(dry.doc['manifestDigest']);
  });

  it('refuses to move an existing version tag (the digest shown and left), unless --force', async () => {
    const dir = await shopProject({ prefix: 'move/' });
    const first = await cli(dir, ['publish']);
    const digest = first.doc['manifestDigest'] as string;
    await writeFile(join(dir, 'wit/shop.wit'), SHOP_WIT.replace('get: func', 'fetch: func'));
    const refused = await cli(dir, ['publish']);
    expect(refused.code).toBe(1);
    expect(refused.doc['error']).toMatchObject({ code: 'ERR_TAG_EXISTS' });
    expect(JSON.stringify(refused.doc)).toContain(digest);
    const raw = execFileSync(
      'skopeo',
      ['inspect', '--raw', '--tls-verify=false', `docker://${reg.host}/move/acme/shop:0.3.1`],
      { encoding: 'utf8' },
    );
    const head = sha256Digest(Buffer.from(raw));
    expect(head).toBe(digest);
    // the same package under another time is refused too: a version tag is never moved
    const later = await cli(await shopProject({ prefix: 'move/' }), ['publish'], {
      SOURCE_DATE_EPOCH: '1800000000',
    });
    expect(later.code).toBe(1);
    expect(later.doc['error']).toMatchObject({ code: 'ERR_TAG_EXISTS' });
    const forced = await cli(dir, ['publish', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.doc['manifestDigest']).not.toBe(digest);
  });

  it('refuses a [package] name or version that disagrees with the WIT header, naming both', async () => {
    const wrongName = await shopProject({
      toml: `${PACKAGE.replace('"acme:shop"', '"acme:store"')}\n${registries()}`,
    });
    const name = await cli(wrongName, ['publish', '--dry-run']);
    expect(name.code).toBe(1);
    expect(name.doc['error']).toMatchObject({ code: 'ERR_MANIFEST_INVALID' });
    expect(JSON.stringify(name.doc)).toMatch(/acme:store.*acme:shop/);
    const wrongVersion = await shopProject({
      toml: `${PACKAGE.replace('"0.3.1"', '"0.3.2"')}\n${registries()}`,
    });
    const version = await cli(wrongVersion, ['publish', '--dry-run']);
    expect(version.code).toBe(1);
    expect(JSON.stringify(version.doc)).toMatch(/0\.3\.2.*acme:shop@0\.3\.1/);
  });

  it('--registry host/prefix overrides the namespace mapping', async () => {
    const dir = await shopProject();
    const pushed = await cli(dir, ['publish', '--registry', `${reg.host}/elsewhere`]);
    expect(pushed.code).toBe(0);
    expect(pushed.doc['reference']).toBe(`${reg.host}/elsewhere/acme/shop:0.3.1`);
    expect(tags('elsewhere/acme/shop')).toEqual(['0.3.1']);
  });
});
