/**
 * Attack class: file-system failures around the cache, reported as what they are and recovered
 * from where possible. A cache folder that cannot be created (`--cache-dir /proc/nope`, where
 * Node's recursive mkdir loops forever) fails at once with ERR_FS naming it; a full disk while a
 * downloaded layer is written into the cache (ENOSPC, injected by sending the cache's temporary
 * files to /dev/full) is ERR_FS, not ERR_NETWORK; a corrupt cached layer is dropped and fetched
 * again from the real registry within one install (with --offline: ERR_OFFLINE and a hint).
 */
import type * as NodeFs from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { install, type InstallOptions } from '../../src/app/deps/install.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { sha256 } from '../../src/cache/store.js';
import { LayoutBackend, pushWitPackage } from '../../src/oci/index.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures, type WasiFixture } from '../support/wasi-publish.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

/** While `full` is set, the cache's download temp files (`*.tmp`) are written to /dev/full. */
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  const createWriteStream = ((
    path: NodeFs.PathLike,
    options?: Parameters<typeof fs.createWriteStream>[1],
  ) =>
    disk.full && String(path).endsWith('.tmp')
      ? fs.createWriteStream('/dev/full', { flags: 'a' })
      : fs.createWriteStream(path, options)) as typeof fs.createWriteStream;
  return { ...fs, createWriteStream, default: { ...fs, createWriteStream } };
});

const FAST = 10_000;
let registry: RunningRegistry;
let random: WasiFixture;

beforeAll(async () => {
  registry = await startRegistry();
  random = wasiFixtures().find((f) => f.name === 'wasi:random' && f.version === '0.2.0')!;
  await publishWasi(registry.host, 'fs/', [random]);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

async function temp(prefix: string): Promise<string> {
  return tempDir(`wit-deps-sec-fs-${prefix}-`);
}

/** A project installing `wasi:random@0.2.0` from the registry. */
async function project(): Promise<{ cwd: string; cache: string }> {
  const toml = witToml('"wasi:random" = "=0.2.0"', { oci: registry.host, prefix: 'fs/' });
  const cwd = await tempProject({ dir: await temp('proj'), witToml: toml });
  return { cwd, cache: await temp('cache') };
}

function run(cwd: string, cache: string, more: Partial<InstallOptions> = {}) {
  return install({ cwd, env: { HOME: cwd, WIT_DEPS_RETRIES: '0' }, cacheDir: cache, ...more });
}

/** What `promise` rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e as { code?: unknown; message?: unknown; hint?: unknown },
  );
  return { code: error.code, message: String(error.message), hint: String(error.hint) };
}

describe('a cache folder that cannot be created', () => {
  it(
    'fails with ERR_FS naming the folder instead of looping (--cache-dir /proc/nope)',
    async () => {
      // a vendored layout: the failure must come from the cache, with no network involved
      const cwd = await temp('layout');
      await pushWitPackage(new LayoutBackend(join(cwd, 'oci', 'wasi', 'random')), '', '0.2.0', {
        layer: random.bytes,
      });
      await writeFile(
        join(cwd, 'wit.toml'),
        '[dependencies]\n"wasi:random" = "=0.2.0"\n\n[registries]\nwasi = { layout = "oci" }\n',
      );
      const error = await failure(run(cwd, '/proc/nope'));
      expect(error.code).toBe('ERR_FS');
      expect(error.message).toContain('/proc/nope');
      expect(error.hint).toContain('--cache-dir');
      const io = bufferIo({ cwd, env: { HOME: cwd } });
      expect(await main(['install', '--cache-dir', '/proc/nope/deeper'], io)).toBe(1);
      expect(io.err()).toContain('ERR_FS');
      expect(io.err()).toContain('/proc/nope');
    },
    FAST,
  );
});

describe('a full disk', () => {
  it(
    'reports ENOSPC while writing a downloaded layer into the cache as ERR_FS, not ERR_NETWORK',
    async () => {
      const { cwd, cache } = await project();
      disk.full = true;
      let error;
      try {
        error = await failure(run(cwd, cache));
      } finally {
        disk.full = false;
      }
      expect(error.code).toBe('ERR_FS');
      expect(error.message).toContain('ENOSPC');
      expect(error.message).toContain('wasi:random@0.2.0');
      expect(error.hint).toContain('disk is full');
      // nothing half-written stays in the cache, and the next install succeeds
      expect(await readdir(join(cache, 'blobs', 'sha256'))).toEqual([]);
      await expect(run(cwd, cache)).resolves.toMatchObject({ lockWritten: true });
    },
    FAST,
  );
});

describe('a corrupt cached layer', () => {
  async function corrupted(): Promise<{ cwd: string; cache: string; blob: string }> {
    const { cwd, cache } = await project();
    await run(cwd, cache);
    const blob = join(cache, 'blobs', 'sha256', sha256(random.bytes).slice('sha256:'.length));
    await writeFile(blob, 'not the package');
    // the folder must be printed again, so the install needs the layer's bytes
    await rm(join(cwd, 'wit', 'deps'), { recursive: true });
    return { cwd, cache, blob };
  }

  it(
    'is dropped and fetched again within the same install',
    async () => {
      const { cwd, cache, blob } = await corrupted();
      const result = await run(cwd, cache);
      expect(result.requests).toBeGreaterThan(0);
      expect(sha256(await readFile(blob))).toBe(sha256(random.bytes));
      expect(await readdir(join(cwd, 'wit', 'deps'))).toEqual(['wasi-random-0.2.0']);
    },
    FAST,
  );

  it(
    'with --offline fails with ERR_OFFLINE and a hint, and removes the corrupt entry',
    async () => {
      const { cwd, cache, blob } = await corrupted();
      const error = await failure(run(cwd, cache, { offline: true }));
      expect(error.code).toBe('ERR_OFFLINE');
      expect(error.message).toContain('corrupt');
      expect(error.hint).toContain('without `--offline`');
      await expect(readFile(blob)).rejects.toMatchObject({ code: 'ENOENT' });
      // and the next online install recovers
      await expect(run(cwd, cache)).resolves.toMatchObject({ lockWritten: false });
    },
    FAST,
  );
});
