/**
 * `wit-deps install` against the real registry (docker-registry), with the real wasi:http@0.2.0
 * binary and WASI packages built by our encoder: transitive installs, ranges, prereleases, two
 * versions side by side, the lock, zero-request reinstalls, --offline/--locked, errors.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, type InstallOptions } from '../../src/app/install.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseLock } from '../../src/project/wkg-lock.js';
import { decodeWit, printWitPackage } from '../../src/wit/index.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures, type WasiFixture } from '../support/wasi-publish.js';

let registry: RunningRegistry;
let digests: Map<string, string>;
let fixtures: WasiFixture[];
let cacheRoot: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = wasiFixtures();
  digests = await publishWasi(registry.host, 'webassembly/', fixtures);
  cacheRoot = await mkdtemp(join(tmpdir(), 'wit-deps-it-cache-'));
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

async function project(deps: string, extra = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wit-deps-it-proj-'));
  const toml = `[dependencies]\n${deps}\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n${extra}`;
  await writeFile(join(dir, 'wit.toml'), toml);
  return dir;
}

function run(cwd: string, more: Partial<InstallOptions> = {}, cache = cacheRoot) {
  return install({ cwd, env: { HOME: cwd }, cacheDir: cache, ...more });
}

async function folders(cwd: string): Promise<string[]> {
  return (await readdir(join(cwd, 'wit', 'deps'))).sort();
}

function fixture(id: string): WasiFixture {
  const f = fixtures.find((x) => `${x.name}@${x.version}` === id);
  if (f === undefined) throw new Error(`no fixture ${id}`);
  return f;
}

describe('install from a real registry', () => {
  it('installs the real wasi:http@0.2.0 and its whole closure, then reinstalls with zero requests', async () => {
    const cwd = await project('"wasi:http" = "=0.2.0"');
    const cache = await mkdtemp(join(tmpdir(), 'wit-deps-it-cold-'));
    const first = await run(cwd, {}, cache);
    expect(first.packages.map((p) => p.id)).toEqual([
      'wasi:cli@0.2.0',
      'wasi:clocks@0.2.0',
      'wasi:filesystem@0.2.0',
      'wasi:http@0.2.0',
      'wasi:io@0.2.0',
      'wasi:random@0.2.0',
      'wasi:sockets@0.2.0',
    ]);
    expect(await folders(cwd)).toEqual(first.packages.map((p) => p.folder));
    // each folder holds the package printed from its own registry artifact
    for (const p of first.packages) {
      const decoded = decodeWit(fixture(p.id).bytes);
      const text = await readFile(join(cwd, 'wit', 'deps', p.folder, 'package.wit'), 'utf8');
      expect(text).toBe(printWitPackage(decoded.resolve, decoded.package));
      expect(p.digest).toBe(digests.get(p.id));
    }
    // one manifest and one blob per package (exact versions: no tag list), no token
    expect(first.requests).toBe(14);
    const lockText = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    const lock = parseLock(lockText);
    expect(
      lock.packages.map((p) => [p.name, p.registry, p.versions.map((v) => v.requirement)]),
    ).toEqual([
      ['wasi:cli', registry.host, ['=0.2.0']],
      ['wasi:clocks', registry.host, ['=0.2.0']],
      ['wasi:filesystem', registry.host, ['=0.2.0']],
      ['wasi:http', registry.host, ['=0.2.0']],
      ['wasi:io', registry.host, ['=0.2.0']],
      ['wasi:random', registry.host, ['=0.2.0']],
      ['wasi:sockets', registry.host, ['=0.2.0']],
    ]);
    const second = await run(cwd, {}, cache);
    expect(second.requests).toBe(0);
    expect(second.lockWritten).toBe(false);
    expect(second.packages.every((p) => p.status === 'unchanged')).toBe(true);
    expect(await readFile(join(cwd, 'wkg.lock'), 'utf8')).toBe(lockText);
    // a wiped wit/deps is rebuilt from the warm cache, still without network
    await rm(join(cwd, 'wit'), { recursive: true });
    const third = await run(cwd, { frozen: true }, cache);
    expect(third.requests).toBe(0);
    expect(await folders(cwd)).toEqual(first.packages.map((p) => p.folder));
  });

  it('resolves ^0.2 to the highest 0.2 version and records the range in the lock', async () => {
    const cwd = await project('"wasi:http" = "^0.2"');
    const result = await run(cwd);
    expect(result.packages.find((p) => p.name === 'wasi:http')?.version).toBe('0.2.3');
    expect(result.packages.every((p) => p.version === '0.2.3')).toBe(true);
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(lock.packages.find((p) => p.name === 'wasi:http')?.versions[0]?.requirement).toBe(
      '^0.2',
    );
  });

  it('selects a prerelease only when asked', async () => {
    const cwd = await project('"wasi:http" = "0.3.0-rc-2026-01-06"');
    const result = await run(cwd);
    expect(result.packages.map((p) => p.id).sort()).toEqual([
      'wasi:cli@0.3.0-rc-2026-01-06',
      'wasi:clocks@0.3.0-rc-2026-01-06',
      'wasi:filesystem@0.3.0-rc-2026-01-06',
      'wasi:http@0.3.0-rc-2026-01-06',
      'wasi:random@0.3.0-rc-2026-01-06',
      'wasi:sockets@0.3.0-rc-2026-01-06',
    ]);
  });

  it('keeps two versions of wasi:io side by side', async () => {
    const cwd = await project('"wasi:clocks" = "=0.2.0"\n"wasi:io" = "~0.2.3"');
    const result = await run(cwd);
    expect(result.packages.map((p) => p.id)).toEqual([
      'wasi:clocks@0.2.0',
      'wasi:io@0.2.0',
      'wasi:io@0.2.3',
    ]);
    expect(await folders(cwd)).toEqual(['wasi-clocks-0.2.0', 'wasi-io-0.2.0', 'wasi-io-0.2.3']);
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(
      lock.packages.find((p) => p.name === 'wasi:io')?.versions.map((v) => v.requirement),
    ).toEqual(['=0.2.0', '~0.2.3']);
  });

  it("removes stale folders it created and leaves the user's folders alone", async () => {
    const cwd = await project('"wasi:io" = "=0.2.0"');
    await run(cwd);
    await mkdir(join(cwd, 'wit', 'deps', 'my-vendored'), { recursive: true });
    await writeFile(join(cwd, 'wit', 'deps', 'my-vendored', 'x.wit'), 'package my:vendored;\n');
    await writeFile(
      join(cwd, 'wit.toml'),
      (await readFile(join(cwd, 'wit.toml'), 'utf8')).replace('=0.2.0', '=0.2.3'),
    );
    const result = await run(cwd);
    expect(result.removed).toEqual(['wasi-io-0.2.0']);
    expect(await folders(cwd)).toEqual(['my-vendored', 'wasi-io-0.2.3']);
  });

  it('fails --locked when the lock would change, and --offline on a cold cache', async () => {
    const cwd = await project('"wasi:io" = "=0.2.0"');
    await expect(run(cwd, { locked: true })).rejects.toMatchObject({
      code: 'ERR_LOCKFILE_OUTDATED',
    });
    await expect(readdir(join(cwd, 'wit'))).rejects.toThrow();
    const cold = await mkdtemp(join(tmpdir(), 'wit-deps-it-empty-'));
    await expect(run(cwd, { offline: true }, cold)).rejects.toMatchObject({ code: 'ERR_OFFLINE' });
  });

  it('names what exists when a range matches nothing, and a missing package', async () => {
    const cwd = await project('"wasi:http" = "^0.4"');
    await expect(run(cwd)).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      details: {
        package: 'wasi:http',
        requirement: '^0.4',
        available: ['0.3.0-rc-2026-01-06', '0.2.3', '0.2.0'],
      },
    });
    const missing = await project('"wasi:nope" = "^1"');
    await expect(run(missing)).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NOT_FOUND',
      details: { package: 'wasi:nope' },
    });
  });

  it("installs what the project's own WIT references, with no dependency table", async () => {
    const cwd = await project('');
    await mkdir(join(cwd, 'wit'));
    await writeFile(
      join(cwd, 'wit', 'world.wit'),
      'package acme:app@0.1.0;\n\nworld app {\n  import wasi:clocks/wall-clock@0.2.0;\n  import wasi:random/random@0.2.3;\n}\n',
    );
    const result = await run(cwd);
    expect(result.packages.map((p) => p.id)).toEqual([
      'wasi:clocks@0.2.0',
      'wasi:io@0.2.0',
      'wasi:random@0.2.3',
    ]);
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(
      lock.packages.map((p) => `${p.name} ${p.versions.map((v) => v.requirement).join(',')}`),
    ).toEqual(['wasi:clocks =0.2.0', 'wasi:io =0.2.0', 'wasi:random =0.2.3']);
  });

  it('runs through the CLI with a one-line summary and --json', async () => {
    const cwd = await project('"wasi:random" = "0.2.0"');
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheRoot } });
    expect(await main(['install'], io)).toBe(0);
    expect(io.out()).toMatch(
      /^1 package installed, 1 written, wkg.lock updated, \d+ requests, [\d.]+ s\n$/,
    );
    const json = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheRoot } });
    expect(await main(['--json', 'install', '--frozen'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({
      requests: 0,
      lockWritten: false,
      packages: [{ id: 'wasi:random@0.2.3' }],
    });
  });
});
