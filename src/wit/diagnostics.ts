/**
 * WIT diagnostics: source files with byte-offset spans, and errors rendered the way wasm-tools
 * renders them (the message, `--> path:line:col`, the source line and a caret under the column).
 *
 * Every file of a parse gets a base offset in one {@link SourceMap}, so a span is a plain pair of
 * numbers that still tells which file it points into (the wit-parser convention).
 */
import { witError, type SourcePosition } from './error-text.js';

/** Longest source line (in UTF-8 bytes) quoted in a rendered error. */
const MAX_SNIPPET_BYTES = 500;

/** A half-open range of offsets into a {@link SourceMap}. */
export interface Span {
  start: number;
  end: number;
}

/** One WIT source file: its display path and its text (BOM removed, CRLF folded). */
export interface SourceFile {
  path: string;
  text: string;
  offset: number;
}

/** The files of one parse, laid end to end so a single offset identifies a file and a position. */
export class SourceMap {
  readonly files: SourceFile[] = [];
  private next = 0;

  /** Adds a file; returns it with its base offset. */
  add(path: string, text: string): SourceFile {
    let clean = text.startsWith('\uFEFF') ? text.slice(1) : text;
    clean = clean.replace(/\r\n/g, '\n');
    const file = { path, text: clean, offset: this.next };
    this.files.push(file);
    this.next += clean.length + 1;
    return file;
  }

  /** The file holding `offset`, if any. */
  fileAt(offset: number): SourceFile | undefined {
    for (let i = this.files.length - 1; i >= 0; i--) {
      const file = this.files[i]!;
      if (offset >= file.offset) return offset <= file.offset + file.text.length ? file : undefined;
    }
    return undefined;
  }

  /** `path:line:col` of an offset. */
  location(span: Span): string {
    const at = this.position(span);
    return at === undefined ? '<unknown>' : `${at.file}:${at.line}:${at.col}`;
  }

  /** Path, line and column of a span's start, when it lies in a file of the map. */
  position(span: Span): SourcePosition | undefined {
    const file = this.fileAt(span.start);
    if (file === undefined) return undefined;
    const before = file.text.slice(0, span.start - file.offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.split('\n').length;
    return { file: file.path, line, col: [...before.slice(lineStart)].length + 1 };
  }

  /** Renders `message` at `span` like wasm-tools: message, location, line, caret. */
  render(message: string, span: Span): string {
    const file = this.fileAt(span.start);
    if (file === undefined) return message;
    const local = span.start - file.offset;
    const before = file.text.slice(0, local);
    const line = before.split('\n').length;
    const lineStart = before.lastIndexOf('\n') + 1;
    const col = [...file.text.slice(lineStart, local)].length + 1;
    const lineEnd = file.text.indexOf('\n', lineStart);
    const srcLine = file.text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    // Like wasm-tools, a line too long to show is replaced by a `path:line:col: message` prefix.
    if (new TextEncoder().encode(srcLine).length > MAX_SNIPPET_BYTES)
      return `${file.path}:${line}:${col}: ${message}`;
    const stop = Math.min(span.end - file.offset, lineEnd < 0 ? file.text.length : lineEnd);
    const width = Math.max(1, [...file.text.slice(local, stop)].length);
    return [
      message,
      `     --> ${file.path}:${line}:${col}`,
      `      |`,
      ` ${String(line).padStart(4)} | ${srcLine}`,
      `      | ${' '.repeat(col - 1)}^${'-'.repeat(width - 1)}`,
    ].join('\n');
  }
}

/** A WIT error before rendering: the bare message and where it points. */
export class WitSpanError extends Error {
  constructor(
    message: string,
    readonly span: Span | undefined,
    readonly phase: 'parse' | 'resolve' | 'limit',
    /** Places listed under the message instead of a snippet (a name defined twice). */
    readonly locations?: Span[],
    /** The `ns:name@version` of a referenced package that is not there (`deps/` lacks it). */
    readonly missingPackage?: string,
  ) {
    super(message);
    this.name = 'WitSpanError';
  }
}

/** Raises a parse error at `span`. */
export function parseError(message: string, span: Span): never {
  throw new WitSpanError(message, span, 'parse');
}

/** Raises a limit error (nesting depth, input size) at `span`: `ERR_LIMIT_EXCEEDED`. */
export function limitError(message: string, span: Span): never {
  throw new WitSpanError(message, span, 'limit');
}

/** Raises a resolve error, at `span` when known. */
export function resolveError(message: string, span?: Span): never {
  throw new WitSpanError(message, span, 'resolve');
}

/** Raises a resolve error that lists `locations` (`  * path:line:col`) under the message. */
export function locationsError(message: string, locations: Span[]): never {
  throw new WitSpanError(message, locations[0], 'resolve', locations);
}

/** Turns a {@link WitSpanError} into the user-facing `WitDepsError` with the rendered snippet. */
export function toWitDepsError(err: unknown, map: SourceMap): unknown {
  if (!(err instanceof WitSpanError)) return err;
  const rendered =
    err.locations !== undefined
      ? [err.message, ...err.locations.map((s) => `  * ${map.location(s)}`)].join('\n')
      : err.span === undefined
        ? err.message
        : map.render(err.message, err.span);
  const kind =
    err.phase === 'parse'
      ? 'wit-syntax'
      : err.phase === 'limit'
        ? 'wit-too-large'
        : 'wit-unresolved';
  const known = (span: Span): SourcePosition[] => {
    const at = map.position(span);
    return at === undefined ? [] : [at];
  };
  const details = {
    reason: err.message,
    at: err.span === undefined ? undefined : map.position(err.span),
    locations: err.locations?.flatMap(known),
    rendered,
    package: err.missingPackage,
  };
  return witError(kind, details, { cause: err });
}
