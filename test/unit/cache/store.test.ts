import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir } from '../../../src/cache/location.js';
import { Cache, ORPHAN_AGE_MS, sha256 } from '../../../src/cache/store.js';
import { tempDir } from '../../support/temp-project.js';

const bytes = new TextEncoder().encode('(wit package bytes)');

async function fresh(): Promise<Cache> {
  return new Cache(await tempDir('wit-deps-cache-'));
}

describe('Cache', () => {
  it('sweeps temporary files of dead writers and keeps live ones and entries', async () => {
    const cache = await fresh();
    const digest = await cache.write(bytes);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    const dead = child.pid!;
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const blobs = join(cache.root, 'blobs', 'sha256');
    const hex = digest.slice(7);
    // this version's name, then the names older versions wrote (the last one without a pid)
    const orphans = [
      `${hex}.${dead}-0a1b2c3d.tmp`,
      `${hex}.${dead}-0a1b2c.part`,
      `.${hex}.tmp-${dead}-0a1b2c`,
      `${hex}.0a1b2c3d4e5f.part`,
    ];
    const live = [`${hex}.${process.pid}-0a1b2c3d.tmp`, `${hex}.${process.ppid}-0a1b2c3d.tmp`];
    // a dead pid with a fresh file may be a live writer in another container or host
    const recent = [`${hex}.${dead}-0d0e0f10.tmp`, `${hex}.0d0e0f101112.part`];
    for (const name of [...orphans, ...live, ...recent])
      await writeFile(join(blobs, name), 'partial');
    await mkdir(join(cache.root, 'tags'));
    const tags = [`x.json.${dead}-ffffffff.tmp`, `.y.json.tmp-${dead}-ff`];
    for (const name of tags) await writeFile(join(cache.root, 'tags', name), '{');
    const long = new Date(Date.now() - ORPHAN_AGE_MS - 60_000);
    for (const name of [...orphans, ...live]) await utimes(join(blobs, name), long, long);
    for (const name of tags) await utimes(join(cache.root, 'tags', name), long, long);
    expect(await cache.sweepOrphans()).toBe(6);
    expect((await readdir(blobs)).sort()).toEqual([hex, ...live, ...recent].sort());
    expect(await readdir(join(cache.root, 'tags'))).toEqual([]);
  });

  it('skips an orphan it cannot remove instead of failing', async () => {
    const cache = await fresh();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    const dead = child.pid!;
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const blobs = join(cache.root, 'blobs', 'sha256');
    const stuck = join(blobs, `${'a'.repeat(64)}.${dead}-0a0b0c0d.tmp`);
    await mkdir(join(stuck, 'inside'), { recursive: true }); // rm without recursive fails
    await expect(cache.sweepOrphans(Date.now() + 2 * ORPHAN_AGE_MS)).resolves.toBe(0);
    expect(await readdir(blobs)).toEqual([`${'a'.repeat(64)}.${dead}-0a0b0c0d.tmp`]);
  });

  it('stores blobs under blobs/sha256/<hex> and reads them back verified', async () => {
    const cache = await fresh();
    const digest = await cache.write(bytes);
    expect(digest).toBe(sha256(bytes));
    expect(cache.blobPath(digest)).toBe(join(cache.root, 'blobs', 'sha256', digest.slice(7)));
    expect(await cache.has(digest)).toBe(true);
    expect(Buffer.from((await cache.read(digest))!).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses bytes that do not match the expected digest and leaves no file', async () => {
    const cache = await fresh();
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(cache.write(bytes, wrong)).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
    });
    expect(await cache.has(wrong)).toBe(false);
    await expect(readdir(join(cache.root, 'blobs'))).rejects.toThrow();
  });

  it('deletes and misses a blob corrupted on disk', async () => {
    const cache = await fresh();
    const digest = await cache.write(bytes);
    await writeFile(cache.blobPath(digest), 'tampered');
    expect(await cache.read(digest)).toBeUndefined();
    expect(await cache.has(digest)).toBe(false);
  });

  it('leaves no temporary files after writes', async () => {
    const cache = await fresh();
    await Promise.all([cache.write(bytes), cache.write(bytes), cache.write(bytes)]);
    expect(await readdir(join(cache.root, 'blobs', 'sha256'))).toEqual([sha256(bytes).slice(7)]);
  });

  it('keeps tag lists and discovery answers for a limited time', async () => {
    const cache = await fresh();
    await cache.writeTags('127.0.0.1:5000/wasi/http', ['0.2.0', '0.2.3'], 1_000);
    expect(await cache.readTags('127.0.0.1:5000/wasi/http', 500, 1_400)).toEqual([
      '0.2.0',
      '0.2.3',
    ]);
    expect(await cache.readTags('127.0.0.1:5000/wasi/http', 500, 1_600)).toBeUndefined();
    expect(await cache.readTags('127.0.0.1:5000/wasi/io', 500, 1_400)).toBeUndefined();
    await cache.writeDiscovery('wasi.dev', null, 0);
    expect(await cache.readDiscovery('wasi.dev', 10, 5)).toBeNull();
    const file = (await readdir(join(cache.root, 'tags')))[0]!;
    expect(JSON.parse(await readFile(join(cache.root, 'tags', file), 'utf8'))).toMatchObject({
      key: '127.0.0.1:5000/wasi/http',
    });
  });
});

describe('cacheDir', () => {
  it('follows flag, WIT_DEPS_CACHE_DIR, XDG_CACHE_HOME, then HOME', () => {
    expect(cacheDir({ WIT_DEPS_CACHE_DIR: '/e' }, '/flag')).toBe('/flag');
    expect(cacheDir({ WIT_DEPS_CACHE_DIR: '/e', XDG_CACHE_HOME: '/x' })).toBe('/e');
    expect(cacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/wit-deps');
    expect(cacheDir({ HOME: '/h' })).toBe('/h/.cache/wit-deps');
  });
});
