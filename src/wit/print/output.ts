/**
 * The text sink of the WIT printer: two-space indentation applied lazily at the first token of a
 * line, ` {` + newline to open a block, `}` + newline to close one, `;` + newline to end a
 * statement — the conventions of wasm-tools' `OutputToString`, so whitespace matches byte for byte.
 */

/** Names the printer writes as `%name` (wasm-tools `printing.rs` `is_keyword`). */
const KEYWORDS = new Set([
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
  'float32',
  'float64',
  'char',
  'resource',
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
  'list',
  'own',
  'borrow',
  '_',
  'as',
  'from',
  'static',
  'interface',
  'tuple',
  'world',
  'import',
  'export',
  'package',
  'with',
  'include',
  'constructor',
  'error-context',
  'async',
  'map',
]);

/** `%name` for names that collide with WIT keywords, else the name. */
export function escapeName(name: string): string {
  return KEYWORDS.has(name) ? `%${name}` : name;
}

export class Output {
  private readonly parts: string[] = [];
  private indent = 0;
  private needsIndent = false;

  private indentIfNeeded(): void {
    if (this.needsIndent) {
      this.parts.push('  '.repeat(this.indent));
      this.needsIndent = false;
    }
  }

  /** Text on the current line (indenting first if at a line start). */
  str(text: string): void {
    this.indentIfNeeded();
    this.parts.push(text);
  }

  /** A (possibly keyword-colliding) name. */
  name(name: string): void {
    this.str(escapeName(name));
  }

  /** Text appended without indentation (mid-line punctuation). */
  raw(text: string): void {
    this.parts.push(text);
  }

  newline(): void {
    this.parts.push('\n');
    this.needsIndent = true;
  }

  semicolon(): void {
    this.parts.push(';');
    this.newline();
  }

  indentStart(): void {
    this.parts.push(' {');
    this.indent++;
    this.newline();
  }

  indentEnd(): void {
    this.indent = Math.max(0, this.indent - 1);
    this.indentIfNeeded();
    this.parts.push('}');
    this.newline();
  }

  /** One `///` doc line. */
  doc(line: string): void {
    this.indentIfNeeded();
    this.parts.push(line.length === 0 ? '///' : `/// ${line}`);
    this.newline();
  }

  toString(): string {
    return this.parts.join('');
  }
}

/** Rust's `str::lines`: split on `\n`, drop one trailing `\r` per line and a final empty line. */
export function docLines(contents: string): string[] {
  if (contents.length === 0) return [];
  const lines = contents.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
