/**
 * Attack class: a hand-edited wkg.lock with an empty cache, now that a locked install fetches
 * each layer by its lock digest alone (no manifest). The digest only proves the bytes are the
 * ones the lock names, not which package they are:
 * - a lock entry pointing at another package's layer that the repository holds (a hostile or
 *   careless publisher pushed it there under another tag) fails ERR_ARTIFACT_MISMATCH: the
 *   fetched bytes are decoded and checked against the locked name and version, nothing is
 *   written to wit/deps;
 * - a lock digest the repository does not hold falls back to the manifest, which says what the
 *   tag holds instead (ERR_INTEGRITY_MISMATCH naming both digests);
 * - a vendored layout whose layer is not the locked digest is not used;
 * - the size is not known from a lock: a blob announcing more than the 64 MiB a WIT package may
 *   be is refused from its Content-Length before its body is read (ERR_LIMIT_EXCEEDED), and a
 *   body that is not the locked digest is refused (ERR_INTEGRITY_MISMATCH), nothing cached.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { startFaultServer } from '../support/fault-server.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures, type WasiFixture } from '../support/wasi-publish.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

let registry: RunningRegistry;
let digests: Map<string, string>;

beforeAll(async () => {
  registry = await startRegistry();
  const fixtures = wasiFixtures();
  const pick = (id: string): WasiFixture => fixtures.find((f) => `${f.name}@${f.version}` === id)!;
  digests = await publishWasi(registry.host, 'mixed/', [
    pick('wasi:random@0.2.0'),
    pick('wasi:io@0.2.0'),
  ]);
  // the random repository also holds wasi:io's layer, under another tag
  await publishWasi(registry.host, 'mixed/', [
    { ...pick('wasi:io@0.2.0'), name: 'wasi:random', version: '9.9.9' },
  ]);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

/** A project locked on wasi:random@0.2.0 with the lock's digest replaced by `digest`. */
async function lockedProject(digest: string): Promise<string> {
  const toml = witToml('"wasi:random" = "=0.2.0"', { oci: registry.host, prefix: 'mixed/' });
  const cwd = await tempProject({ prefix: 'wit-deps-sec-lockfetch-', witToml: toml });
  await install({ cwd, env: { HOME: cwd }, cacheDir: await tempDir('wit-deps-sec-cache-') });
  const lock = await readFile(join(cwd, 'wkg.lock'), 'utf8');
  await writeFile(join(cwd, 'wkg.lock'), lock.replace(digests.get('wasi:random@0.2.0')!, digest));
  await writeFile(join(cwd, 'wit', 'deps', 'wasi-random-0.2.0', 'package.wit'), 'changed');
  return cwd;
}

describe('a locked layer fetched by its digest alone', () => {
  it('is still checked to be the locked package (another package in the same repository)', async () => {
    const io = digests.get('wasi:io@0.2.0')!;
    const cwd = await lockedProject(io);
    const cacheDir = await tempDir('wit-deps-sec-cache-');
    await expect(install({ cwd, env: { HOME: cwd }, cacheDir })).rejects.toMatchObject({
      code: 'ERR_ARTIFACT_MISMATCH',
      details: { expected: 'wasi:random@0.2.0', found: 'wasi:io@0.2.0', digest: io },
    });
    expect(
      await readFile(join(cwd, 'wit', 'deps', 'wasi-random-0.2.0', 'package.wit'), 'utf8'),
    ).toBe('changed');
  });

  it('falls back to the manifest when the repository does not hold the digest', async () => {
    const absent = `sha256:${'ab'.repeat(32)}`;
    const cwd = await lockedProject(absent);
    const cacheDir = await tempDir('wit-deps-sec-cache-');
    await expect(install({ cwd, env: { HOME: cwd }, cacheDir })).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
      details: { expected: absent, actual: digests.get('wasi:random@0.2.0') },
    });
  });

  it('ignores a vendored layout whose layer is not the locked digest', async () => {
    const toml = witToml('"wasi:random" = "=0.2.0"', { oci: registry.host, prefix: 'mixed/' });
    const cwd = await tempProject({ prefix: 'wit-deps-sec-lockfetch-', witToml: toml });
    const cacheDir = await tempDir('wit-deps-sec-cache-');
    const { vendor } = await import('../../src/app/deps/vendor.js');
    await install({ cwd, env: { HOME: cwd }, cacheDir });
    await vendor({ cwd, env: { HOME: cwd }, cacheDir });
    await stat(join(cwd, 'vendor', 'oci', 'wasi', 'random', 'index.json'));
    const lock = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    const absent = `sha256:${'cd'.repeat(32)}`;
    await writeFile(join(cwd, 'wkg.lock'), lock.replace(digests.get('wasi:random@0.2.0')!, absent));
    const empty = await tempDir('wit-deps-sec-cache-');
    await expect(
      install({ cwd, env: { HOME: cwd }, cacheDir: empty, frozen: true }),
    ).rejects.toMatchObject({ code: 'ERR_OFFLINE' });
  });
});

describe('a blob fetched by a lock digest from a hostile registry', () => {
  async function lockedOn(host: string, digest: string): Promise<string> {
    return tempProject({
      prefix: 'wit-deps-sec-lockfetch-',
      witToml: `[dependencies]\n"huge:pkg" = "=1.0.0"\n\n[registries]\nhuge = { oci = "${host}" }\n`,
      lock: `version = 1\n\n[[packages]]\nname = "huge:pkg"\nregistry = "${host}"\n\n[[packages.versions]]\nrequirement = "=1.0.0"\nversion = "1.0.0"\ndigest = "${digest}"\n`,
    });
  }

  it('is refused from its Content-Length when larger than a WIT package may be', async () => {
    const server = await startFaultServer();
    try {
      const digest = sha256Digest(Buffer.from('big'));
      let sent = 0;
      server.on(`/v2/huge/pkg/blobs/${digest}`, (_req, res) => {
        res.writeHead(200, { 'content-length': String(20 * 1024 ** 3) });
        sent += 1024;
        res.write(Buffer.alloc(1024));
      });
      const cwd = await lockedOn(server.host, digest);
      const cacheDir = await tempDir('wit-deps-sec-cache-');
      const env = { HOME: cwd, WIT_DEPS_RETRIES: '0' };
      await expect(install({ cwd, env, cacheDir })).rejects.toMatchObject({
        code: 'ERR_LIMIT_EXCEEDED',
      });
      expect(sent).toBe(1024);
      expect(server.seen.filter((r) => r.path.includes('/manifests/'))).toEqual([]);
      expect(await readdir(join(cacheDir, 'blobs', 'sha256')).catch(() => [])).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('is refused when its bytes are not the locked digest', async () => {
    const server = await startFaultServer();
    try {
      const digest = sha256Digest(Buffer.from('expected'));
      server.on(`/v2/huge/pkg/blobs/${digest}`, (_req, res) => {
        res.writeHead(200, { 'content-length': '5' }).end('other');
      });
      const cwd = await lockedOn(server.host, digest);
      const cacheDir = await tempDir('wit-deps-sec-cache-');
      const env = { HOME: cwd, WIT_DEPS_RETRIES: '0' };
      await expect(install({ cwd, env, cacheDir })).rejects.toMatchObject({
        code: 'ERR_INTEGRITY_MISMATCH',
        details: {
          package: 'huge:pkg',
          expected: digest,
          actual: sha256Digest(Buffer.from('other')),
        },
      });
      expect(await readdir(join(cacheDir, 'blobs', 'sha256')).catch(() => [])).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
