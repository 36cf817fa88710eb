/**
 * wit-component-interfaces corpus, the properties that need the printer and decoder:
 * `print(parse(input))` equals `.wit.print`, `encode(decode(.wasm))` equals the `.wasm` (producers
 * aside), and the printed text parses again to the same encoding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWitPackage } from '../../src/wit/encode/index.js';
import { decodeWit, printWitPackage } from '../../src/wit/index.js';
import { splitWitFolder } from '../../src/wit/resolve/deps.js';
import { parseWitPackage } from '../../src/wit/parse.js';
import { corpusCases, FIXTURES, knownFailures, readFolder } from '../support/wit-fixtures.js';
import { withoutProducers } from '../support/wasm-sections.js';

const DIR = join(FIXTURES, 'corpus/wit-component-interfaces');
const counts = { print: 0, reencode: 0, reparse: 0 };
const KNOWN = knownFailures('wit-component-roundtrip.known-failures');

/** Runs `check`; a listed known failure must still fail (so the list stays honest). */
function expectOrKnown(id: string, check: () => void): boolean {
  if (!KNOWN.has(id)) {
    check();
    return true;
  }
  let ok = true;
  try {
    check();
  } catch {
    ok = false;
  }
  expect(ok, `${id} now passes: remove it from the known failures`).toBe(false);
  return false;
}

function parseCase(
  name: string,
  input: string,
  kind: string | undefined,
): ReturnType<typeof parseWitPackage> {
  const base = join(DIR, name);
  if (kind === 'dir') {
    const root = input.replace(/\/$/, '');
    const src = splitWitFolder(readFolder(join(base, root)), root);
    return parseWitPackage(src.main, src.deps);
  }
  return parseWitPackage([{ path: input, text: readFileSync(join(base, input), 'utf8') }]);
}

const encode = (p: ReturnType<typeof parseWitPackage>): Uint8Array =>
  encodeWitPackage(p.resolve, p.package, { producersVersion: '0.0.0' });

describe('wit-component-interfaces corpus: print and round trips', () => {
  for (const c of corpusCases('wit-component-interfaces')) {
    it(`${c.name}: print(parse(input)) equals .wit.print`, () => {
      const parsed = parseCase(c.name, String(c.input), c.inputKind);
      const expected = readFileSync(join(DIR, c.name, String(c.print)), 'utf8');
      expect(printWitPackage(parsed.resolve, parsed.package)).toBe(expected);
      counts.print++;
    });
    it(`${c.name}: encode(decode(.wasm)) equals .wasm`, () => {
      const wasm = new Uint8Array(readFileSync(join(DIR, c.name, String(c.wasm))));
      const ok = expectOrKnown(`${c.name} encode-decode`, () => {
        const decoded = decodeWit(wasm);
        const bytes = encodeWitPackage(decoded.resolve, decoded.package, {
          producersVersion: '0.0.0',
        });
        expect(withoutProducers(bytes)).toEqual(withoutProducers(wasm));
      });
      if (ok) counts.reencode++;
    });
    it(`${c.name}: the printed main package parses again`, () => {
      const wasm = new Uint8Array(readFileSync(join(DIR, c.name, String(c.wasm))));
      const printed = readFileSync(join(DIR, c.name, String(c.print)), 'utf8');
      const ok = expectOrKnown(`${c.name} reparse`, () => {
        const decoded = decodeWit(wasm);
        const deps = decoded.resolve.packages
          .map((_, i) => i)
          .filter((i) => i !== (decoded.package as number))
          .map((i) => [
            {
              path: `dep${i}.wit`,
              text: printWitPackage(decoded.resolve, i as typeof decoded.package),
            },
          ]);
        const reparsed = parseWitPackage([{ path: 'printed.wit', text: printed }], deps);
        expect(withoutProducers(encode(reparsed))).toEqual(withoutProducers(wasm));
      });
      if (ok) counts.reparse++;
    });
  }
  afterAll(() => {
    console.log(
      `wit-component-interfaces: print(parse) ${counts.print}, encode(decode) ${counts.reencode}, encode(parse(print)) ${counts.reparse}`,
    );
  });
});
