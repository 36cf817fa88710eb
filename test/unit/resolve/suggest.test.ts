import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../../src/resolve/suggest.js';

describe('closestNames', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('wasi:htpp', 'wasi:http', 2)).toBe(1);
    expect(editDistance('wasi:io', 'wasi:cli', 2)).toBe(3);
  });

  it('suggests near names only, closest first', () => {
    const known = ['wasi:http', 'wasi:io', 'wasi:cli', 'wasi:clocks', 'wasi:sockets'];
    expect(closestNames('wasi:htpp', known)).toEqual(['wasi:http']);
    expect(closestNames('wasi:clock', known)).toEqual(['wasi:clocks']);
    expect(closestNames('wasi:socket', known)).toEqual(['wasi:sockets']);
    expect(closestNames('acme:billing', known)).toEqual([]);
    expect(closestNames('wasi:http', known)).toEqual([]);
  });
});
