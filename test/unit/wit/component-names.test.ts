/**
 * The top-level import and export names of real components (made by wasm-tools through jco, see
 * fixtures/components/README.md) are exactly what `wasm-tools component wit` prints for them;
 * core modules and other files are told apart; a malformed import section is an error with an
 * offset, never a hang or a wrong list.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { componentNames } from '../../../src/wit/decode/component-names.js';

const DIR = new URL('../../../fixtures/components/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', DIR), 'utf8')) as {
  components: Record<string, { imports: string[]; exports: string[] }>;
};

describe('componentNames', () => {
  for (const [file, want] of Object.entries(expected.components)) {
    it(`lists the imports and exports jco reports for ${file}`, () => {
      const got = componentNames(readFileSync(new URL(file, DIR)));
      expect(got).toEqual({ kind: 'component', imports: want.imports, exports: want.exports });
    });
  }

  it('tells a core module and a non-Wasm file apart from a component', () => {
    expect(componentNames(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0))).toEqual({
      kind: 'module',
    });
    expect(componentNames(new TextEncoder().encode('not wasm at all'))).toEqual({ kind: 'other' });
  });

  it('a WIT package (a component of types) exports its short names and imports nothing', () => {
    const wit = readFileSync(new URL('../oci/wasi-http-0.2.0.wasm', DIR));
    const got = componentNames(wit);
    expect(got.kind).toBe('component');
    if (got.kind === 'component') expect(got.imports).toEqual([]);
  });

  it('fails with ERR_WIT_DECODE on an import section cut short', () => {
    // preamble, then section 10 of 3 bytes: 1 import, name tag 0x00, name length 5 (missing)
    const bytes = Uint8Array.of(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, 3, 1, 0, 5);
    let thrown: unknown;
    try {
      componentNames(bytes);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ERR_WIT_DECODE' });
  });

  it('fails on an unknown extern kind instead of reading the wrong names', () => {
    // 1 import "a" of kind 0x09
    const bytes = Uint8Array.of(0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 10, 5, 1, 0, 1, 0x61, 0x09);
    expect(() => componentNames(bytes)).toThrowError(/unknown extern kind 0x9/);
  });
});
