/**
 * Regression: a temporary file a killed writer left in the cache is swept by the next install
 * (`Cache.sweepOrphans`, which every install runs), whichever backend wrote it. Copies from an OCI
 * layout used to name their temporary file `<hex>.<nonce>.part`, without the writer's pid, which
 * the sweep did not recognise: an install from a `layout` registry killed mid-copy left it in
 * `blobs/sha256` for ever. Every writer now names it `<name>.<pid>-<nonce>.tmp` (`fs/temp-name.ts`).
 *
 * A real process (test/support/killed-writer.ts, bundled) starts writing a blob into the cache,
 * stalls halfway, and is killed with SIGKILL there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cache, ORPHAN_AGE_MS, sha256 } from '../../src/cache/store.js';
import { LayoutBackend } from '../../src/oci/layout.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
let script: string;

async function tmp(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `wit-deps-killed-${prefix}-`));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  script = join(await tmp('script'), 'killed-writer.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, '../support/killed-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    logLevel: 'silent',
  });
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Starts the writer; resolves once it has stalled halfway, with its pid. */
async function stalledWriter(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'stalled') resolve();
    });
    child.once('exit', (code) => reject(new Error(`writer exited ${code}: ${stderr}`)));
  });
  return child;
}

/** Waits until the only file in `dir` holds `size` bytes (the stalled writer's data is on disk). */
async function settled(dir: string, size: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    // the writer may report its stall before the cache has made the folder it writes into
    const names = await readdir(dir).catch(() => [] as string[]);
    if (names.length === 1 && (await stat(join(dir, names[0]!))).size === size) return names[0]!;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no temporary file of ${size} bytes in ${dir}: ${(await readdir(dir)).join()}`);
}

/** Kills the (still running) writer with SIGKILL; resolves with the signal it died of. */
async function kill(child: ChildProcess): Promise<NodeJS.Signals | null> {
  expect(child.exitCode, 'the writer ended before it was killed').toBeNull();
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_, s) => r(s)));
  child.kill('SIGKILL');
  return exited;
}

const bytes = randomBytes(256 * 1024);
const digest = sha256(bytes);
const hex = digest.slice('sha256:'.length);

describe('a writer killed while it writes a blob into the cache', () => {
  it.each(['layout', 'download'])(
    '%s: leaves one pid-tagged temporary file, which the sweep removes once old',
    async (mode) => {
      const cacheDir = await tmp('cache');
      const layout = await tmp('layout');
      await new LayoutBackend(layout).pushBlob('', { digest, size: bytes.length }, { bytes });
      const child = await stalledWriter([mode, cacheDir, digest, String(bytes.length), layout]);
      const blobs = join(cacheDir, 'blobs', 'sha256');
      const name = await settled(blobs, bytes.length >> 1);
      expect(await kill(child)).toBe('SIGKILL');

      expect(name).toMatch(new RegExp(`^${hex}\\.${child.pid}-[0-9a-f]+\\.tmp$`));
      const cache = new Cache(cacheDir);
      // fresh, it may be a live writer of another container sharing the cache: kept
      expect(await cache.sweepOrphans()).toBe(0);
      const long = new Date(Date.now() - ORPHAN_AGE_MS - 60_000);
      await utimes(join(blobs, name), long, long);
      expect(await cache.sweepOrphans()).toBe(1);
      expect(await readdir(blobs)).toEqual([]);
    },
    30_000,
  );
});
