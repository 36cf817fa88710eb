/**
 * How a failure is shown: one line `error[CODE]: message`, then `hint: ...`, and under
 * `--verbose` the chain of causes (and, for internal errors, the stack). Under `--json` the
 * error is the one JSON document on stdout. Credentials never reach these strings: messages are
 * built from redacted values where they are made, and every string printed here (message, hint,
 * causes, stack, `--json` details) also goes through `safeText` (`src/redact.ts`): whatever
 * looks like a credential is masked and echoed input is capped.
 */
import { FS_HINTS, WitDepsError } from '../../errors.js';
import { safeText } from '../../redact.js';
import type { Terminal } from '../terminal.js';
import { printable } from './printable.js';

const MAX_CAUSE_DEPTH = 8;

const FS_CALLS = new Set(
  'open read write close fsync rename mkdir rmdir rm unlink stat lstat fstat readdir scandir copyfile access chmod utime symlink link readlink realpath ftruncate'.split(
    ' ',
  ),
);

/** A file-system failure Node reports (`EACCES` on open, ...) as `ERR_FS`, naming the path. */
function fsError(error: unknown): WitDepsError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, path, syscall } = error as Error & {
    code?: unknown;
    path?: unknown;
    syscall?: unknown;
  };
  if (typeof code !== 'string' || typeof syscall !== 'string' || !FS_CALLS.has(syscall))
    return undefined;
  const subject = typeof path === 'string' ? `\`${path}\`` : 'a file or folder';
  return new WitDepsError('ERR_FS', `${subject} cannot be accessed (${syscall}: ${code})`, {
    hint: FS_HINTS[code] ?? 'check the files and folders the command uses, then run it again',
    cause: error,
    details: { ...(typeof path === 'string' ? { path } : {}), syscall, errno: code },
  });
}

/** Wraps anything thrown into a `WitDepsError`; unknown errors become `ERR_INTERNAL`. */
export function toWitDepsError(error: unknown): WitDepsError {
  if (error instanceof WitDepsError) return error;
  const fs = fsError(error);
  if (fs !== undefined) return fs;
  const message = error instanceof Error ? error.message : String(error);
  return new WitDepsError('ERR_INTERNAL', `internal error: ${message}`, {
    hint: 'this is a bug in wit-deps; rerun with --verbose and report it with the output',
    cause: error,
  });
}

/** A string as shown in an error: credentials masked, echoes capped, control characters escaped. */
function shown(text: string): string {
  return printable(safeText(text));
}

/** `value` with every string in it passed through `safeText` (for the `--json` document). */
function safeJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return safeText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_CAUSE_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => safeJson(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, safeJson(v, depth + 1)] as const),
  );
}

/**
 * The lines of a rendered WIT snippet after the message it repeats first: the message may span
 * lines (a list of known packages), and a wrapped error has its own subject before it.
 */
function snippetLines(rendered: string, message: string): string[] {
  const lines = rendered.split('\n');
  if (rendered.startsWith(message)) return lines.slice(message.split('\n').length);
  const start = lines.findIndex((l) => /^ {5}--> |^ {2}\* /.test(l));
  return start < 0 ? lines.slice(1) : lines.slice(start);
}

export function renderErrorHuman(error: WitDepsError, term: Terminal): string {
  const { style } = term;
  const lines = [`${style.red(style.bold(`error[${error.code}]`))}: ${shown(error.message)}`];
  // WIT diagnostics carry a wasm-tools style snippet (`--> file:line:col`, the line, a caret).
  const rendered = error.details.rendered;
  if (typeof rendered === 'string') lines.push(...snippetLines(rendered, error.message).map(shown));
  if (error.hint !== undefined) lines.push(`${style.cyan('hint')}: ${shown(error.hint)}`);
  if (term.verbose) {
    let cause: unknown = error.cause;
    for (let depth = 0; cause !== undefined && depth < MAX_CAUSE_DEPTH; depth++) {
      const text = cause instanceof Error ? cause.message : JSON.stringify(cause);
      lines.push(style.dim(`caused by: ${shown(text)}`));
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (error.code === 'ERR_INTERNAL' && error.cause instanceof Error && error.cause.stack) {
      lines.push(style.dim(shown(error.cause.stack)));
    }
  }
  return lines.join('\n') + '\n';
}

export function renderErrorJson(error: WitDepsError): string {
  return JSON.stringify({ error: safeJson(error.toJSON()) }, null, 2) + '\n';
}
