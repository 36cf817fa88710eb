/**
 * The parser's token cursor: skips whitespace and comments, collects the comments before an item
 * as its documentation, and raises wit-parser style "expected X, found Y" errors.
 */
import { parseError, type Span } from '../diagnostics.js';
import type { AstDocs, Ident } from './ast.js';
import { describeSymbol, describeToken, rustChar, type Token } from './lexer.js';

/** Nesting limit for types and packages, as in wit-parser. */
export const MAX_DEPTH = 100;

export class Cursor {
  private pos = 0;

  constructor(
    private readonly tokens: Token[],
    /** The file text and its base offset, for raw scans such as semver versions. */
    readonly text: string,
    readonly base: number,
  ) {}

  /** The next significant token, without consuming it. */
  peek(skip = 0): Token {
    let i = this.pos;
    let seen = 0;
    for (;;) {
      const tok = this.tokens[i]!;
      if (tok.kind !== 'ws' && tok.kind !== 'comment') {
        if (tok.error !== undefined) throw tok.error;
        if (seen === skip || tok.kind === 'eof') return tok;
        seen++;
      }
      i++;
    }
  }

  next(): Token {
    const tok = this.peek();
    if (tok.kind !== 'eof') this.pos = this.tokens.indexOf(tok, this.pos) + 1;
    return tok;
  }

  /** Consumes the comments (and whitespace) before the next token: the item's docs. */
  docs(): AstDocs {
    const docs: AstDocs = { comments: [] };
    for (;;) {
      const tok = this.tokens[this.pos]!;
      if (tok.kind === 'ws') this.pos++;
      else if (tok.kind === 'comment') {
        docs.comments.push(tok.text);
        const end = tok.span.end - (tok.text.length - tok.text.trimEnd().length);
        docs.span = { start: docs.span?.start ?? tok.span.start, end };
        this.pos++;
      } else return docs;
    }
  }

  /** True (and consumed) when the next token is the keyword or symbol `text`. */
  eat(text: string): boolean {
    const tok = this.peek();
    if ((tok.kind === 'keyword' || tok.kind === 'symbol') && tok.text === text) {
      this.next();
      return true;
    }
    return false;
  }

  isNext(text: string, skip = 0): boolean {
    const tok = this.peek(skip);
    return (tok.kind === 'keyword' || tok.kind === 'symbol') && tok.text === text;
  }

  expect(text: string): Token {
    const tok = this.peek();
    if ((tok.kind === 'keyword' || tok.kind === 'symbol') && tok.text === text) return this.next();
    const what = /^[a-z_]/.test(text) ? `keyword \`${text}\`` : describeSymbol(text);
    // wit-parser reports a missing token at the first character of what it found.
    const at = { start: tok.span.start, end: tok.span.start + 1 };
    return parseError(`expected ${what}, found ${describeToken(tok)}`, at);
  }

  fail(expected: string, tok: Token = this.peek(), at: Span = tok.span): never {
    return parseError(`expected ${expected}, found ${describeToken(tok)}`, at);
  }

  /** An identifier (`%`-escaped or plain), validated as kebab-case. */
  ident(): Ident {
    const tok = this.peek();
    if (tok.kind !== 'id' && tok.kind !== 'explicit-id') this.fail('an identifier or string', tok);
    this.next();
    validateId(tok.text, tok.span);
    return { name: tok.text, span: tok.span };
  }

  isIdent(skip = 0): boolean {
    const kind = this.peek(skip).kind;
    return kind === 'id' || kind === 'explicit-id';
  }

  span(start: Span, end: Span = this.lastEnd()): Span {
    return { start: start.start, end: end.end };
  }

  lastEnd(): Span {
    for (let i = this.pos - 1; i >= 0; i--) {
      const tok = this.tokens[i]!;
      if (tok.kind !== 'ws' && tok.kind !== 'comment') return tok.span;
    }
    return { start: this.base, end: this.base };
  }
}

/**
 * The kebab-case rule of wit-parser's `validate_id`: parts between `-` are not empty, the first
 * starts with a letter, each is all lowercase or all uppercase (digits anywhere). Errors point at
 * the identifier's first character, with wit-parser's wording.
 */
export function validateId(name: string, span: Span): void {
  const at: Span = { start: span.start, end: span.start + 1 };
  const invalid = (ch: string): never =>
    parseError(`invalid character in identifier ${rustChar(ch)}`, at);
  for (const [i, part] of name.split('-').entries()) {
    if (part === '') parseError("identifiers must have characters between '-'s", at);
    const first = String.fromCodePoint(part.codePointAt(0)!);
    if (i === 0 && !/^[a-zA-Z]$/.test(first)) invalid(first);
    let upper: boolean | undefined;
    for (const ch of part) {
      if (/^[0-9]$/.test(ch)) continue;
      const isUpper = /^[A-Z]$/.test(ch);
      if (!isUpper && !/^[a-z]$/.test(ch)) invalid(ch);
      if (upper !== undefined && upper !== isUpper) invalid(ch);
      upper = isUpper;
    }
  }
}
