import { describe, expect, it } from 'vitest';
import { basename, dirname, join } from 'node:path';
import { parseTempName, tempName, tempSibling } from '../../../src/fs/temp-name.js';

describe('temporary file names', () => {
  it('names a temporary file `<name>.<pid>-<nonce>.tmp`, a new nonce each time', () => {
    const a = tempName('wkg.lock');
    expect(a).toMatch(new RegExp(`^wkg\\.lock\\.${process.pid}-[0-9a-f]{12}\\.tmp$`));
    expect(tempName('wkg.lock')).not.toBe(a);
  });

  it('puts a temporary sibling in the target folder', () => {
    const target = join('/cache', 'blobs', 'sha256', 'ab'.repeat(32));
    const temp = tempSibling(target);
    expect(dirname(temp)).toBe(dirname(target));
    expect(parseTempName(basename(temp))).toEqual({ target: basename(target), pid: process.pid });
  });

  it('reads back the target and pid of every name it makes', () => {
    for (const name of ['wkg.lock', 'index.json', 'package.wit', 'a.b.c', '.wit-deps-journal.json'])
      expect(parseTempName(tempName(name))).toEqual({ target: name, pid: process.pid });
  });

  it('recognises the names older versions wrote', () => {
    const hex = 'c0'.repeat(32);
    expect(parseTempName('.wkg.lock.tmp-123-abcd')).toEqual({ target: 'wkg.lock', pid: 123 });
    expect(parseTempName(`${hex}.4567-0a1b2c3d4e5f.part`)).toEqual({ target: hex, pid: 4567 });
    // an OCI layout copy or an `oci pull` of older versions wrote no pid
    expect(parseTempName(`${hex}.0a1b2c3d4e5f.part`)).toEqual({ target: hex, pid: undefined });
  });

  it('does not take ordinary names for temporary ones', () => {
    for (const name of [
      'c0'.repeat(32),
      'wkg.lock',
      'abc.json',
      'package.wit',
      'notes.tmp',
      'x.abc-0a1b2c3d.tmp', // no pid
      'x.12-0a1b.tmp', // nonce too short
      'x.0-0a1b2c3d.tmp', // pid 0 is no process
      'x.12-0a1b2c3d.tmp.wit',
      '.12-0a1b2c3d.tmp', // no target name
      'x.0a1b2c.part',
    ])
      expect(parseTempName(name), name).toBeUndefined();
  });
});
