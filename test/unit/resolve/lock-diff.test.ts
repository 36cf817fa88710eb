import { describe, expect, it } from 'vitest';
import { describeLockChange, lockChanges } from '../../../src/resolve/lock-diff.js';
import type { Lock } from '../../../src/resolve/lock.js';

const D = `sha256:${'a'.repeat(64)}`;
const lock = (entries: [string, string, string][]): Lock => ({
  version: 1,
  packages: entries.map(([name, requirement, version]) => ({
    name,
    registry: 'wasi.dev',
    versions: [{ requirement, version, digest: D }],
  })),
});

describe('lockChanges', () => {
  it('lists moved, new, removed packages and requirement-only changes', () => {
    const before = lock([
      ['wasi:cli', '^0.2', '0.2.0'],
      ['wasi:io', '=0.2.0', '0.2.0'],
      ['wasi:random', '^0.2.0', '0.2.3'],
    ]);
    const after = lock([
      ['wasi:clocks', '=0.2.3', '0.2.3'],
      ['wasi:io', '=0.2.0', '0.2.3'],
      ['wasi:random', '=0.2.3', '0.2.3'],
    ]);
    expect(lockChanges(before, after).map(describeLockChange)).toEqual([
      'wasi:cli 0.2.0 (removed)',
      'wasi:clocks (new) 0.2.3',
      'wasi:io 0.2.0 -> 0.2.3',
      'wasi:random requirement ^0.2.0 -> =0.2.3',
    ]);
    expect(lockChanges(after, after)).toEqual([]);
  });
});
