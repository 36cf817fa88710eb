/**
 * Attack class: a hostile OCI image layout (`[registries] wasi = { layout = "vendor/oci" }`, a
 * vendored folder edited in a pull request). The layout is no more trusted than a registry: a
 * manifest announced as 2^53-1 bytes whose blob is a symlink to /dev/zero, an `index.json` or a
 * blob that is a FIFO, a blob that is a symlink out of the layout, or an oversized `index.json`
 * must fail fast with a typed error (ERR_LIMIT_EXCEEDED, ERR_LAYOUT_INVALID), never hang or grow
 * without bound. Every test has a short timeout, so a hang fails it.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { LayoutBackend, pushWitPackage } from '../../src/oci/index.js';
import { wasiFixtures } from '../support/wasi-publish.js';
import { tempDir } from '../support/temp-project.js';

const FAST = 10_000;
/** 2^53 - 1: the largest size a descriptor may carry (2^53 itself is not a safe integer). */
const HUGE = Number.MAX_SAFE_INTEGER;

interface Vendored {
  cwd: string;
  layout: string;
  manifestDigest: string;
  layerDigest: string;
  configDigest: string;
}

/** A project installing `wasi:random@0.2.0` from a vendored layout `vendor/oci/wasi/random`. */
async function vendored(): Promise<Vendored> {
  const cwd = await tempDir('wit-deps-sec-layout-');
  const random = wasiFixtures().find((f) => f.name === 'wasi:random' && f.version === '0.2.0')!;
  const layout = join(cwd, 'vendor', 'oci', 'wasi', 'random');
  const pushed = await pushWitPackage(new LayoutBackend(layout), '', '0.2.0', {
    layer: random.bytes,
    created: '2024-01-01T00:00:00Z',
  });
  const manifest = JSON.parse(await readFile(blob(layout, pushed.manifestDigest), 'utf8')) as {
    config: { digest: string };
  };
  await writeFile(
    join(cwd, 'wit.toml'),
    '[dependencies]\n"wasi:random" = "=0.2.0"\n\n[registries]\nwasi = { layout = "vendor/oci" }\n',
  );
  return {
    cwd,
    layout,
    manifestDigest: pushed.manifestDigest,
    layerDigest: pushed.layerDigest,
    configDigest: manifest.config.digest,
  };
}

function blob(layout: string, digest: string): string {
  return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

/** Replaces a file by a FIFO nobody writes to (opening it for reading blocks forever). */
async function fifo(path: string): Promise<void> {
  await rm(path);
  execFileSync('mkfifo', [path]);
}

/** What `promise` rejects with (as code and message); fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  const error = await promise.then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e as { code?: unknown; message?: unknown },
  );
  return { code: error.code, message: String(error.message) };
}

function run(cwd: string) {
  return install({ cwd, env: { HOME: cwd }, cacheDir: join(cwd, 'cache'), offline: false });
}

describe('OCI layout limits', () => {
  it(
    'refuses a manifest announced as 2^53-1 bytes (a symlink to /dev/zero) before reading it',
    async () => {
      const v = await vendored();
      const indexPath = join(v.layout, 'index.json');
      const index = JSON.parse(await readFile(indexPath, 'utf8')) as {
        manifests: { size: number }[];
      };
      index.manifests[0]!.size = HUGE;
      await writeFile(indexPath, JSON.stringify(index));
      await rm(blob(v.layout, v.manifestDigest));
      await symlink('/dev/zero', blob(v.layout, v.manifestDigest));
      await expect(run(v.cwd)).rejects.toMatchObject({
        code: 'ERR_LIMIT_EXCEEDED',
        details: { size: HUGE, limit: 4 * 1024 * 1024 },
      });
    },
    FAST,
  );

  it(
    'refuses a config blob announced as 2^53-1 bytes before reading it',
    async () => {
      const v = await vendored();
      await rm(blob(v.layout, v.configDigest));
      await symlink('/dev/zero', blob(v.layout, v.configDigest));
      const layout = new LayoutBackend(v.layout);
      await expect(
        layout.fetchBlobBytes('', { digest: v.configDigest, size: HUGE }),
      ).rejects.toMatchObject({
        code: 'ERR_LIMIT_EXCEEDED',
        details: { size: HUGE, limit: 64 * 1024 * 1024 },
      });
    },
    FAST,
  );

  it(
    'refuses an index.json that is a FIFO instead of blocking on it',
    async () => {
      const v = await vendored();
      await fifo(join(v.layout, 'index.json'));
      const error = await failure(run(v.cwd));
      expect(error.code).toBe('ERR_LAYOUT_INVALID');
      expect(error.message).toContain('is not a regular file');
    },
    FAST,
  );

  it(
    'refuses an index.json larger than a manifest may be (4 MiB)',
    async () => {
      const v = await vendored();
      const indexPath = join(v.layout, 'index.json');
      const text = await readFile(indexPath, 'utf8');
      await writeFile(indexPath, text + ' '.repeat(4 * 1024 * 1024));
      await expect(run(v.cwd)).rejects.toMatchObject({ code: 'ERR_LIMIT_EXCEEDED' });
    },
    FAST,
  );

  it(
    'refuses a wasm layer that is a FIFO instead of blocking on it',
    async () => {
      const v = await vendored();
      await fifo(blob(v.layout, v.layerDigest));
      const error = await failure(run(v.cwd));
      expect(error.code).toBe('ERR_LAYOUT_INVALID');
      expect(error.message).toContain('is not a regular file');
    },
    FAST,
  );

  it(
    'refuses a layer that is a symlink out of the layout, even with the right bytes',
    async () => {
      const v = await vendored();
      const outside = join(v.cwd, 'outside.wasm');
      await writeFile(outside, await readFile(blob(v.layout, v.layerDigest)));
      await rm(blob(v.layout, v.layerDigest));
      await symlink(outside, blob(v.layout, v.layerDigest));
      const error = await failure(run(v.cwd));
      expect(error.code).toBe('ERR_LAYOUT_INVALID');
      expect(error.message).toContain('resolves outside');
    },
    FAST,
  );

  it(
    'still installs from an intact layout',
    async () => {
      const v = await vendored();
      await expect(run(v.cwd)).resolves.toMatchObject({ lockWritten: true });
    },
    FAST,
  );
});
