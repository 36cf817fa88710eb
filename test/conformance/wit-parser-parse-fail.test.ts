/**
 * wit-parser-parse-fail corpus: every case fails with the same message (first line) and, where
 * the expected output has one, the same `line:col` as its `.wit.result`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WitDepsError } from '../../src/errors.js';
import { splitWitFolder } from '../../src/wit/resolve/deps.js';
import { parseWitPackage } from '../../src/wit/text/index.js';
import { corpusCases, FIXTURES, knownFailures, readFolder } from '../support/wit-fixtures.js';

const DIR = join(FIXTURES, 'corpus/wit-parser-parse-fail');
const KNOWN = knownFailures('wit-parser-parse-fail.known-failures');
let passed = 0;

function failure(name: string, input: string, kind: string | undefined, upstream: string): string {
  try {
    if (kind === 'dir') {
      const root = input.replace(/\/$/, '');
      const src = splitWitFolder(readFolder(join(DIR, name, root)), upstream);
      parseWitPackage(src.main, src.deps);
    } else {
      parseWitPackage([{ path: upstream, text: readFileSync(join(DIR, name, input), 'utf8') }]);
    }
  } catch (err) {
    if (!(err instanceof WitDepsError)) throw err;
    const rendered = err.details.rendered;
    return typeof rendered === 'string' ? rendered : err.message;
  }
  return '<no error>';
}

/** The message line, the `line:col` and the listed `  * path:line:col` places of a rendered error. */
function key(text: string): { message: string; at: string | undefined; places: string[] } {
  const at = /--> .*:(\d+:\d+)/.exec(text)?.[1];
  const places = text.split('\n').filter((l) => l.startsWith('  * '));
  return { message: text.split('\n')[0]!, at, places };
}

describe('wit-parser-parse-fail corpus', () => {
  for (const c of corpusCases('wit-parser-parse-fail')) {
    const known = KNOWN.has(c.name);
    it(`${c.name}${known ? ' (known failure)' : ''}`, () => {
      const expected = readFileSync(join(DIR, c.name, String(c.expectedError)), 'utf8')
        .replace(/\r\n/g, '\n')
        .trim();
      const actual = failure(c.name, String(c.input), c.inputKind, String(c.upstreamPath));
      const want = key(expected);
      const got = key(actual);
      // Upstream prefixes folder errors with "failed to resolve directory ... : "; compare the tail.
      const ok =
        actual !== '<no error>' &&
        got.message !== '' &&
        (want.message === got.message || want.message.endsWith(`: ${got.message}`)) &&
        (want.at === undefined || want.at === got.at) &&
        want.places.join('\n') === got.places.join('\n');
      if (ok) passed++;
      if (known) expect(ok, `known failure now passes: remove it from the list`).toBe(false);
      else
        expect(got).toEqual(
          want.at === undefined
            ? { ...got, message: got.message, places: want.places }
            : { message: got.message, at: want.at, places: want.places },
        );
      if (!known)
        expect(ok, `expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`).toBe(true);
    });
  }
  afterAll(() =>
    console.log(`wit-parser-parse-fail: ${passed} passed, ${KNOWN.size} known failures`),
  );
});
