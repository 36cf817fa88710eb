/**
 * wit-parser-ui corpus: every case parses and resolves (feature `active` on, as upstream's
 * harness does) to the same model as its `.wit.json`, compared after canonicalising ids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitWitFolder } from '../../src/wit/resolve/deps.js';
import { decodeWit } from '../../src/wit/index.js';
import { parseWitPackage, resolveToJson } from '../../src/wit/parse.js';
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
  if (kind === 'wat') {
    // A binary package given as WAT: use its generated binary; the resolve is the decoded one.
    const bytes = new Uint8Array(readFileSync(join(base, '_generated', `${input}.wasm`)));
    return resolveToJson(decodeWit(bytes).resolve);
  }
  if (kind === 'dir') {
    const root = input.replace(/\/$/, '');
    const files = readFolder(join(base, root));
    // `.wat` dependencies are read from their generated binaries (we have no WAT parser).
    for (const f of files) {
      if (f.path.endsWith('.wat')) {
        f.path = `${f.path}.wasm`.replace(/\.wat\.wasm$/, '.wasm');
        f.bytes = new Uint8Array(
          readFileSync(join(base, '_generated', root, `${f.path.replace(/\.wasm$/, '.wat')}.wasm`)),
        );
      }
    }
    const src = splitWitFolder(files, root);
    return resolveToJson(
      parseWitPackage(src.main, src.deps, { ...opts, binaryDeps: src.binaryDeps }).resolve,
    );
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
