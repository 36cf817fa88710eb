/**
 * wkg projects against the real registry (docker-registry) holding the WASI fixture packages:
 * a project with no wit.toml and the lock wkg writes (direct dependencies only) installs with
 * `--locked` and leaves that lock byte for byte as it was, reinstalls with zero requests, and
 * installs `--frozen` from the cache, the transitive packages pinned by their folder markers; a
 * range in wit.toml plus an exact reference in the WIT installs one version, not two trees.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { install, type InstallOptions } from '../../src/app/deps/install.js';
import { tree } from '../../src/app/deps/tree.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseLock } from '../../src/project/wkg-lock.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/wkg-projects');
const HTTP_023_CLOSURE = [
  'wasi:cli@0.2.3',
  'wasi:clocks@0.2.3',
  'wasi:filesystem@0.2.3',
  'wasi:http@0.2.3',
  'wasi:io@0.2.3',
  'wasi:random@0.2.3',
  'wasi:sockets@0.2.3',
];

let registry: RunningRegistry;
let digests: Map<string, string>;
const temps: string[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  digests = await publishWasi(registry.host, 'webassembly/', wasiFixtures());
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function temp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/**
 * A copy of a fixture project, with a wasm-pkg config.toml beside it that maps `wasi` to the
 * logical registry `wasi.dev` served by the test registry (inline metadata, as wkg users map it).
 */
async function wkgProject(name: string): Promise<{ cwd: string; config: string; cache: string }> {
  const cwd = await temp('wit-deps-wkg-proj-');
  await cp(join(FIXTURES, name), cwd, { recursive: true });
  const config = join(await temp('wit-deps-wkg-conf-'), 'config.toml');
  await writeFile(
    config,
    `[namespace_registries]\nwasi = { registry = "wasi.dev", metadata = { preferredProtocol = "oci", oci = { registry = "${registry.host}", namespacePrefix = "webassembly/" } } }\n`,
  );
  return { cwd, config, cache: await temp('wit-deps-wkg-cache-') };
}

function run(
  p: { cwd: string; config: string; cache: string },
  more: Partial<InstallOptions> = {},
) {
  return install({
    cwd: p.cwd,
    env: { HOME: p.cwd },
    cacheDir: p.cache,
    config: p.config,
    ...more,
  });
}

