/**
 * The tar reader on the header kinds real archives use: `git archive` (GitHub archives) writes a
 * pax global header and pax `path` records for long names, GNU tar writes `././@LongLink`
 * entries; a header with a bad checksum is refused.
 */
import { describe, expect, it } from 'vitest';
import { readWitTarball } from '../../../src/project/wit-tarball.js';
import { rawTar } from '../../support/tarballs.js';

const read = (tar: Uint8Array, prefix = '') =>
  readWitTarball(tar, { prefix, pinned: new Set(['pinned']), where: 'test' });
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const pax = (key: string, value: string): string => {
  const body = ` ${key}=${value}\n`;
  let n = body.length + 1;
  while (`${n}${body}`.length !== n) n++;
  return `${n}${body}`;
};

describe('readWitTarball', () => {
  it('skips a pax global header and takes a pax `path` record', () => {
    const long = `repo-main/wit/${'x'.repeat(120)}.wit`;
    const tar = rawTar([
      { name: 'pax_global_header', type: 'g', body: pax('comment', 'abc123') },
      { name: 'PaxHeader', type: 'x', body: pax('path', long) },
      { name: 'repo-main/wit/truncated', body: 'long' },
      { name: 'repo-main/wit/a.wit', body: 'a' },
    ]);
    const out = read(tar);
    expect([...out.files.keys()].sort()).toEqual(['a.wit', `${'x'.repeat(120)}.wit`]);
  });

  it('takes a GNU long name', () => {
    const name = `repo-main/wit/deps/io/${'y'.repeat(110)}.wit`;
    const tar = rawTar([
      { name: '././@LongLink', type: 'L', body: `${name}\0` },
      { name: 'repo-main/wit/deps/io/cut', body: 'io' },
    ]);
    expect(
      text(
        read(tar)
          .deps.get('io')
          ?.get(`${'y'.repeat(110)}.wit`),
      ),
    ).toBe('io');
  });

  it('selects as the Rust tool: root, wit/, <top>/wit/, deps hoisted unless pinned, prefix', () => {
    const tar = rawTar([
      { name: 'top.wit', body: '1' },
      { name: 'repo/wit/b.wit', body: '2' },
      { name: 'repo/wit/sub/c.wit', body: 'skipped: too deep' },
      { name: 'repo/wit/deps/pinned/p.wit', body: 'skipped: pinned' },
      { name: 'repo/wit/deps/io/e.wit', body: '3' },
      { name: 'repo/README.md', body: 'skipped: not WIT' },
      { name: 'repo/wit/.wit', body: 'skipped: no stem' },
    ]);
    const out = read(tar);
    expect([...out.files.keys()].sort()).toEqual(['b.wit', 'top.wit']);
    expect([...out.deps.keys()]).toEqual(['io']);
    expect([...read(tar, 'repo/wit/deps/io').files.keys()]).toEqual(['e.wit']);
  });

  it('refuses a header with a bad checksum', () => {
    const tar = rawTar([{ name: 'repo/wit/a.wit', body: 'a' }]);
    tar[0] = 'b'.charCodeAt(0);
    expect(() => read(tar)).toThrow(/bad checksum/);
  });
});
