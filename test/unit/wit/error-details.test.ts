/**
 * WIT toolchain errors carry their facts as details: the position of a text error next to the
 * wasm-tools rendering, and the file of a bad binary dependency (added as data by the folder
 * resolver, then rendered into the message by the variant).
 */
import { describe, expect, it } from 'vitest';
import { parseWit, resolveWit } from '../../../src/wit-api.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('WIT error details', () => {
  it('gives a syntax error its file, line and column beside the rendered snippet', () => {
    const error = thrown(() =>
      parseWit([{ path: 'a.wit', text: 'package a:b;\ninterface i {\n  x: func() -> ;\n}\n' }]),
    );
    expect(error).toMatchObject({
      code: 'ERR_WIT_PARSE',
      details: { kind: 'wit-syntax', at: { file: 'a.wit', line: 3, col: 16 } },
      hint: 'fix the WIT source at `a.wit:3:16`',
    });
    const { details } = error as { details: { rendered: string; reason: string } };
    expect(details.rendered).toContain('--> a.wit:3:16');
    expect(details.rendered.startsWith(details.reason)).toBe(true);
  });

  it('names the binary dependency that does not decode, from details.file', () => {
    const error = thrown(() =>
      resolveWit({
        'package.wit': 'package a:b;\ninterface i {}\n',
        'deps/bad.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9, 9, 9]),
      }),
    );
    expect(error).toMatchObject({
      code: 'ERR_WIT_DECODE',
      details: { kind: 'binary-malformed', file: 'deps/bad.wasm', offset: 4 },
    });
    expect((error as Error).message).toMatch(/^`deps\/bad\.wasm`: .* at byte 4$/);
    expect((error as Error).cause).toMatchObject({ details: { kind: 'binary-malformed' } });
  });
});
