/**
 * The output policy, decided once per run: colour, progress bars, verbosity.
 *
 * Colour only on a TTY, never with `NO_COLOR` (any non-empty value), `TERM=dumb`, `--json` or
 * `CI`; `FORCE_COLOR` (other than `0`) and `--color` force it on, `FORCE_COLOR=0` and
 * `--no-color` off. Progress bars need a TTY on stderr, a terminal other than `TERM=dumb` (which
 * cannot move the cursor), no `--json`, no `--quiet` and no `CI`.
 */
import type { CliIo } from './io.js';

export interface GlobalOptions {
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  /** `true` for `--color`, `false` for `--no-color`, `undefined` when neither was given. */
  color: boolean | undefined;
}

export interface Terminal {
  color: boolean;
  progress: boolean;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  style: Style;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

export function decideTerminal(io: CliIo, options: GlobalOptions): Terminal {
  const env = io.env;
  const ci = isSet(env['CI']) && env['CI'] !== 'false';
  const dumb = env['TERM'] === 'dumb';
  let color = io.stderr.isTTY === true && !dumb && !ci;
  if (isSet(env['NO_COLOR'])) color = false;
  if (isSet(env['FORCE_COLOR'])) color = env['FORCE_COLOR'] !== '0';
  if (options.color !== undefined) color = options.color;
  if (options.json) color = false;
  const progress = io.stderr.isTTY === true && !dumb && !options.json && !options.quiet && !ci;
  return {
    color,
    progress,
    json: options.json,
    verbose: options.verbose,
    quiet: options.quiet,
    style: makeStyle(color),
  };
}

function sgr(open: number, close: number, enabled: boolean): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

export function makeStyle(enabled: boolean): Style {
  return {
    bold: sgr(1, 22, enabled),
    dim: sgr(2, 22, enabled),
    red: sgr(31, 39, enabled),
    green: sgr(32, 39, enabled),
    yellow: sgr(33, 39, enabled),
    cyan: sgr(36, 39, enabled),
  };
}
