/**
 * wit-component-interfaces corpus: `encode(resolve(parse(input)))` equals the upstream `.wasm`
 * byte for byte, the producers section set aside (ours names wit-deps).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWitPackage } from '../../src/wit/encode/index.js';
import { splitWitFolder } from '../../src/wit/resolve/deps.js';
import { parseWitPackage } from '../../src/wit/parse.js';
import { corpusCases, FIXTURES, knownFailures, readFolder } from '../support/wit-fixtures.js';
import { sections, withoutProducers } from '../support/wasm-sections.js';

const DIR = join(FIXTURES, 'corpus/wit-component-interfaces');
const KNOWN = knownFailures('wit-component-interfaces.known-failures');
let passed = 0;

function encodeCase(name: string, input: string, kind: string | undefined): Uint8Array {
  const base = join(DIR, name);
  let parsed;
  if (kind === 'dir') {
    const root = input.replace(/\/$/, '');
    const src = splitWitFolder(readFolder(join(base, root)), root);
    parsed = parseWitPackage(src.main, src.deps);
  } else {
    parsed = parseWitPackage([{ path: input, text: readFileSync(join(base, input), 'utf8') }]);
  }
  return encodeWitPackage(parsed.resolve, parsed.package, { producersVersion: '9.9.9' });
}

describe('wit-component-interfaces corpus: encode(parse(input))', () => {
  for (const c of corpusCases('wit-component-interfaces')) {
    const known = KNOWN.has(c.name);
    it(`${c.name}${known ? ' (known failure)' : ''}`, () => {
      const expected = new Uint8Array(readFileSync(join(DIR, c.name, String(c.wasm))));
      let actual: string[] | undefined;
      try {
        const bytes = encodeCase(c.name, String(c.input), c.inputKind);
        const producers = sections(bytes).find((s) => s.name === 'producers');
        expect(Buffer.from(producers!.bytes).toString('latin1')).toContain('wit-deps');
        actual = withoutProducers(bytes);
      } catch (err) {
        if (!known) throw err;
      }
      const ok = JSON.stringify(actual) === JSON.stringify(withoutProducers(expected));
      if (ok) passed++;
      if (known) expect(ok, 'known failure now passes: remove it from the list').toBe(false);
      else expect(actual).toEqual(withoutProducers(expected));
    });
  }
  afterAll(() => {
    console.log(`wit-component-interfaces encode: ${passed} passed, ${KNOWN.size} known failures`);
  });
});
