/**
 * TOML text to a table, with syntax errors that say what is wrong and where: smol-toml's reason
 * made specific (the key or table defined twice, a table header missing its `]`, a string missing
 * its closing quote), `file:line:col`, and for wit.toml and wkg.lock a snippet with a caret under
 * the place, as WIT diagnostics have (`details.rendered`). config.toml and wkg.toml errors get no
 * snippet: their lines may hold a password. Pure: no `node:*`.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { projectError } from './error-text.js';

const SYNTAX_KIND = {
  ERR_MANIFEST_PARSE: 'manifest-syntax',
  ERR_LOCKFILE_PARSE: 'lockfile-syntax',
  ERR_CONFIG_INVALID: 'config-syntax',
} as const;

type Table = Record<string, unknown>;

/** Characters of a source line shown in a snippet at most. */
const MAX_SNIPPET_LINE = 200;

const KEY =
  /^("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)(\s*\.\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*/;

/** The key or `[table]` written at `column` of `line`, for "defined twice". */
function redefined(line: string, column: number): string | undefined {
  const header = /^\[\[?[^\]]*\]?\]?/.exec(line.trim());
  if (header !== null) return `table \`${header[0].slice(0, 100)}\` is defined twice`;
  const key = KEY.exec(line.slice(column - 1));
  return key === null ? undefined : `key \`${key[0].slice(0, 100)}\` is defined twice`;
}

/** The parser's first line, made specific where smol-toml's wording hides the cause. */
function tomlReason(error: TomlError, text: string): string {
  const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
  const line = text.split(/\r?\n/)[error.line - 1] ?? '';
  const atEnd = error.column > line.length;
  if (reason.startsWith('control characters') && atEnd)
    return 'unterminated string (the closing quote is missing)';
  if (reason.startsWith('trying to redefine'))
    return redefined(line, error.column) ?? 'a key or table is defined twice';
  const header = line.trim();
  if (header.startsWith('[[') && !header.includes(']]'))
    return `the table header \`${header.slice(0, 100)}\` is missing \`]]\``;
  if (header.startsWith('[') && !header.includes(']'))
    return `the table header \`${header.slice(0, 100)}\` is missing \`]\``;
  return reason;
}

/** `message`, then `--> file:line:col`, the line and a caret, as WIT diagnostics render. */
function snippet(
  message: string,
  file: string,
  text: string,
  line: number,
  column: number,
): string {
  const source = text.split(/\r?\n/)[line - 1] ?? '';
  const shown = source.length > MAX_SNIPPET_LINE ? `${source.slice(0, MAX_SNIPPET_LINE)}…` : source;
  const caretAt = Math.min(column, shown.length + 1);
  return [
    message,
    `     --> ${file}:${line}:${column}`,
    `      |`,
    ` ${String(line).padStart(4)} | ${shown}`,
    `      | ${' '.repeat(caretAt - 1)}^`,
  ].join('\n');
}

/** Parses TOML text, turning syntax errors into `code` errors with line and column. */
export function parseTomlText(
  text: string,
  file: string,
  code: 'ERR_MANIFEST_PARSE' | 'ERR_LOCKFILE_PARSE' | 'ERR_CONFIG_INVALID',
): Table {
  try {
    return parseToml(text);
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = tomlReason(error, text);
    const message = `${file}:${error.line}:${error.column}: ${reason}`;
    const secretive = code === 'ERR_CONFIG_INVALID';
    // the parser's message quotes the line; a config.toml line may hold a password
    const kind = SYNTAX_KIND[code];
    const at = { file, line: error.line, column: error.column, reason };
    const rendered = snippet(message, file, text, error.line, error.column);
    throw projectError(
      kind,
      secretive ? at : { ...at, rendered },
      secretive ? {} : { cause: error },
    );
  }
}
