/**
 * `DecodedStore`: each registry layer is read and decoded once per command, whoever asks
 * (resolution, path checks, the write phase), and every request checks that the layer holds the
 * package asked for, also when it was decoded before under another name.
 */
import { describe, expect, it } from 'vitest';
import { DecodedStore } from '../../../../src/app/source/decoded-store.js';
import { sha256 } from '../../../../src/cache/store.js';
import { wasiFixtures } from '../../../support/wasi-publish.js';

const random = wasiFixtures().find((f) => f.name === 'wasi:random' && f.version === '0.2.0')!;
const digest = sha256(random.bytes);
const id = 'wasi:random@0.2.0';

/** A store whose reader counts its reads. */
function counted(read: () => Promise<Uint8Array> = () => Promise.resolve(random.bytes)) {
  const reads: string[] = [];
  const store = new DecodedStore((what) => {
    reads.push(what);
    return read();
  });
  return { store, reads };
}

describe('DecodedStore', () => {
  it('reads and decodes a layer once for concurrent and later requests', async () => {
    const { store, reads } = counted();
    const [a, b] = await Promise.all([store.get(id, digest), store.get(id, digest)]);
    const c = await store.get(id, digest);
    expect(reads).toEqual([id]);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it('uses bytes already read instead of the reader', async () => {
    const { store, reads } = counted();
    await store.get(id, digest, random.bytes);
    await store.get(id, digest);
    expect(reads).toEqual([]);
  });

  it('refuses a known layer asked for under another package name', async () => {
    const { store } = counted();
    await store.get(id, digest);
    await expect(store.get('evil:pkg@6.6.6', digest)).rejects.toMatchObject({
      code: 'ERR_ARTIFACT_MISMATCH',
      message: expect.stringContaining('holds the package `wasi:random@0.2.0`') as unknown,
    });
  });

  it('does not remember a failed read: the next request reads again', async () => {
    let fail = true;
    const { store, reads } = counted(() =>
      fail ? Promise.reject(new Error('corrupt')) : Promise.resolve(random.bytes),
    );
    await expect(store.get(id, digest)).rejects.toThrow('corrupt');
    fail = false;
    await expect(store.get(id, digest)).resolves.toBeDefined();
    expect(reads).toEqual([id, id]);
  });
});
