/**
 * The README's main job, offline: `wit-deps install` in examples/http-app reads the bundled OCI
 * layouts in fixtures/wasi-oci and writes the lock that `wkg.lock.example` holds. Also checks the
 * bundled layouts are exactly what `buildWasiLayout` makes from the encoded WASI binaries
 * (`WIT_DEPS_UPDATE_FIXTURES=1` rewrites them and wkg.lock.example).
 */
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildWasiLayout } from '../support/wasi-layout.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

const ROOT = join(import.meta.dirname, '../..');
const LAYOUT = join(ROOT, 'fixtures/wasi-oci');
const UPDATE = process.env['WIT_DEPS_UPDATE_FIXTURES'] === '1';

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out[relative(dir, p)] = (await readFile(p)).toString('base64');
    }
  };
  await walk(dir);
  return out;
}

describe('bundled example', () => {
  it('teaches committing wkg.lock: its .gitignore ignores wit/deps only', async () => {
    const ignored = (await readFile(join(ROOT, 'examples/http-app/.gitignore'), 'utf8'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).toEqual(['wit/deps/']);
  });

  it('fixtures/wasi-oci is what the builder makes from the encoded WASI binaries', async () => {
    const fresh = await tempDir('wit-deps-layout-');
    const ids = await buildWasiLayout(fresh);
    expect(ids.length).toBe(20);
    if (UPDATE) {
      await rm(LAYOUT, { recursive: true, force: true });
      await cp(fresh, LAYOUT, { recursive: true });
    }
    expect(await tree(LAYOUT)).toEqual(await tree(fresh));
  });

  it('installs examples/http-app offline and writes the lock of wkg.lock.example', async () => {
    const cwd = await exampleProject({ prefix: 'wit-deps-example-' });
    const cache = await tempDir('wit-deps-example-cache-');
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache } });
    expect(await main(['install'], io)).toBe(0);
    expect(io.out()).toMatch(/^7 packages installed, 7 written, wkg.lock updated, 0 requests/);
    expect((await readdir(join(cwd, 'wit', 'deps'))).sort()).toEqual(
      ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'].map(
        (p) => `wasi-${p}-0.2.3`,
      ),
    );
    const again = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache } });
    expect(await main(['install'], again)).toBe(0);
    expect(again.out()).toMatch(/^up to date: 7 packages, 0 requests, [\d.]+ s\n$/);
    const lock = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    if (UPDATE) await writeFile(join(ROOT, 'wkg.lock.example'), lock);
    expect(lock).toBe(await readFile(join(ROOT, 'wkg.lock.example'), 'utf8'));
  });
});
