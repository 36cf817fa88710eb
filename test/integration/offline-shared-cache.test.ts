/**
 * `--offline` from the shared cache without a lock (docs/install.md, "Offline"): project A installs
 * `wasi:http` 0.2.3 and 0.2.0 from a real registry, which records each version's layer in the
 * cache (tag → manifest → layer, `Cache.writeVersionDigest`); the registry is stopped; project B,
 * with no lock, installs offline from that cache: a pinned version, a range (resolved against the
 * cached versions, and the message says so), and a version that is not cached (ERR_OFFLINE).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, type InstallEvent } from '../../src/app/deps/install.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fakeStream } from '../support/fake-terminal.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

let registry: RunningRegistry;
let cache: string;
let lockOfA: string;

const project = (requirement: string): Promise<string> =>
  tempProject({
    prefix: 'wit-deps-offline-cache-',
    witToml: witToml(`"wasi:http" = "${requirement}"`, { oci: registry.host, prefix: 'p/' }),
  });

const opts = (cwd: string, offline = false) => ({
  cwd,
  env: { HOME: cwd },
  cacheDir: cache,
  offline,
  network: { retries: '0' },
});

beforeAll(async () => {
  registry = await startRegistry();
  await publishWasi(registry.host, 'p/', wasiFixtures());
  cache = await tempDir('wit-deps-offline-shared-');
  const a = await project('=0.2.3');
  await install(opts(a));
  lockOfA = await readFile(join(a, 'wkg.lock'), 'utf8');
  await install(opts(await project('=0.2.0')));
  await registry.stop();
}, 120_000);

afterAll(async () => {
  await registry.stop();
});

describe('--offline from another project’s cache, without a lock', () => {
  it('installs a pinned version the cache holds, with the same lock', async () => {
    const b = await project('=0.2.3');
    const result = await install(opts(b, true));
    expect(result.requests).toBe(0);
    expect(result.packages.find((p) => p.id === 'wasi:http@0.2.3')?.status).toBe('written');
    expect(await readFile(join(b, 'wkg.lock'), 'utf8')).toBe(lockOfA);
  });

  it('resolves a range against the cached versions and says so', async () => {
    const b = await project('^0.2.0');
    const events: InstallEvent[] = [];
    const result = await install({ ...opts(b, true), onEvent: (e) => events.push(e) });
    expect(result.packages.map((p) => p.id)).toContain('wasi:http@0.2.3');
    expect(events).toContainEqual({
      kind: 'offline-versions',
      name: 'wasi:http',
      versions: ['0.2.0', '0.2.3'],
    });
  });

  it('prints the cached versions it resolved against', async () => {
    const b = await project('^0.2.0');
    const err = fakeStream();
    const io: CliIo = { stdout: fakeStream(), stderr: err, env: { HOME: b }, cwd: b };
    const code = await main(['install', '--offline', '--cache-dir', cache], io);
    expect(code).toBe(0);
    expect(err.text()).toContain(
      'resolved offline against cached versions of wasi:http: 0.2.0, 0.2.3',
    );
  });

  it('fails with ERR_OFFLINE and a hint for a version the cache does not hold', async () => {
    const pinned = install(opts(await project('=0.3.0-rc-2026-01-06'), true));
    await expect(pinned).rejects.toMatchObject({
      code: 'ERR_OFFLINE',
      message: expect.stringContaining('cached versions: 0.2.0, 0.2.3') as unknown,
      hint: expect.stringContaining('without `--offline`') as unknown,
    });
    const range = install(opts(await project('>=0.2.4'), true));
    await expect(range).rejects.toMatchObject({
      code: 'ERR_OFFLINE',
      message: expect.stringContaining(
        'no cached version of `wasi:http` satisfies `>=0.2.4`',
      ) as unknown,
      hint: expect.stringContaining('require one of the cached versions') as unknown,
    });
  });
});
