import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import type { OciBackend } from '../../../src/oci/backend.js';
import { MIRROR_BUFFER_BYTES, MirroredBackend, type MirrorPlan } from '../../../src/oci/mirrors.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const notFound = () => new WitDepsError('ERR_REGISTRY_NOT_FOUND', 'not here');

/** A stream that sends `first` (if given), then fails with `error`. */
function failing(error: Error, first?: string): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (first !== undefined && !sent) {
        sent = true;
        this.push(Buffer.from(first));
      } else this.destroy(error);
    },
  });
}

/** A fake backend per host: `blob` answers a blob read, `tags` a tag list; calls are logged. */
function hosts(spec: Record<string, { blob?: () => Readable; tags?: string[] }>) {
  const calls: string[] = [];
  const clientFor = (host: string): OciBackend => {
    const s = spec[host] ?? {};
    return {
      label: host,
      listTags: (repo: string) => {
        calls.push(`${host}/${repo} tags`);
        return s.tags === undefined ? Promise.reject(notFound()) : Promise.resolve(s.tags);
      },
      openBlob: (repo: string) => {
        calls.push(`${host}/${repo} blob`);
        return Promise.resolve(s.blob?.() ?? failing(notFound()));
      },
    } as unknown as OciBackend;
  };
  return { calls, clientFor };
}

const plan = (mirrors: MirrorPlan['mirrors'], blocked = false): MirrorPlan => ({
  blocked,
  origin: { host: 'origin.io', repository: 'x/pkg' },
  mirrors,
  source: 'test entry',
});

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('MirroredBackend', () => {
  it('reads a blob from the first mirror that has it; tag-only mirrors are skipped for digests', async () => {
    const { calls, clientFor } = hosts({
      'a.io': {},
      'b.io': { blob: () => Readable.from([Buffer.from('from b')]) },
      't.io': { blob: () => Readable.from([Buffer.from('from t')]) },
    });
    const backend = new MirroredBackend(
      'origin.io',
      () =>
        plan([
          { host: 't.io', repository: 'pkg', digests: false, tags: true },
          { host: 'a.io', repository: 'pkg', digests: true, tags: false },
          { host: 'b.io', repository: 'pkg', digests: true, tags: false },
        ]),
      clientFor,
    );
    expect(await text(await backend.openBlob('x/pkg', { digest: DIGEST, size: 6 }))).toBe('from b');
    expect(calls).toEqual(['a.io/pkg blob', 'b.io/pkg blob']);
  });

  it('falls back from wrong bytes of a small blob, not once a large one sent bytes', async () => {
    const { clientFor } = hosts({
      'a.io': {
        blob: () => failing(new WitDepsError('ERR_INTEGRITY_MISMATCH', 'bad bytes'), 'half'),
      },
      'origin.io': { blob: () => Readable.from([Buffer.from('good')]) },
    });
    const backend = new MirroredBackend(
      'origin.io',
      () => plan([{ host: 'a.io', repository: 'pkg', digests: true, tags: false }]),
      clientFor,
    );
    // a small blob is read whole from the mirror first: its bad bytes are never passed on
    expect(await text(await backend.openBlob('x/pkg', { digest: DIGEST, size: 4 }))).toBe('good');
    // a large one streams: after its first byte the mirror's failure is the stream's
    const large = { digest: DIGEST, size: MIRROR_BUFFER_BYTES + 1 };
    await expect(text(await backend.openBlob('x/pkg', large))).rejects.toThrow('bad bytes');
  });

  it('asks only tag-trusted mirrors for tags, then the origin', async () => {
    const { calls, clientFor } = hosts({
      'origin.io': { tags: ['1.0.0'] },
      'a.io': { tags: ['9.9.9'] },
    });
    const backend = new MirroredBackend(
      'origin.io',
      () => plan([{ host: 'a.io', repository: 'pkg', digests: true, tags: false }]),
      clientFor,
    );
    expect(await backend.listTags('x/pkg')).toEqual(['1.0.0']);
    expect(calls).toEqual(['origin.io/x/pkg tags']);
  });

  it('refuses a blocked repository before any request, reads and pushes alike', async () => {
    const { calls, clientFor } = hosts({});
    const backend = new MirroredBackend('origin.io', () => plan([], true), clientFor);
    await expect(backend.listTags('x/pkg')).rejects.toMatchObject({ code: 'ERR_REGISTRY_BLOCKED' });
    await expect(backend.pushManifest('x/pkg', 't', new Uint8Array(), 'm')).rejects.toMatchObject({
      code: 'ERR_REGISTRY_BLOCKED',
    });
    expect(calls).toEqual([]);
  });

  it('stops at once on an interrupt instead of trying the next place', async () => {
    const { calls, clientFor } = hosts({
      'a.io': {
        blob: () => failing(new WitDepsError('ERR_INTERRUPTED', 'interrupted')),
      },
    });
    const backend = new MirroredBackend(
      'origin.io',
      () => plan([{ host: 'a.io', repository: 'pkg', digests: true, tags: false }]),
      clientFor,
    );
    await expect(
      text(await backend.openBlob('x/pkg', { digest: DIGEST, size: 1 })),
    ).rejects.toMatchObject({
      code: 'ERR_INTERRUPTED',
    });
    expect(calls).toEqual(['a.io/pkg blob']);
  });
});
