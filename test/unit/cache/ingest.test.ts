/**
 * `Cache.ingest`, the only writer of cache blobs: what a backend hands over (a stream or bytes)
 * is stored under `blobs/sha256/<hex>` only when its size and sha256 match the expected
 * descriptor; a mismatch stores nothing and leaves no temporary file.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Cache, sha256 } from '../../../src/cache/store.js';

const bytes = new TextEncoder().encode('(wit package bytes)');
const expected = { digest: sha256(bytes), size: bytes.byteLength };
const roots: string[] = [];

afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function fresh(): Promise<Cache> {
  const root = await mkdtemp(join(tmpdir(), 'wit-deps-ingest-'));
  roots.push(root);
  return new Cache(root);
}

/** A stream of `chunks`, as a backend hands it over. */
function streamOf(...chunks: Uint8Array[]): Readable {
  return Readable.from(chunks.map((c) => Buffer.from(c)));
}

describe('Cache.ingest', () => {
  it('stores a stream under its digest, read back verified', async () => {
    const cache = await fresh();
    await cache.ingest(expected, streamOf(bytes.subarray(0, 5), bytes.subarray(5)));
    expect(await readdir(join(cache.root, 'blobs', 'sha256'))).toEqual([
      expected.digest.slice('sha256:'.length),
    ]);
    const found = await cache.load(expected.digest);
    expect(found.state).toBe('ok');
  });

  it('stores bytes the same way', async () => {
    const cache = await fresh();
    await cache.ingest(expected, bytes);
    expect(Buffer.from((await cache.read(expected.digest))!).equals(Buffer.from(bytes))).toBe(true);
  });

  it.each([
    ['other bytes of the same size', new TextEncoder().encode('(wit package BYTES)')],
    ['too few bytes', bytes.subarray(1)],
    ['too many bytes', new Uint8Array([...bytes, 0])],
  ])('stores nothing and leaves no temp file for %s', async (_what, wrong) => {
    const cache = await fresh();
    await expect(cache.ingest(expected, streamOf(wrong), 'the layer')).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
      message: expect.stringMatching(/^the layer /) as unknown,
    });
    expect(await readdir(join(cache.root, 'blobs', 'sha256'))).toEqual([]);
    expect(await cache.has(expected.digest)).toBe(false);
  });

  it('passes a failure of the source through and leaves no temp file', async () => {
    const cache = await fresh();
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(cache.ingest(expected, failing)).rejects.toThrow('connection reset');
    expect(await readdir(join(cache.root, 'blobs', 'sha256'))).toEqual([]);
  });

  it('refuses a digest that is not sha256 before writing anything', async () => {
    const cache = await fresh();
    await expect(cache.ingest({ digest: 'md5:abc', size: 3 }, bytes)).rejects.toMatchObject({
      code: 'ERR_INTEGRITY_MISMATCH',
    });
    expect(await readdir(cache.root)).toEqual([]);
  });

  it('releases the source when the cache folder cannot be made', async () => {
    const cache = await fresh();
    await writeFile(join(cache.root, 'blobs'), 'a file where the folder should be');
    const source = streamOf(bytes);
    await expect(cache.ingest(expected, source)).rejects.toMatchObject({ code: 'ERR_FS' });
    expect(source.destroyed).toBe(true);
  });
});