describe('a wkg project with the lock wkg wrote (direct dependencies only)', () => {
  it('installs --locked with the lock unchanged, then with zero requests, then --frozen', async () => {
    const p = await wkgProject('direct-lock');
    const lockText = await readFile(join(p.cwd, 'wkg.lock'), 'utf8');
    // the fixture lock pins the very bytes the test registry serves
    const locked = parseLock(lockText).packages[0]!.versions[0]!;
    expect(locked.digest).toBe(digests.get('wasi:http@0.2.3'));

    const first = await run(p, { locked: true });
    expect(first.packages.map((x) => x.id)).toEqual(HTTP_023_CLOSURE);
    expect(first.packages.filter((x) => x.direct).map((x) => x.id)).toEqual(['wasi:http@0.2.3']);
    expect(first.lockShape).toBe('direct');
    expect(first.lockWritten).toBe(false);
    expect(first.staleLockEntries).toEqual([]);
    expect(await readFile(join(p.cwd, 'wkg.lock'), 'utf8')).toBe(lockText);

    // the folder markers pin the transitive digests: nothing to ask the registry
    const second = await run(p, { locked: true });
    expect(second.requests).toBe(0);
    expect(second.packages.every((x) => x.status === 'unchanged')).toBe(true);
    const shown = await tree({
      cwd: p.cwd,
      env: { HOME: p.cwd },
      cacheDir: p.cache,
      config: p.config,
    });
    expect(shown.requests).toBe(0);
    expect(shown.roots.map((r) => r.id)).toEqual(['wasi:http@0.2.3']);

    // an edited transitive folder is written again from the cache, at the digest its marker pins
    const edited = join(p.cwd, 'wit', 'deps', 'wasi-io-0.2.3', 'package.wit');
    const original = await readFile(edited, 'utf8');
    await writeFile(edited, 'package wasi:io@0.2.3;\n');
    const frozen = await run(p, { frozen: true });
    expect(frozen.requests).toBe(0);
    expect(frozen.packages.find((x) => x.id === 'wasi:io@0.2.3')?.status).toBe('written');
    expect(await readFile(edited, 'utf8')).toBe(original);
    expect(await readFile(join(p.cwd, 'wkg.lock'), 'utf8')).toBe(lockText);
  });

  it('refuses a registry digest other than the one a folder marker pinned', async () => {
    const p = await wkgProject('direct-lock');
    await run(p);
    const markerFile = join(p.cwd, 'wit', 'deps', 'wasi-io-0.2.3', '.wit-deps.json');
    const marker = JSON.parse(await readFile(markerFile, 'utf8')) as { digest: string };
    marker.digest = `sha256:${'0'.repeat(64)}`;
    await writeFile(markerFile, JSON.stringify({ generator: 'wit-deps', ...marker }));
    await expect(run(p)).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
      message: expect.stringContaining('wit/deps/wasi-io-0.2.3 was installed from') as string,
      hint: expect.stringContaining('delete wit/deps/wasi-io-0.2.3') as string,
    });
    // a marker naming the cached bytes of another version is refused as well: the blob is
    // decoded and must be the package its folder is named after
    const other = await temp('wit-deps-wkg-other-');
    await writeFile(
      join(other, 'wit.toml'),
      `[dependencies]\n"wasi:io" = "=0.2.0"\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`,
    );
    await install({ cwd: other, env: { HOME: other }, cacheDir: p.cache });
    marker.digest = digests.get('wasi:io@0.2.0')!;
    await writeFile(markerFile, JSON.stringify({ generator: 'wit-deps', ...marker }));
    await expect(run(p)).rejects.toMatchObject({ code: 'ERR_ARTIFACT_MISMATCH' });
  });

  it('without wit/deps, installs the transitive packages from the registry (not pinned)', async () => {
    const p = await wkgProject('direct-lock');
    await run(p);
    await rm(join(p.cwd, 'wit', 'deps'), { recursive: true });
    // the trust gap of a direct-only lock: nothing in the project pins wasi:io@0.2.3; with the
    // cache that fetched it, --frozen takes the digest the cache recorded for that version
    const fromCache = await run(p, { frozen: true });
    expect(fromCache.packages.map((x) => x.id)).toEqual(HTTP_023_CLOSURE);
    expect(fromCache.requests).toBe(0);
    await rm(join(p.cwd, 'wit', 'deps'), { recursive: true });
    // without that record (a cache that holds the blobs but never saw the tag), offline cannot decide
    await rm(join(p.cache, 'versions'), { recursive: true });
    await expect(run(p, { frozen: true })).rejects.toMatchObject({
      code: 'ERR_OFFLINE',
      hint: expect.stringContaining('(a wkg lock lists direct dependencies only)') as string,
    });
    const again = await run(p, { locked: true });
    expect(again.packages.map((x) => x.id)).toEqual(HTTP_023_CLOSURE);
    // the manifests of the 6 transitive packages, no blob (they are cached)
    expect(again.requests).toBe(6);
  });

  it('drops a stale entry, keeps the shape, and the summary says so', async () => {
    const p = await wkgProject('direct-lock');
    const lockFile = join(p.cwd, 'wkg.lock');
    const current = await readFile(lockFile, 'utf8');
    const stale = `\n[[packages]]\nname = "wasi:random"\nregistry = "wasi.dev"\n\n[[packages.versions]]\nrequirement = "=0.2.0"\nversion = "0.2.0"\ndigest = "${digests.get('wasi:random@0.2.0')!}"\n`;
    await writeFile(lockFile, current + stale);
    const io = bufferIo({ cwd: p.cwd, env: { HOME: p.cwd, WIT_DEPS_CACHE_DIR: p.cache } });
    expect(await main(['install', '--config', p.config], io)).toBe(0);
    expect(io.out()).toMatch(
      /^7 packages installed, 7 written, wkg\.lock updated \(removed 1 stale lock entry: wasi:random@0\.2\.0\), \d+ requests/,
    );
    expect(await readFile(lockFile, 'utf8')).toBe(current);
  });
});

describe('a range in wit.toml and an exact reference in the WIT', () => {
  it('installs the one version that satisfies both', async () => {
    const p = await wkgProject('range-and-exact');
    await writeFile(
      join(p.cwd, 'wit.toml'),
      `[dependencies]\n"wasi:http" = "^0.2"\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`,
    );
    const result = await run(p);
    expect(result.packages.map((x) => x.id)).toEqual(
      HTTP_023_CLOSURE.map((id) => id.replace('0.2.3', '0.2.0')),
    );
    expect(result.duplicates).toEqual([]);
    const lock = parseLock(await readFile(join(p.cwd, 'wkg.lock'), 'utf8'));
    expect(
      lock.packages
        .find((x) => x.name === 'wasi:http')
        ?.versions.map((v) => `${v.requirement} ${v.version}`),
    ).toEqual(['=0.2.0 0.2.0', '^0.2 0.2.0']);
  });
});

describe('requirements no one version satisfies', () => {
  it('installs versions side by side and warns, naming who requires what', async () => {
    const cwd = await temp('wit-deps-dup-proj-');
    await writeFile(
      join(cwd, 'wit.toml'),
      `[dependencies]\n"wasi:clocks" = "=0.2.0"\n"wasi:io" = "~0.2.3"\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`,
    );
    const cache = await temp('wit-deps-dup-cache-');
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache } });
    expect(await main(['install'], io)).toBe(0);
    expect(io.out()).toMatch(/^3 packages installed, 3 written, wkg\.lock updated/);
    expect(io.err()).toContain(
      'wasi:io is installed at 2 versions, as no one version satisfies every requirement: 0.2.3 (~0.2.3 by wit.toml), 0.2.0 (=0.2.0 by wasi:clocks@0.2.0)',
    );
    const json = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache } });
    expect(await main(['--json', 'install'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({
      duplicates: [{ name: 'wasi:io', versions: [{ version: '0.2.3' }, { version: '0.2.0' }] }],
    });
  });
});
