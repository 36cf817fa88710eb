/**
 * String literals (`@external-id("...")`), lexed as wit-parser's `expect_string_literal` does:
 * escapes `\" \' \t \n \r \\`, `\u{hex}` (underscores allowed between digits) and `\hh` bytes,
 * no control characters, and the bytes must form UTF-8. Errors carry wit-parser's wording.
 */
import { parseError, type Span } from '../diagnostics.js';

const SIMPLE: Record<string, number> = { '"': 0x22, "'": 0x27, t: 9, n: 10, r: 13, '\\': 0x5c };
const HEX = /^[0-9a-fA-F]$/;

/** Lexes the literal whose `"` is at `start`; returns its value and the index after it. */
export function lexString(
  text: string,
  start: number,
  base: number,
  quote: (ch: string) => string,
): { value: string; end: number } {
  let i = start + 1;
  const at = (p: number, len = 1): Span => ({ start: base + p, end: base + p + len });
  const next = (): [number, string] => {
    if (i >= text.length) parseError('unexpected end of file', at(text.length, 0));
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    i += ch.length;
    return [i - ch.length, ch];
  };
  const hexDigit = (): number => {
    const [p, ch] = next();
    if (!HEX.test(ch)) parseError(`invalid hex digit ${quote(ch)}`, at(p));
    return parseInt(ch, 16);
  };
  // A trailing `_` is reported at the number's first digit, as wit-parser's `eat_hexnum` does.
  const hexNumber = (): number => {
    const first = i;
    let n = hexDigit();
    let underscore = false;
    for (;;) {
      if (text[i] === '_') {
        i++;
        underscore = true;
        continue;
      }
      const [p, ch] = next();
      if (!HEX.test(ch)) {
        i = p;
        break;
      }
      underscore = false;
      n = n * 16 + parseInt(ch, 16);
      if (n > 0xffffffff) parseError('number is too big to fit in a u32', at(p));
    }
    if (underscore) parseError('trailing underscore in number', at(first));
    return n;
  };
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (;;) {
    const [p, c] = next();
    if (c === '"') break;
    if (c !== '\\') {
      const code = c.codePointAt(0)!;
      if (code < 0x20 || code === 0x7f) parseError(`invalid string character ${quote(c)}`, at(p));
      bytes.push(...encoder.encode(c));
      continue;
    }
    const [q, e] = next();
    if (SIMPLE[e] !== undefined) bytes.push(SIMPLE[e]);
    else if (e === 'u') {
      const [r, brace] = next();
      if (brace !== '{') parseError(`expected character '{'`, at(r));
      const n = hexNumber();
      if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))
        parseError(`invalid unicode value 0x${n.toString(16)}`, at(q));
      bytes.push(...encoder.encode(String.fromCodePoint(n)));
      const [s, close] = next();
      if (close !== '}') parseError(`expected character '}'`, at(s));
    } else if (HEX.test(e)) {
      bytes.push(parseInt(e, 16) * 16 + hexDigit());
    } else parseError(`invalid string escape ${quote(e)}`, at(q));
  }
  try {
    return {
      value: new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes)),
      end: i,
    };
  } catch {
    return parseError('invalid UTF-8: invalid utf-8 sequence', at(start + 1));
  }
}
