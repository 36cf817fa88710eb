/**
 * How a failure is shown: one line `error[CODE]: message`, then `hint: ...`, and under
 * `--verbose` the chain of causes (and, for internal errors, the stack). Under `--json` the
 * error is the one JSON document on stdout. Credentials never reach these strings: messages are
 * built from redacted values where they are made.
 */
import { WitDepsError } from '../../errors.js';
import type { Terminal } from '../terminal.js';
import { printable } from './printable.js';

const MAX_CAUSE_DEPTH = 8;

/** Wraps anything thrown into a `WitDepsError`; unknown errors become `ERR_INTERNAL`. */
export function toWitDepsError(error: unknown): WitDepsError {
  if (error instanceof WitDepsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WitDepsError('ERR_INTERNAL', `internal error: ${message}`, {
    hint: 'this is a bug in wit-deps; rerun with --verbose and report it with the output',
    cause: error,
  });
}

export function renderErrorHuman(error: WitDepsError, term: Terminal): string {
  const { style } = term;
  const lines = [`${style.red(style.bold(`error[${error.code}]`))}: ${printable(error.message)}`];
  // WIT diagnostics carry a wasm-tools style snippet (`--> file:line:col`, the line, a caret).
  const rendered = error.details.rendered;
  if (typeof rendered === 'string') lines.push(...printable(rendered).split('\n').slice(1));
  if (error.hint !== undefined) lines.push(`${style.cyan('hint')}: ${printable(error.hint)}`);
  if (term.verbose) {
    let cause: unknown = error.cause;
    for (let depth = 0; cause !== undefined && depth < MAX_CAUSE_DEPTH; depth++) {
      const text = cause instanceof Error ? cause.message : JSON.stringify(cause);
      lines.push(style.dim(`caused by: ${printable(text)}`));
      cause = cause instanceof Error ? cause.cause : undefined;
    }
    if (error.code === 'ERR_INTERNAL' && error.cause instanceof Error && error.cause.stack) {
      lines.push(style.dim(printable(error.cause.stack)));
    }
  }
  return lines.join('\n') + '\n';
}

export function renderErrorJson(error: WitDepsError): string {
  return JSON.stringify({ error: error.toJSON() }, null, 2) + '\n';
}
