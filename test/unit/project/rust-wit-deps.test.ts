/**
 * The Rust wit-deps tool's formats, against files that tool wrote (fixtures/rust-wit-deps, see
 * its PROVENANCE.md): our deterministic tar of each installed folder hashes to the digests of its
 * deps.lock, and our lock writer reproduces each deps.lock byte for byte.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parseDepsLock,
  parseDepsManifest,
  serializeDepsLock,
} from '../../../src/project/deps-toml.js';
import { witTar } from '../../../src/project/wit-tar.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/rust-wit-deps', import.meta.url));
const EXAMPLES = ['http', 'github'];

function folderDigests(dir: string): { sha256: string; sha512: string } {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.wit'))
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
  const tar = witTar(files);
  return {
    sha256: createHash('sha256').update(tar).digest('hex'),
    sha512: createHash('sha512').update(tar).digest('hex'),
  };
}

describe.each(EXAMPLES)('the Rust tool example `%s`', (example) => {
  const wit = join(FIXTURES, example, 'wit');
  const lockText = readFileSync(join(wit, 'deps.lock'), 'utf8');

  it('writes its deps.lock back byte for byte', () => {
    expect(serializeDepsLock(parseDepsLock(lockText))).toBe(lockText);
  });

  it('hashes every installed folder to the digests of its deps.lock', () => {
    const lock = parseDepsLock(lockText);
    expect(lock.size).toBeGreaterThan(5);
    for (const [id, entry] of lock) {
      expect(folderDigests(join(wit, 'deps', id)), id).toEqual({
        sha256: entry.sha256,
        sha512: entry.sha512,
      });
    }
  });

  it('parses its deps.toml', () => {
    const manifest = parseDepsManifest(readFileSync(join(wit, 'deps.toml'), 'utf8'));
    for (const [id, entry] of manifest) {
      expect(entry.kind, id).toBe('url');
      const locked = parseDepsLock(lockText).get(id)?.source;
      expect(locked, id).toMatchObject({ kind: 'url' });
      if (entry.kind === 'url')
        expect(locked).toMatchObject({ url: entry.url, prefix: entry.prefix });
    }
  });
});

describe('deps.toml entries', () => {
  it('takes a URL string as a URL and anything else as a path', () => {
    const m = parseDepsManifest(
      'a = "https://example.com/a.tar.gz"\nb = "../b"\nc = { path = "/abs/c" }\n' +
        'd = { url = "http://127.0.0.1/d.tgz", prefix = "d-1/wit", sha256 = "' +
        'AB'.repeat(32) +
        '" }\n',
    );
    expect(m.get('a')).toEqual({ kind: 'url', url: 'https://example.com/a.tar.gz', prefix: '' });
    expect(m.get('b')).toEqual({ kind: 'path', path: '../b' });
    expect(m.get('c')).toEqual({ kind: 'path', path: '/abs/c' });
    expect(m.get('d')).toEqual({
      kind: 'url',
      url: 'http://127.0.0.1/d.tgz',
      prefix: 'd-1/wit',
      sha256: 'ab'.repeat(32),
    });
  });

  it.each([
    ['a = { path = "x", sha256 = "' + '0'.repeat(64) + '" }', /not supported with `path`/],
    ['a = { subdir = "wit", url = "https://e.com/a" }', /unknown key `subdir`/],
    ['a = { sha256 = "' + '0'.repeat(64) + '" }', /either `url` or `path`/],
    ['a = { url = "https://e.com/a", sha512 = "00" }', /128 hex digits/],
    ['".." = "https://e.com/a"', /not a folder name/],
    ['"a/b" = "../x"', /not a folder name/],
  ])('refuses %s', (text, message) => {
    expect(() => parseDepsManifest(text)).toThrow(message);
  });

  it('writes an empty lock as an empty file, and quotes keys that are not bare', () => {
    expect(serializeDepsLock(new Map())).toBe('');
    const text = serializeDepsLock(
      new Map([['a.b', { sha256: '0'.repeat(64), sha512: '1'.repeat(128), deps: [] }]]),
    );
    expect(text.split('\n')[0]).toBe('["a.b"]');
    expect(parseDepsLock(text).get('a.b')?.sha256).toBe('0'.repeat(64));
  });
});
