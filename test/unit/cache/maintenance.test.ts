import { readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAge } from '../../../src/app/cache-commands.js';
import { cleanCache, listCache, verifyCache } from '../../../src/cache/maintenance.js';
import { Cache, ORPHAN_AGE_MS, sha256 } from '../../../src/cache/store.js';
import { main } from '../../../src/cli/main.js';
import { bufferIo } from '../../../src/cli/io.js';
import { tempDir } from '../../support/temp-project.js';

const DAY = 86_400_000;
const enc = (s: string) => new TextEncoder().encode(s);

/** A cache with two blobs (one recorded as `wasi:io@0.2.0`), a tag list and a facts record. */
async function filled(): Promise<{ cache: Cache; a: string; b: string }> {
  const cache = new Cache(await tempDir('wit-deps-cache-'));
  const a = await cache.write(enc('blob a'));
  const b = await cache.write(enc('blob b, longer'));
  await cache.writeTags('127.0.0.1:5000/wasi/io', ['0.2.0']);
  await cache.writeFacts('wasi:io@0.2.0', a, []);
  return { cache, a, b };
}

async function age(path: string, ms: number): Promise<void> {
  const when = new Date(Date.now() - ms);
  await utimes(path, when, when);
}

describe('cache ls', () => {
  it('lists blobs with size and known package, and counts records', async () => {
    const { cache, a, b } = await filled();
    const list = await listCache(cache);
    expect(list.blobs.map((x) => [x.digest, x.size, x.packages]).sort()).toEqual(
      [
        [a, 6, ['wasi:io@0.2.0']],
        [b, 14, []],
      ].sort(),
    );
    expect(list.records).toEqual({ tags: 1, discovery: 0, facts: 1, checks: 0 });
    expect(list.bytes).toBeGreaterThan(20);
  });

  it('never lists a temporary file as a blob', async () => {
    const { cache, a } = await filled();
    await writeFile(`${cache.blobPath(a)}.99999-0123abcd.tmp`, 'partial');
    expect((await listCache(cache)).blobs).toHaveLength(2);
  });
});

describe('cache verify', () => {
  it('re-hashes every blob and removes the one whose bytes changed', async () => {
    const { cache, a, b } = await filled();
    await writeFile(cache.blobPath(b), 'flipped');
    const result = await verifyCache(cache);
    expect(result.checked).toBe(2);
    expect(result.removed).toEqual([
      { digest: b, reason: `it has digest \`${sha256(enc('flipped'))}\`` },
    ]);
    expect(await cache.has(b)).toBe(false);
    expect(await cache.has(a)).toBe(true);
  });

  it('removes the temporary files of dead writers past their age', async () => {
    const { cache, a } = await filled();
    const orphan = `${cache.blobPath(a)}.999999999-0123abcd.tmp`;
    await writeFile(orphan, 'partial');
    await age(orphan, ORPHAN_AGE_MS + 60_000);
    expect((await verifyCache(cache)).orphans).toBe(1);
  });
});

describe('cache clean', () => {
  it('--older-than removes only entries not used for that long', async () => {
    const { cache, a, b } = await filled();
    await age(cache.blobPath(a), 40 * DAY);
    await age(cache.blobPath(b), 40 * DAY);
    // reading a blob marks it used
    expect(await cache.read(b)).toBeDefined();
    const result = await cleanCache(cache, parseAge('30d'));
    expect(result).toMatchObject({ blobs: 1, records: 0, bytes: 6 });
    expect(await cache.has(a)).toBe(false);
    expect(await cache.has(b)).toBe(true);
  });

  it('without --older-than removes every blob and record, and leaves live temporary files', async () => {
    const { cache, a } = await filled();
    const live = `${cache.blobPath(a)}.${process.pid}-0123abcd.tmp`;
    await writeFile(live, 'downloading');
    expect(await cleanCache(cache, undefined)).toMatchObject({ blobs: 2, records: 2 });
    expect(await readdir(join(cache.root, 'blobs', 'sha256'))).toEqual([live.split('/').pop()]);
    expect((await stat(live)).isFile()).toBe(true);
  });

  it('parses ages and refuses others as usage errors', () => {
    expect(parseAge('30d')).toBe(30 * DAY);
    expect(parseAge('12h')).toBe(12 * 3_600_000);
    expect(parseAge('2w')).toBe(14 * DAY);
    expect(() => parseAge('30 days')).toThrow(
      expect.objectContaining({ code: 'ERR_USAGE', exitCode: 2 }) as Error,
    );
  });
});

describe('wit-deps cache (CLI)', () => {
  it('dir prints the folder; ls, verify and clean under --json', async () => {
    const { cache, a } = await filled();
    const run = async (...args: string[]) => {
      const io = bufferIo({ cwd: cache.root, env: { WIT_DEPS_CACHE_DIR: cache.root } });
      const code = await main(args, io);
      return { code, out: io.out() };
    };
    expect(await run('cache', 'dir')).toEqual({ code: 0, out: `${cache.root}\n` });
    const ls = JSON.parse((await run('--json', 'cache', 'ls')).out) as {
      blobs: { digest: string }[];
    };
    expect(ls.blobs.map((x) => x.digest)).toContain(a);
    const verified = JSON.parse((await run('--json', 'cache', 'verify')).out) as {
      checked: number;
    };
    expect(verified.checked).toBe(2);
    expect((await run('cache', 'clean', '--older-than', 'soon')).code).toBe(2);
    const cleaned = await run('cache', 'clean');
    expect(cleaned.code).toBe(0);
    expect(cleaned.out).toMatch(/^removed 2 blobs and 2 records/);
    expect(await cache.has(a)).toBe(false);
  });
});
