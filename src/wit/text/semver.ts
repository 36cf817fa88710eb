/**
 * Versions in WIT text (`@1.2.3-pre.1+build`), read token by token as wit-parser does: three
 * integers between periods, then after `-` and after `+` any run of identifiers, integers and `-`
 * joined by periods (a period not followed by one of those ends the version: `@1.0.0-a.{x}`).
 * The source text so covered (whitespace included) must then be a valid semver version; the
 * message of a bad one is the Rust `semver` crate's.
 */
import { parseError, type Span } from '../diagnostics.js';
import type { Cursor } from './cursor.js';
import { rustChar } from './lexer.js';

export interface ParsedVersion {
  text: string;
  span: Span;
}

/** A version at the cursor (after its `@` or `=`). */
export function parseVersion(cur: Cursor): ParsedVersion {
  const start = expectInteger(cur).span.start;
  cur.expect('.');
  expectInteger(cur);
  cur.expect('.');
  let end = expectInteger(cur).span.end;
  for (const prefix of ['-', '+']) {
    if (!cur.eat(prefix)) continue;
    for (;;) {
      let tok = cur.peek();
      let skip = 0;
      if (tok.kind === 'symbol' && tok.text === '.') tok = cur.peek((skip = 1));
      if (!isVersionPart(tok)) break;
      for (let i = 0; i <= skip; i++) cur.next();
      end = tok.span.end;
    }
  }
  const span = { start, end };
  const text = cur.text.slice(start - cur.base, end - cur.base);
  const problem = semverProblem(text);
  if (problem !== undefined) parseError(problem, span);
  return { text, span };
}

function isVersionPart(tok: ReturnType<Cursor['peek']>): boolean {
  return tok.kind === 'id' || tok.kind === 'integer' || (tok.kind === 'symbol' && tok.text === '-');
}

function expectInteger(cur: Cursor): ReturnType<Cursor['peek']> {
  const tok = cur.peek();
  if (tok.kind !== 'integer') {
    cur.fail('an integer', tok, { start: tok.span.start, end: tok.span.start + 1 });
  }
  return cur.next();
}

const POSITIONS = ['major version number', 'minor version number', 'patch version number'];
const U64_MAX = 18446744073709551615n;

/** Why `text` is not a semver version, in the words of the Rust `semver` crate, or undefined. */
export function semverProblem(text: string): string | undefined {
  let rest = text;
  let last = POSITIONS[2]!;
  for (const [i, pos] of POSITIONS.entries()) {
    const digits = /^[0-9]*/.exec(rest)![0];
    if (digits === '') return unexpected(rest, 'while parsing', pos);
    if (digits.length > 1 && digits.startsWith('0')) return `invalid leading zero in ${pos}`;
    if (BigInt(digits) > U64_MAX) return `value of ${pos} exceeds u64::MAX`;
    rest = rest.slice(digits.length);
    if (i === 2) break;
    if (rest[0] !== '.') return unexpected(rest, 'after', pos);
    rest = rest.slice(1);
  }
  for (const [sign, pos] of [
    ['-', 'pre-release identifier'],
    ['+', 'build metadata'],
  ] as const) {
    if (!rest.startsWith(sign)) continue;
    const r = identifiers(rest.slice(1), pos, sign === '-');
    if (r.startsWith('!')) return r.slice(1);
    rest = r;
    last = pos;
  }
  return rest === '' ? undefined : unexpected(rest, 'after', last);
}

function unexpected(rest: string, where: 'after' | 'while parsing', pos: string): string {
  if (rest === '') return `unexpected end of input while parsing ${pos}`;
  return `unexpected character ${rustChar(String.fromCodePoint(rest.codePointAt(0)!))} ${where} ${pos}`;
}

/**
 * Dot-separated identifiers of `[0-9A-Za-z-]`; returns the rest of the text, or `!message`.
 * Numeric pre-release identifiers must not have leading zeros.
 */
function identifiers(text: string, pos: string, numericRule: boolean): string {
  let rest = text;
  for (;;) {
    const seg = /^[0-9A-Za-z-]*/.exec(rest)![0];
    if (seg === '') return `!empty identifier segment in ${pos}`;
    if (numericRule && /^[0-9]+$/.test(seg) && seg.length > 1 && seg.startsWith('0'))
      return `!invalid leading zero in ${pos}`;
    rest = rest.slice(seg.length);
    if (!rest.startsWith('.')) return rest;
    rest = rest.slice(1);
  }
}
