/**
 * Failure safety of `install` against real parts: the real registry killed in the middle of an
 * install, and a blob spoiled by the fault server in front of the real registry. Each time the
 * install fails with a clear error, the project keeps its previous `wit/deps` and `wkg.lock`
 * byte for byte, and the cache holds only verified entries and no temporary file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, type InstallOptions } from '../../src/app/deps/install.js';
import { verify } from '../../src/app/deps/verify.js';
import { isWitDepsError, type WitDepsError } from '../../src/errors.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import {
  cacheProblems,
  cachedBlobs,
  installState,
  projectLeftovers,
} from '../support/project-snapshot.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures, type WasiFixture } from '../support/wasi-publish.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

let registry: RunningRegistry;
let proxy: FaultServer;
let storage: string;
let fixtures: WasiFixture[];
let digests: Map<string, string>;

beforeAll(async () => {
  storage = await tempDir('wit-deps-faults-storage-');
  registry = await startRegistry({ storage });
  fixtures = wasiFixtures();
  digests = await publishWasi(registry.host, 'webassembly/', fixtures);
  proxy = await startFaultServer();
  proxy.proxyTo(registry.url);
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

const tmp = (what: string): Promise<string> => tempDir(`wit-deps-faults-${what}-`);

async function project(host: string, deps: string): Promise<string> {
  const dir = await tmp('proj');
  await setDeps(dir, host, deps);
  return dir;
}

async function setDeps(dir: string, host: string, deps: string): Promise<void> {
  await tempProject({ dir, witToml: witToml(deps, { oci: host, prefix: 'webassembly/' }) });
}

function run(cwd: string, cache: string, more: Partial<InstallOptions> = {}) {
  return install({ cwd, env: { HOME: cwd, WIT_DEPS_RETRIES: '0' }, cacheDir: cache, ...more });
}

async function failure(promise: Promise<unknown>): Promise<WitDepsError> {
  try {
    await promise;
  } catch (error) {
    if (isWitDepsError(error)) return error;
    throw error;
  }
  throw new Error('the install did not fail');
}

const hex = (id: string): string => digests.get(id)!.slice('sha256:'.length);

const HTTP_CLOSURE = ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'].map(
  (p) => `wasi:${p}@0.2.0`,
);

describe('install failure safety', () => {
  it('keeps the project and a verified cache when the registry dies mid-install, then succeeds once it is back', async () => {
    const cache = await tmp('cache');
    const cwd = await project(registry.host, '"wasi:random" = "=0.2.3"');
    await run(cwd, cache);
    const before = await installState(cwd);
    await setDeps(cwd, registry.host, '"wasi:http" = "=0.2.0"');
    let downloads = 0;
    const error = await failure(
      run(cwd, cache, {
        concurrency: 1,
        onEvent: (event) => {
          // the first layer is in the cache: the registry dies before the next request
          if (event.kind === 'download' && ++downloads === 1) process.kill(registry.pid, 'SIGKILL');
        },
      }),
    );
    await registry.stop();
    expect(error.code).toBe('ERR_NETWORK');
    const host = registry.host.replace(/\./g, '\\.');
    expect(error.message).toMatch(
      new RegExp(
        `^GET of (manifest|blob) \`${host}/webassembly/wasi/[a-z]+[:@][^\`]+\` could not reach \`${host}\`: (ECONNREFUSED|ECONNRESET|UND_ERR_SOCKET)$`,
      ),
    );
    expect(error.hint).toMatch(
      /^(nothing answers at `[^`]+`: check that the registry is running|check the registry address)/,
    );
    expect(await installState(cwd)).toEqual(before);
    expect(await projectLeftovers(cwd)).toEqual([]);
    expect(await cacheProblems(cache)).toEqual([]);
    // some layers of the new closure were fetched (and verified) before the registry died
    const cached = await cachedBlobs(cache);
    const fetched = HTTP_CLOSURE.filter((id) => cached.includes(hex(id)));
    expect(fetched.length).toBeGreaterThanOrEqual(1);
    expect(fetched.length).toBeLessThan(HTTP_CLOSURE.length);

    registry = await startRegistry({ storage, port: Number(registry.host.split(':')[1]) });
    proxy.proxyTo(registry.url);
    const result = await run(cwd, cache);
    expect(result.packages.map((p) => p.id)).toEqual(HTTP_CLOSURE);
    expect(result.removed).toEqual(['wasi-random-0.2.3']);
    await expect(verify({ cwd, env: { HOME: cwd }, cacheDir: cache })).resolves.toMatchObject({
      checked: 7,
    });
    expect(await cacheProblems(cache)).toEqual([]);
  });

  it('fails with ERR_INTEGRITY_MISMATCH naming the package when a layer is corrupt, and changes nothing', async () => {
    const cache = await tmp('cache');
    const cwd = await project(proxy.host, '"wasi:random" = "=0.2.3"');
    await run(cwd, cache);
    const before = await installState(cwd);
    const io = fixtures.find((f) => f.name === 'wasi:io' && f.version === '0.2.0')!;
    const spoiled = Buffer.from(io.bytes);
    spoiled[spoiled.length - 1]! ^= 0xff;
    proxy.on(`/v2/webassembly/wasi/io/blobs/${digests.get('wasi:io@0.2.0')!}`, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(spoiled.length),
      });
      res.end(spoiled);
    });
    await setDeps(cwd, proxy.host, '"wasi:clocks" = "=0.2.0"');
    const error = await failure(run(cwd, cache));
    expect(error.code).toBe('ERR_INTEGRITY_MISMATCH');
    expect(error.message).toMatch(/^`wasi:io@0\.2\.0` from registry .* does not match its digest/);
    expect(error.details).toMatchObject({ package: 'wasi:io', version: '0.2.0' });
    expect(error.hint).toContain('wit-deps install');
    expect(await installState(cwd)).toEqual(before);
    expect(await readFile(join(cwd, 'wkg.lock'), 'utf8')).not.toContain('wasi:clocks');
    expect(await projectLeftovers(cwd)).toEqual([]);
    expect(await cacheProblems(cache)).toEqual([]);
    expect(await cachedBlobs(cache)).not.toContain(hex('wasi:io@0.2.0'));
  });
});
