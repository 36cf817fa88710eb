/**
 * The start-up path of bin/wit-deps.js (src/launcher.ts): the code cache's folder and file names,
 * and that a cache is only read from and written to a private folder, written whole (renamed into
 * place), never trusted across bundle builds, and never a failure when it cannot be written. The
 * bundle itself runs in child processes: a first run writes the cache, the next one is accepted
 * (V8's `cachedDataRejected` is false), a stale or garbage cache file is rejected, not fatal.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  STALE_MS,
  cacheFileName,
  codeCacheDir,
  commandOf,
  privateFolder,
  writeCache,
} from '../../src/launcher.js';
import { ensureBuilt, ROOT } from '../support/built-dist.js';
import { tempDirSync } from '../support/temp-project.js';

const BIN = join(ROOT, 'bin/wit-deps.js');

describe('the code cache', () => {
  it('lives in WIT_DEPS_CODE_CACHE, else a per-user folder of the temp folder; off turns it off', () => {
    expect(codeCacheDir({ WIT_DEPS_CODE_CACHE: '/x/y' })).toBe('/x/y');
    expect(codeCacheDir({ WIT_DEPS_CODE_CACHE: 'off' })).toBeUndefined();
    expect(codeCacheDir({ WIT_DEPS_CODE_CACHE: '0' })).toBeUndefined();
    expect(codeCacheDir({})).toMatch(/wit-deps-code-cache-[\w]+$/);
  });

  it('keeps one file per command, named by build, bundle size and time, Node and architecture', () => {
    expect(commandOf(['install', '--frozen'])).toBe('install');
    expect(commandOf(['--json', 'wit', 'print', 'x.wasm'])).toBe('wit-print');
    expect(commandOf(['-C', 'some-dir', 'tree'])).toBe('other');
    expect(commandOf(['oci', 'pull', 'ghcr.io/a/b:1'])).toBe('oci-pull');
    expect(commandOf(['--help'])).toBe('other');
    const name = cacheFileName('a'.repeat(64), 1000, 1700000000000, 'install');
    const stamp = `${(1000).toString(36)}-${(1700000000000).toString(36)}`;
    expect(name).toBe(
      `${'a'.repeat(32)}-${stamp}-node${process.version}-${process.arch}-install.v8`,
    );
    expect(cacheFileName('a'.repeat(64), 1001, 1700000000000, 'install')).not.toBe(name);
    expect(cacheFileName('b'.repeat(64), 1000, 1700000000000, 'install')).not.toBe(name);
  });

  it('uses only a real folder of this user that others cannot write to', () => {
    const top = tempDirSync('wit-deps-code-cache-');
    const dir = join(top, 'made');
    expect(privateFolder(dir, false)).toBe(false);
    expect(privateFolder(dir, true)).toBe(true);
    expect(readdirSync(top)).toEqual(['made']);
    const open = join(top, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(privateFolder(open, true)).toBe(false);
    symlinkSync(dir, join(top, 'link'));
    expect(privateFolder(join(top, 'link'), true)).toBe(false);
    writeFileSync(join(top, 'file'), '');
    expect(privateFolder(join(top, 'file'), true)).toBe(false);
  });

  it('writes whole files, never into a foreign folder, and removes stale files of other builds', () => {
    const top = tempDirSync('wit-deps-code-cache-');
    const dir = join(top, 'cache');
    const file = join(dir, cacheFileName('c'.repeat(64), 10, 20, 'tree'));
    writeCache(dir, file, Buffer.from('code'));
    expect(readdirSync(dir)).toEqual([file.slice(dir.length + 1)]);
    const old = join(dir, cacheFileName('d'.repeat(64), 10, 20, 'tree'));
    const recent = join(dir, cacheFileName('e'.repeat(64), 10, 20, 'tree'));
    writeFileSync(old, 'x');
    writeFileSync(recent, 'x');
    const longAgo = (Date.now() - STALE_MS - 60_000) / 1000;
    utimesSync(old, longAgo, longAgo);
    writeCache(dir, join(dir, cacheFileName('c'.repeat(64), 10, 20, 'install')), Buffer.from('x'));
    const names = readdirSync(dir);
    expect(names).toHaveLength(3);
    expect(names.some((n) => n.startsWith('d'))).toBe(false);
    // a folder others may write to gets nothing
    const open = join(top, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    writeCache(open, join(open, 'x.v8'), Buffer.from('code'));
    expect(readdirSync(open)).toEqual([]);
    // a path that cannot be a folder is no failure
    writeFileSync(join(top, 'plain'), '');
    expect(() =>
      writeCache(join(top, 'plain'), join(top, 'plain', 'x.v8'), Buffer.from('x')),
    ).not.toThrow();
  });
});

describe('the bundled CLI with its code cache', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  const wit = (cache: string, ...args: string[]): string =>
    execFileSync(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'], HOME: cache, WIT_DEPS_CODE_CACHE: cache },
      encoding: 'utf8',
    });

  it('writes the cache on a first run and runs the same from it; a bad cache file is ignored', () => {
    const cache = join(tempDirSync('wit-deps-code-cache-'), 'v8');
    const help = wit(cache, 'cache', '--help');
    const files = readdirSync(cache);
    expect(files).toEqual([expect.stringMatching(/-cache\.v8$/)]);
    const file = join(cache, files[0]!);
    const written = statSync(file).mtimeMs;
    // accepted: the same output, and the file is not written again (only a missing or rejected
    // cache is)
    expect(wit(cache, 'cache', '--help')).toBe(help);
    expect(readdirSync(cache)).toEqual(files);
    expect(statSync(file).mtimeMs).toBe(written);
    // garbage where the cache was: V8 rejects it, the run is the same and writes a good one
    writeFileSync(file, 'not a code cache');
    expect(wit(cache, 'cache', '--help')).toBe(help);
    expect(statSync(file).size).toBeGreaterThan(1000);
    expect(wit(cache, '--version')).toMatch(/^wit-deps \d+\.\d+\.\d+/);
  });

  it('runs when the cache folder cannot be written', () => {
    const top = tempDirSync('wit-deps-code-cache-');
    writeFileSync(join(top, 'plain'), '');
    expect(wit(join(top, 'plain'), 'tree', '--help')).toContain('Usage: wit-deps tree');
  });
});
