/**
 * Builds with no cache and no network, against the real registry (docker-registry):
 * - `vendor`, registry stopped, a fresh copy of the project (no wit/deps) with a new empty cache:
 *   `install --frozen` restores wit/deps byte for byte, from vendor/oci alone; vendor/oci reads
 *   with skopeo (same manifest bytes as the registry; `skopeo copy` into a registry keeps the
 *   manifest digest) and as a `layout` registry; `vendor` again
 *   changes nothing, and drops the layout of a package no longer locked.
 * - A committed wit/deps (folders + markers + wkg.lock) passes `install --frozen` and `verify`
 *   with an empty cache; one changed byte fails both, naming the file.
 * - A locked install with an empty cache makes one blob request per package (no manifest).
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, type InstallOptions } from '../../src/app/deps/install.js';
import { vendor } from '../../src/app/deps/vendor.js';
import { verify } from '../../src/app/deps/verify.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { parseLock, serializeLock } from '../../src/project/wkg-lock.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { snapshot } from '../support/project-snapshot.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';
import { exampleProject, tempDir, tempProject, witToml } from '../support/temp-project.js';

let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
  await publishWasi(registry.host, 'webassembly/', wasiFixtures());
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

const HTTP = '"wasi:http" = "=0.2.0"';
const CLOSURE = ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'];

function project(reg: RunningRegistry, deps = HTTP): Promise<string> {
  const wasi = { oci: reg.host, prefix: 'webassembly/' };
  return tempProject({ prefix: 'wit-deps-vendor-', witToml: witToml(deps, wasi) });
}

async function run(cwd: string, more: Partial<InstallOptions> = {}) {
  const cacheDir = more.cacheDir ?? (await tempDir('wit-deps-vendor-cache-'));
  return install({ cwd, env: { HOME: cwd }, ...more, cacheDir });
}

/** A fresh clone: the given files and folders of `from`, nothing else. */
async function copyProject(from: string, entries: string[]): Promise<string> {
  const to = await tempDir('wit-deps-vendor-clone-');
  for (const e of entries) await cp(join(from, e), join(to, e), { recursive: true });
  return to;
}

