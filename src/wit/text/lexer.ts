/**
 * The WIT lexer: turns one source file into tokens with spans, keeping whitespace and comments as
 * tokens so the parser can collect the comments before an item as its documentation (wit-parser
 * treats every comment directly before an item as docs, see `parse_docs` in its `ast.rs`).
 *
 * Rules follow wit-parser's `ast/lex.rs`: block comments nest, `%name` escapes any identifier,
 * identifiers are XID-like runs of letters, digits, `-` and `_` (kebab-case is checked later by
 * the parser), control and bidi-override characters are rejected.
 */
import { parseError, WitSpanError, type Span } from '../diagnostics.js';
import { lexString } from './strings.js';

export const KEYWORDS = new Set([
  'use',
  'type',
  'func',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'f32',
  'f64',
  'char',
  'resource',
  'own',
  'borrow',
  'record',
  'flags',
  'variant',
  'enum',
  'bool',
  'string',
  'option',
  'result',
  'future',
  'stream',
  'error-context',
  'list',
  'map',
  '_',
  'as',
  'from',
  'static',
  'interface',
  'tuple',
  'import',
  'export',
  'world',
  'package',
  'constructor',
  'include',
  'with',
  'async',
]);

const SYMBOLS = [
  '->',
  '+',
  '-',
  '=',
  ',',
  ':',
  ';',
  '(',
  ')',
  '{',
  '}',
  '<',
  '>',
  '*',
  '/',
  '.',
  '@',
];
/** Symbols wit-parser names in backticks in "expected ..., found ..."; the others in quotes. */
const BACKTICKED = new Set(['->', '*', '@', '/', '+', '-']);

export type TokenKind =
  'ws' | 'comment' | 'id' | 'explicit-id' | 'keyword' | 'integer' | 'string' | 'symbol' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text (keyword/symbol text; identifier without `%`; string contents). */
  text: string;
  span: Span;
  /** On the final `eof` token when lexing stopped at an error: raised once the parser gets there. */
  error?: WitSpanError;
}

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}-]/u;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/u;

/**
 * Tokenizes `text` whose first character sits at global offset `base`. Control and bidirectional
 * override codepoints anywhere fail at once (wit-parser checks the whole input first); any other
 * lexical error ends the token list with an `eof` token carrying it, so that, as with wit-parser's
 * on-demand lexer, a parse error earlier in the file is the one reported.
 */
export function tokenize(text: string, base: number): Token[] {
  checkChars(text, 0, text.length, base);
  const tokens: Token[] = [];
  try {
    lexAll(text, base, tokens);
  } catch (err) {
    if (!(err instanceof WitSpanError)) throw err;
    const at = err.span ?? { start: base + text.length, end: base + text.length };
    tokens.push({ kind: 'eof', text: '', span: at, error: err });
    return tokens;
  }
  tokens.push({
    kind: 'eof',
    text: '',
    span: { start: base + text.length, end: base + text.length },
  });
  return tokens;
}

function lexAll(text: string, base: number, tokens: Token[]): void {
  let i = 0;
  const at = (start: number, end: number): Span => ({ start: base + start, end: base + end });
  while (i < text.length) {
    const start = i;
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'ws', text: '', span: at(start, i) });
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      tokens.push({ kind: 'comment', text: text.slice(start, i), span: at(start, i) });
    } else if (text.startsWith('/*', i)) {
      i = blockComment(text, i, base);
      tokens.push({ kind: 'comment', text: text.slice(start, i), span: at(start, i) });
    } else if (text.startsWith('->', i)) {
      i += 2;
      tokens.push({ kind: 'symbol', text: '->', span: at(start, i) });
    } else if (ch === '%' || isAsciiIdStart(text.charCodeAt(i)) || ID_START.test(ch)) {
      i = identifier(text, i, base, tokens);
    } else if (ch >= '0' && ch <= '9') {
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'integer', text: text.slice(start, i), span: at(start, i) });
    } else if (ch === '"') {
      i = stringLiteral(text, i, base, tokens);
    } else {
      const sym = SYMBOLS.find((s) => text.startsWith(s, i));
      if (sym === undefined) {
        const cp = text.codePointAt(i)!;
        parseError(unexpectedChar(cp), at(i, i + String.fromCodePoint(cp).length));
      }
      i += sym.length;
      tokens.push({ kind: 'symbol', text: sym, span: at(start, i) });
    }
  }
}

function unexpectedChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (BIDI.test(ch)) return `Input contains bidirectional override codepoint ${hex(cp)}`;
  if (cp < 0x20 || cp === 0x7f) return `Control code '\\u{${cp.toString(16)}}'`;
  return `unexpected character ${rustChar(ch)}`;
}

/** wit-parser's message for a control character: `Control code '\\u{7}'`. */
function controlCode(cp: number): string {
  return `Control code '\\u{${cp.toString(16)}}'`;
}

/** A character as Rust's `{:?}` prints it: quoted, invisible ones as `\u{...}`. */
export function rustChar(ch: string): string {
  const named: Record<string, string> = {
    "'": "\\'",
    '\\': '\\\\',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\0': '\\0',
  };
  if (named[ch] !== undefined) return `'${named[ch]}'`;
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Mn}\p{Me}]/u.test(ch))
    return `'\\u{${ch.codePointAt(0)!.toString(16)}}'`;
  return `'${ch}'`;
}

function hex(cp: number): string {
  return `U+${cp.toString(16).padStart(4, '0')}`;
}

/** Control characters other than tab/newline/return (C0, DEL, C1), and bidi overrides. */
function isSuspicious(c: number): boolean {
  return (
    (c < 0x20 && c !== 9 && c !== 10 && c !== 13) ||
    (c >= 0x7f && c <= 0x9f) ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
// `-` never starts an identifier (it is a token of its own), but continues one.
const isAsciiIdStart = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isAsciiIdContinue = (c: number): boolean => isAsciiIdStart(c) || isDigit(c) || c === 45;

function checkChars(text: string, start: number, end: number, base: number): void {
  for (let j = start; j < end; j++) {
    if (!isSuspicious(text.charCodeAt(j))) continue;
    const code = text.charCodeAt(j);
    if (BIDI.test(text[j]!)) {
      parseError(`Input contains bidirectional override codepoint ${hex(code)}`, {
        start: base + j,
        end: base + j + 1,
      });
    }
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code >= 0x7f) {
      parseError(controlCode(code), { start: base + j, end: base + j + 1 });
    }
  }
}

function blockComment(text: string, start: number, base: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return parseError('unterminated block comment', { start: base + start, end: base + text.length });
}

function identifier(text: string, start: number, base: number, tokens: Token[]): number {
  const explicit = text[start] === '%';
  let i = explicit ? start + 1 : start;
  // after `%` a name starts like an identifier or with `-`; otherwise the `%` stands alone
  const c0 = text.charCodeAt(i);
  const keylike = isAsciiIdStart(c0) || c0 === 45 || (c0 >= 128 && ID_START.test(text[i]!));
  while (keylike && i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (!isAsciiIdContinue(c)) break;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    if (!ID_CONTINUE.test(ch)) break;
    i += ch.length;
  }
  const word = text.slice(explicit ? start + 1 : start, i);
  const span = { start: base + start, end: base + i };
  if (explicit) {
    // an empty name fails as an identifier where one is expected, as in wit-parser
    tokens.push({ kind: 'explicit-id', text: word, span });
  } else if (KEYWORDS.has(word)) {
    tokens.push({ kind: 'keyword', text: word, span });
  } else {
    tokens.push({ kind: 'id', text: word, span });
  }
  return i;
}

function stringLiteral(text: string, start: number, base: number, tokens: Token[]): number {
  const { value, end } = lexString(text, start, base, rustChar);
  tokens.push({ kind: 'string', text: value, span: { start: base + start, end: base + end } });
  return end;
}

/** How an "expected ..., found ..." message names a token, as wit-parser does. */
export function describeToken(tok: Token): string {
  switch (tok.kind) {
    case 'eof':
      return 'eof';
    case 'keyword':
      return `keyword \`${tok.text}\``;
    case 'id':
      return 'an identifier';
    case 'explicit-id':
      return "an '%' identifier";
    case 'integer':
      return 'an integer';
    case 'string':
      return 'a string literal';
    case 'symbol':
      return describeSymbol(tok.text);
    case 'ws':
      return 'whitespace';
    case 'comment':
      return 'a comment';
  }
}

/** A symbol as wit-parser names it: `` `->` `` for some, `'{'` for the others. */
export function describeSymbol(text: string): string {
  return BACKTICKED.has(text) ? `\`${text}\`` : `'${text}'`;
}
