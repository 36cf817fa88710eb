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

/** The indentation of the first levels, made once. */
const INDENTS = Array.from({ length: 8 }, (_, i) => '  '.repeat(i));

export class Output {
  /** The text so far (appended to: V8 joins the pieces once, when the text is read). */
  private text = '';
  private indent = 0;
  private needsIndent = false;

  private indentIfNeeded(): void {
    if (this.needsIndent) {
      this.text += INDENTS[this.indent] ?? '  '.repeat(this.indent);
      this.needsIndent = false;
    }
  }

  /** Text on the current line (indenting first if at a line start). */
  str(text: string): void {
    this.indentIfNeeded();
    this.text += text;
  }

  /** A (possibly keyword-colliding) name. */
  name(name: string): void {
    this.str(escapeName(name));
  }

  /** Text appended without indentation (mid-line punctuation). */
  raw(text: string): void {
    this.text += text;
  }

  newline(): void {
    this.text += '\n';
    this.needsIndent = true;
  }

  semicolon(): void {
    this.text += ';\n';
    this.needsIndent = true;
  }

  indentStart(): void {
    this.text += ' {\n';
    this.indent++;
    this.needsIndent = true;
  }

  indentEnd(): void {
    this.indent = Math.max(0, this.indent - 1);
    this.indentIfNeeded();
    this.text += '}\n';
    this.needsIndent = true;
  }

  /** One `///` doc line. */
  doc(line: string): void {
    this.indentIfNeeded();
    this.text += line.length === 0 ? '///\n' : `/// ${line}\n`;
    this.needsIndent = true;
  }

  toString(): string {
    return this.text;
  }
}
