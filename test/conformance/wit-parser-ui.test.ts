/**
 * wit-parser-ui corpus: every case parses and resolves (feature `active` on, as upstream's
 * harness does) to the same model as its `.wit.json`, compared after canonicalising ids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitWitFolder } from '../../src/wit/resolve/deps.js';
import { parseWitPackage, resolveToJson } from '../../src/wit/text/index.js';
import { canonicalWitJson } from '../support/wit-json-canon.js';
import { corpusCases, FIXTURES, knownFailures, readFolder } from '../support/wit-fixtures.js';

const DIR = join(FIXTURES, 'corpus/wit-parser-ui');
const KNOWN = knownFailures('wit-parser-ui.known-failures');
let passed = 0;

/** Resolves one case to canonical JSON. */
export function resolveCase(
  name: string,
  input: string,
  kind: string | undefined,
  features: string[],
): unknown {
  const base = join(DIR, name);
  const opts = { features };
  if (kind === 'dir') {
    const root = input.replace(/\/$/, '');
    const src = splitWitFolder(readFolder(join(base, root)), root);
    if (src.binaryDeps.length > 0) throw new Error('binary deps need the decoder');
    return resolveToJson(parseWitPackage(src.main, src.deps, opts).resolve);
  }
  const text = readFileSync(join(base, input), 'utf8');
  return resolveToJson(parseWitPackage([{ path: input, text }], [], opts).resolve);
}

describe('wit-parser-ui corpus', () => {
  for (const c of corpusCases('wit-parser-ui')) {
    const known = KNOWN.has(c.name);
    it(`${c.name}${known ? ' (known failure)' : ''}`, () => {
      const expected = JSON.parse(
        readFileSync(join(DIR, c.name, String(c.expectedJson)), 'utf8'),
      ) as never;
      let ok = false;
      let actual: unknown;
      try {
        actual = canonicalWitJson(
          resolveCase(
            c.name,
            String(c.input),
            c.inputKind,
            (c.features as string[]) ?? [],
          ) as never,
        );
        ok = JSON.stringify(actual) === JSON.stringify(canonicalWitJson(expected));
      } catch (err) {
        if (!known) throw err;
      }
      if (ok) passed++;
      if (known) expect(ok, 'known failure now passes: remove it from the list').toBe(false);
      else expect(actual).toEqual(canonicalWitJson(expected));
    });
  }
  afterAll(() => {
    console.log(`wit-parser-ui: ${passed} passed, ${KNOWN.size} known failures`);
  });
});
