/**
 * What every command handler gets: the injected io, the output policy (known once global flags
 * are parsed), one way to print a result (`--json` document or human text on stdout), and the
 * progress line when the policy allows one. Every other write (message, warning, result, error)
 * erases the progress line first, so output never lands after half a bar.
 */
import { safeText } from '../redact.js';
import type { CliIo } from './io.js';
import { printable } from './render/printable.js';
import { StatusLine, type StatusLineOptions } from './render/status-line.js';
import type { Terminal } from './terminal.js';

export interface CommandContext {
  io: CliIo;
  /** The output policy; valid inside an action (after global options are parsed). */
  terminal(): Terminal;
  /** Prints a command's result: `json` as the one JSON document under `--json`, else `human()`. */
  emit(result: { json: unknown; human: (term: Terminal) => string }): void;
  /** A progress line on stderr (suppressed by `--quiet` and `--json`). */
  info(line: string): void;
  /** A warning on stderr (suppressed by `--json` only). */
  warn(line: string): void;
  /** The redrawn progress line on stderr, when `terminal().progress`; else undefined. */
  statusLine(): StatusLine | undefined;
  /** Erases the progress line for good (before the result or an error is printed). */
  endProgress(): void;
  /** The exit code of a command that succeeded (`outdated --exit-code`: 1); 0 unless set. */
  exitCode: number;
}

export function createContext(
  io: CliIo,
  getTerminal: () => Terminal,
  lineOptions: StatusLineOptions = {},
): CommandContext {
  let line: StatusLine | undefined;
  const clear = (): void => line?.clear();
  return {
    io,
    terminal: getTerminal,
    emit(result) {
      line?.stop();
      const term = getTerminal();
      if (term.json) {
        io.stdout.write(JSON.stringify(result.json, null, 2) + '\n');
        return;
      }
      const text = result.human(term);
      if (text.length > 0) io.stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
    info(text) {
      const term = getTerminal();
      if (term.json || term.quiet) return;
      clear();
      io.stderr.write(printable(safeText(text)) + '\n');
    },
    warn(text) {
      const term = getTerminal();
      if (term.json) return;
      clear();
      io.stderr.write(`${term.style.yellow('warning')}: ${printable(safeText(text))}\n`);
    },
    statusLine() {
      if (!getTerminal().progress) return undefined;
      return (line ??= new StatusLine(io.stderr, lineOptions));
    },
    endProgress() {
      line?.stop();
    },
    exitCode: 0,
  };
}
