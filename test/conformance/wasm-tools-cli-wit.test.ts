/**
 * wasm-tools-cli-wit corpus (`wasm-tools component wit` CLI cases): print (with `--features`,
 * `--all-features`), the wasm round trip (parse, encode, decode, print) and the failing case.
 * The CLI prints the main package then every other package as nested blocks (`printWitAll`).
 * The `--out-dir` cases need wasm-tools' file naming and are listed as known failures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WitDepsError } from '../../src/errors.js';
import { encodeWitPackage } from '../../src/wit/encode/index.js';
import { decodeWit, printWitAll } from '../../src/wit/index.js';
import { parseWitPackage } from '../../src/wit/parse.js';
import { corpusCases, FIXTURES, knownFailures } from '../support/wit-fixtures.js';

const DIR = join(FIXTURES, 'corpus/wasm-tools-cli-wit');
const KNOWN = knownFailures('wasm-tools-cli-wit.known-failures');
let passed = 0;

function run(name: string, input: string, mode: string): string {
  const text = readFileSync(join(DIR, name, input), 'utf8');
  const features = mode === 'print-features' ? ['foo'] : [];
  const parsed = parseWitPackage([{ path: input, text }], [], {
    features,
    allFeatures: mode === 'print-all-features',
  });
  if (mode !== 'wasm-roundtrip') return printWitAll(parsed.resolve, parsed.package);
  const bytes = encodeWitPackage(parsed.resolve, parsed.package, { producersVersion: '0.0.0' });
  const decoded = decodeWit(bytes);
  return printWitAll(decoded.resolve, decoded.package);
}

describe('wasm-tools-cli-wit corpus', () => {
  for (const c of corpusCases('wasm-tools-cli-wit')) {
    const known = KNOWN.has(c.name);
    it(`${c.name} (${String(c.mode)})${known ? ' (known failure)' : ''}`, () => {
      const expectedFile = (c.expected as string[])[0]!;
      const expected = readFileSync(join(DIR, c.name, expectedFile), 'utf8');
      let actual: string;
      try {
        actual = run(c.name, String(c.input), String(c.mode));
      } catch (err) {
        if (!(err instanceof WitDepsError)) throw err;
        const rendered = err.details.rendered;
        actual = typeof rendered === 'string' ? rendered : err.message;
      }
      // The upstream harness trims the output and turns backslashes into `/` (path normalisation).
      actual = actual.replace(/\\/g, '/');
      const ok =
        c.mode === 'fail'
          ? expected.includes(actual.split('\n')[0]!)
          : actual.trimEnd() + '\n' === expected;
      if (ok) passed++;
      if (known) expect(ok, 'known failure now passes: remove it from the list').toBe(false);
      else if (c.mode === 'fail') expect(expected).toContain(actual.split('\n')[0]);
      else expect(actual.trimEnd() + '\n').toBe(expected);
    });
  }
  afterAll(() => console.log(`wasm-tools-cli-wit: ${passed} passed, ${KNOWN.size} known failures`));
});