function skopeo(args: string[]): string {
  return execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('wit-deps vendor', () => {
  it('restores wit/deps byte for byte with the registry stopped, no cache and no edit', async () => {
    const own = await startRegistry();
    try {
      await publishWasi(own.host, 'webassembly/', wasiFixtures());
      const cwd = await project(own);
      const cacheDir = await tempDir('wit-deps-vendor-cache-');
      await run(cwd, { cacheDir });
      const vendored = await vendor({ cwd, env: { HOME: cwd }, cacheDir });
      expect(vendored.dir).toBe(join('vendor', 'oci'));
      expect(vendored.packages.map((p) => p.layout)).toEqual(
        CLOSURE.map((p) => join('vendor', 'oci', 'wasi', p)),
      );
      expect(vendored.packages.every((p) => p.status === 'written')).toBe(true);
      // the layout skopeo reads holds the registry's manifest, byte for byte
      const layout = join(cwd, 'vendor', 'oci', 'wasi', 'http');
      const fromLayout = skopeo(['inspect', '--raw', `oci:${layout}:0.2.0`]);
      const fromRegistry = skopeo([
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${own.host}/webassembly/wasi/http:0.2.0`,
      ]);
      expect(sha256Digest(Buffer.from(fromLayout))).toBe(sha256Digest(Buffer.from(fromRegistry)));
      // and skopeo copies it into a registry with the manifest digest unchanged
      skopeo([
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${layout}:0.2.0`,
        `docker://${own.host}/copied/wasi/http:0.2.0`,
      ]);
      const copied = skopeo([
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${own.host}/copied/wasi/http:0.2.0`,
      ]);
      expect(sha256Digest(Buffer.from(copied))).toBe(sha256Digest(Buffer.from(fromRegistry)));
      // again: nothing changes, no request
      const before = await snapshot(join(cwd, 'vendor'));
      const again = await vendor({ cwd, env: { HOME: cwd }, cacheDir });
      expect(again.packages.every((p) => p.status === 'unchanged')).toBe(true);
      expect(again.requests).toBe(0);
      expect(await snapshot(join(cwd, 'vendor'))).toEqual(before);
      // a damaged layout is fetched again and rewritten, the others are left alone
      await writeFile(join(cwd, 'vendor', 'oci', 'wasi', 'io', 'index.json'), '{}');
      const repaired = await vendor({ cwd, env: { HOME: cwd }, cacheDir });
      expect(repaired.packages.filter((p) => p.status === 'written').map((p) => p.id)).toEqual([
        'wasi:io@0.2.0',
      ]);
      expect(await snapshot(join(cwd, 'vendor'))).toEqual(before);
      const deps = await snapshot(join(cwd, 'wit', 'deps'));
      await own.stop();

      // a fresh clone without wit/deps, a new empty cache, the registry gone
      const clone = await copyProject(cwd, ['wit.toml', 'wkg.lock', 'vendor']);
      const restored = await run(clone, { frozen: true });
      expect(restored.requests).toBe(0);
      expect(await snapshot(join(clone, 'wit', 'deps'))).toEqual(deps);
      // without --frozen too: locked digests come from vendor/oci before the network
      await rm(join(clone, 'wit'), { recursive: true });
      expect((await run(clone)).requests).toBe(0);
      expect(await snapshot(join(clone, 'wit', 'deps'))).toEqual(deps);
      // `vendor --frozen` (a CI check) changes nothing; a missing layout is ERR_OFFLINE
      const cacheless = await tempDir('wit-deps-vendor-cache-');
      const env = { HOME: clone };
      const checked = await vendor({ cwd: clone, env, cacheDir: cacheless, frozen: true });
      expect(checked.packages.every((p) => p.status === 'unchanged')).toBe(true);
      await rm(join(clone, 'vendor', 'oci', 'wasi', 'io'), { recursive: true });
      await expect(
        vendor({ cwd: clone, env, cacheDir: cacheless, frozen: true }),
      ).rejects.toMatchObject({ code: 'ERR_OFFLINE' });
    } finally {
      await own.stop();
    }
  }, 60_000);

  it('vendor/oci works as a `layout` registry, and a package no longer locked is dropped', async () => {
    const cwd = await project(registry);
    const cacheDir = await tempDir('wit-deps-vendor-cache-');
    await run(cwd, { cacheDir });
    await vendor({ cwd, env: { HOME: cwd }, cacheDir });
    const other = await tempProject({
      prefix: 'wit-deps-vendor-layout-',
      witToml: witToml(HTTP, { layout: join(cwd, 'vendor', 'oci') }),
    });
    const fromLayout = await run(other);
    expect(fromLayout.requests).toBe(0);
    expect(await snapshot(join(other, 'wit', 'deps'))).toEqual(
      await snapshot(join(cwd, 'wit', 'deps')),
    );
    // only wasi:clocks now: every other layout goes
    await writeFile(
      join(cwd, 'wit.toml'),
      witToml('"wasi:clocks" = "=0.2.0"', { oci: registry.host, prefix: 'webassembly/' }),
    );
    await run(cwd, { cacheDir });
    const after = await vendor({ cwd, env: { HOME: cwd }, cacheDir });
    expect(after.packages.map((p) => p.id)).toEqual(['wasi:clocks@0.2.0', 'wasi:io@0.2.0']);
    expect(after.removed).toEqual(
      CLOSURE.filter((p) => !['clocks', 'io'].includes(p)).map((p) => `wasi:${p}`),
    );
    await expect(stat(join(cwd, 'vendor', 'oci', 'wasi', 'http'))).rejects.toThrow();
  }, 60_000);
});

describe('the vendor command', () => {
  it('vendors a project whose packages come from OCI layouts, then restores it offline', async () => {
    const cwd = await exampleProject();
    const cacheDir = await tempDir('wit-deps-vendor-cache-');
    const io = bufferIo({ cwd, env: { HOME: cwd } });
    expect(await main(['--json', 'vendor', '--cache-dir', cacheDir], io)).toBe(0);
    const doc = JSON.parse(io.out()) as { dir: string; packages: { status: string }[] };
    expect(doc.dir).toBe(join('vendor', 'oci'));
    expect(doc.packages.length).toBeGreaterThan(0);
    const human = bufferIo({ cwd, env: { HOME: cwd } });
    expect(await main(['vendor', '--cache-dir', cacheDir], human)).toBe(0);
    expect(human.out()).toMatch(/locked package versions in vendor\/oci, unchanged \(0 requests\)/);
    const deps = await snapshot(join(cwd, 'wit', 'deps'));
    const clone = await copyProject(cwd, ['wit.toml', 'wkg.lock', 'wit', 'vendor']);
    await rm(join(clone, 'wit', 'deps'), { recursive: true });
    await run(clone, { frozen: true });
    expect(await snapshot(join(clone, 'wit', 'deps'))).toEqual(deps);
  }, 60_000);
});

describe('a committed wit/deps is a vendor folder too', () => {
  it('passes install --frozen and verify with an empty cache, and fails naming a changed file', async () => {
    const cwd = await project(registry);
    await run(cwd);
    const clone = await copyProject(cwd, ['wit.toml', 'wkg.lock', 'wit']);
    const cacheDir = await tempDir('wit-deps-vendor-empty-');
    const frozen = await run(clone, { frozen: true, cacheDir });
    expect(frozen.requests).toBe(0);
    expect(frozen.packages.every((p) => p.status === 'unchanged')).toBe(true);
    await expect(verify({ cwd: clone, env: { HOME: clone }, cacheDir })).resolves.toMatchObject({
      checked: 7,
      problems: [],
    });

    const file = join(clone, 'wit', 'deps', 'wasi-io-0.2.0', 'package.wit');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('interface', 'interfacE'));
    await expect(verify({ cwd: clone, env: { HOME: clone }, cacheDir })).rejects.toMatchObject({
      code: 'ERR_VERIFY_FAILED',
      details: {
        problems: [
          { id: 'wasi:io@0.2.0', problem: expect.stringContaining('package.wit') as unknown },
        ],
      },
    });
    await expect(run(clone, { frozen: true, cacheDir })).rejects.toMatchObject({
      code: 'ERR_OFFLINE',
      message: expect.stringContaining(
        'wit/deps/wasi-io-0.2.0: `package.wit` was modified',
      ) as unknown,
    });
  }, 60_000);
});

describe('a committed wit/deps with a direct-only wkg.lock', () => {
  it('installs --frozen with an empty cache: the folder markers pin the transitive packages', async () => {
    const cwd = await project(registry);
    await run(cwd);
    const full = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    const direct = { ...full, packages: full.packages.filter((p) => p.name === 'wasi:http') };
    await writeFile(join(cwd, 'wkg.lock'), serializeLock(direct));
    const clone = await copyProject(cwd, ['wit.toml', 'wkg.lock', 'wit']);
    const frozen = await run(clone, { frozen: true });
    expect(frozen.requests).toBe(0);
    expect(frozen.lockShape).toBe('direct');
    expect(frozen.packages.map((p) => p.status)).toEqual(CLOSURE.map(() => 'unchanged'));
    expect(await readFile(join(clone, 'wkg.lock'), 'utf8')).toBe(serializeLock(direct));
  }, 60_000);
});

describe('a locked install with an empty cache', () => {
  it('makes one blob request per package and no manifest request', async () => {
    const cwd = await project(registry);
    const first = await run(cwd);
    // no lock: one manifest and one blob per package
    expect(first.requests).toBe(14);
    await rm(join(cwd, 'wit'), { recursive: true });
    const locked = await run(cwd, { locked: true });
    expect(locked.requests).toBe(7);
    expect(locked.packages.map((p) => p.digest)).toEqual(first.packages.map((p) => p.digest));
    // the lock is unchanged and its digests are the layer digests
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(serializeLock(lock)).toBe(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
  }, 60_000);
});
