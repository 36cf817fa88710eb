/**
 * Conformance of the WIT decoder + printer against the corpus (and WASI packages with wasm-tools'
 * answers, fixtures/wit-decode/wasi): for every binary case,
 * `print(decode(<case>.wasm))` must equal wasm-tools' output byte for byte (the `.wit.print` file
 * and jco's `unpackWit` `package.wit`), and each foreign package rebuilt from the binary must equal
 * `.unpack/deps/<dir>/package.wit`. Cases listed in `wit-decode.known-failures.json` are expected
 * to fail (the list is counted and must stay accurate); the goal is an empty list.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { PackageId } from '../../src/wit/model.js';
import { decodeWit, packageDirName, printWitPackage } from '../../src/wit/index.js';
import { loadBinaryCases, type BinaryCase } from '../support/wit-corpus.js';

const KNOWN_FAILURES = new Set<string>(
  JSON.parse(
    readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), 'wit-decode.known-failures.json'),
      'utf8',
    ),
  ) as string[],
);

function check(c: BinaryCase): void {
  const { resolve, package: main } = decodeWit(c.wasm);
  const printed = printWitPackage(resolve, main);
  expect(printed).toBe(c.expected);
  if (c.witPrint !== undefined) expect(printed).toBe(c.witPrint);
  const deps = new Map<string, string>();
  resolve.packages.forEach((_, i) => {
    const id = i as PackageId;
    if (id !== main) deps.set(packageDirName(resolve, id), printWitPackage(resolve, id));
  });
  expect([...deps.keys()].sort()).toEqual([...c.deps.keys()]);
  for (const [dir, text] of c.deps) expect(deps.get(dir), dir).toBe(text);
}

const cases = loadBinaryCases();
let passed = 0;

describe('wit decode + print conformance', () => {
  it('finds the corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(54);
    for (const known of KNOWN_FAILURES) expect(cases.map((c) => c.id)).toContain(known);
  });

  for (const c of cases) {
    if (KNOWN_FAILURES.has(c.id)) {
      it(`${c.id} (known failure)`, () => {
        expect(() => check(c)).toThrow();
      });
      continue;
    }
    it(c.id, () => {
      check(c);
      passed++;
    });
  }

  afterAll(() => {
    console.log(
      `wit-decode conformance: ${passed}/${cases.length} cases pass, ${KNOWN_FAILURES.size} known failures`,
    );
  });
});
