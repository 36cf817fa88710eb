/**
 * The bounded binary reader: LEB128 edge cases (including the signed s33 value-type index, where
 * 64 is `c0 00`), strings (and the table of short names already read), and the typed errors with offsets for truncated or oversized input.
 */
import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { DEFAULT_DECODE_LIMITS, Reader } from '../../../src/wit/binary/reader.js';

const reader = (bytes: number[], limits = {}): Reader =>
  new Reader(Uint8Array.from(bytes), { ...DEFAULT_DECODE_LIMITS, ...limits });

function failure(fn: () => unknown): WitDepsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof WitDepsError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('Reader', () => {
  it('reads unsigned LEB128 u32 up to 2^32-1', () => {
    expect(reader([0x00]).u32()).toBe(0);
    expect(reader([0xe5, 0x8e, 0x26]).u32()).toBe(624485);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x0f]).u32()).toBe(0xffffffff);
    expect(failure(() => reader([0xff, 0xff, 0xff, 0xff, 0x1f]).u32('a count')).message).toBe(
      'expected a count, found an integer that is too large at byte 0',
    );
  });

  it('reads s33 indices and primitive codes as negative numbers', () => {
    expect(reader([0x3f]).s33()).toBe(63);
    expect(reader([0xc0, 0x00]).s33()).toBe(64);
    expect(reader([0x40]).s33()).toBe(-64);
    expect(reader([0x7f]).s33()).toBe(-1);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0x0f]).s33()).toBe(2 ** 32 - 1);
    expect(reader([0x80, 0x80, 0x80, 0x80, 0x70]).s33()).toBe(-(2 ** 32));
    expect(failure(() => reader([0x80, 0x80, 0x80, 0x80, 0x20]).s33()).code).toBe('ERR_WIT_DECODE');
  });

  it('reads strings, validating UTF-8, with the offset of a failure', () => {
    expect(reader([3, 0x61, 0x2d, 0x62]).string()).toBe('a-b');
    expect(reader([2, 0xc3, 0xa9]).string()).toBe('é');
    expect(failure(() => reader([1, 2, 3]).sub(4, 'a section')).message).toBe(
      'unexpected end of input, expected a section of 4 bytes but 3 remain at byte 0',
    );
    const r = reader([0x00, 2, 0xc3, 0x28]);
    r.u8();
    expect(failure(() => r.string('a name')).message).toBe('invalid UTF-8 in a name at byte 1');
    expect(failure(() => reader([5, 0x61]).string('a name')).details).toEqual({
      kind: 'binary-malformed',
      offset: 0,
      problem: 'unexpected end of input, expected a name of 5 bytes',
    });
  });

  it('reads every repeated or colliding short name as its own bytes, across sub-readers', () => {
    // Names that land in one slot of the table of names read so far, found by the same hash.
    const slot = (name: string): number => {
      let hash = name.length;
      for (const c of name) hash = (Math.imul(hash, 31) + c.charCodeAt(0)) | 0;
      return hash & 1023;
    };
    const names = Array.from({ length: 4000 }, (_, i) => `n${i}`);
    const [a, b] = names.filter((n) => slot(n) === slot('self')) as [string, string];
    expect(b).toBeDefined();
    const order = ['self', a, 'self', b, a, 'é', 'self', '', b];
    const bytes = order.flatMap((n) => {
      const utf8 = [...new TextEncoder().encode(n)];
      return [utf8.length, ...utf8];
    });
    const r = reader([...bytes, ...bytes]);
    expect(order.map(() => r.string())).toEqual(order);
    const sub = r.sub(bytes.length, 'names');
    expect(order.map(() => sub.string())).toEqual(order);
    // same bytes, other case: not the same name
    expect(reader([4, 0x53, 0x65, 0x6c, 0x66, 4, 0x73, 0x65, 0x6c, 0x66]).string()).toBe('Self');
  });

  it('refuses vector lengths beyond the limit or the bytes left', () => {
    expect(failure(() => reader([0x90, 0x4e], { maxVecLength: 10 }).count('fields')).code).toBe(
      'ERR_LIMIT_EXCEEDED',
    );
    expect(failure(() => reader([5, 1, 2]).count('fields')).message).toBe(
      'fields has 5 elements but only 2 bytes remain at byte 0',
    );
  });
});
