/**
 * wit-parser-parse-fail corpus: every case fails with the same message as its `.wit.result` (the
 * first line may lack upstream's `failed to resolve directory ...: ` prefix; further lines such as
 * listed places must be equal) and, where the expected output has one, the same snippet: the
 * `--> path:line:col` line, the source line and the caret with its underline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WitDepsError } from '../../src/errors.js';
import { splitWitFolder } from '../../src/wit/resolve/deps.js';
import { parseWitPackage } from '../../src/wit/parse.js';
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

interface Rendered {
  message: string;
  /** Lines of the message after the first (a hint, known packages, listed places). */
  more: string;
  at: string | undefined;
  /** From the `-->` line to the caret; undefined when the error has no location. */
  snippet: string | undefined;
}

function key(text: string): Rendered {
  const i = text.search(/^ +--> /m);
  const [message = '', ...more] = (i < 0 ? text : text.slice(0, i)).trimEnd().split('\n');
  const at = /--> .*:(\d+:\d+)/.exec(text)?.[1];
  return { message, more: more.join('\n'), at, snippet: i < 0 ? undefined : text.slice(i) };
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
      const sameMessage =
        got.message !== '' &&
        (want.message === got.message || want.message.endsWith(`: ${got.message}`));
      const ok =
        actual !== '<no error>' &&
        sameMessage &&
        want.more === got.more &&
        (want.snippet === undefined || want.snippet === got.snippet);
      if (ok) passed++;
      if (known) expect(ok, `known failure now passes: remove it from the list`).toBe(false);
      else {
        const wanted = { ...want, message: sameMessage ? got.message : want.message };
        expect(got).toEqual(
          want.snippet === undefined ? { ...wanted, snippet: got.snippet, at: got.at } : wanted,
        );
      }
    });
  }
  afterAll(() =>
    console.log(`wit-parser-parse-fail: ${passed} passed, ${KNOWN.size} known failures`),
  );
});
