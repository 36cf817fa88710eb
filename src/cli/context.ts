/**
 * What every command handler gets: the injected io, the output policy (known once global flags
 * are parsed) and one way to print a result (`--json` document or human text on stdout).
 */
import type { CliIo } from './io.js';
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
}

export function createContext(io: CliIo, getTerminal: () => Terminal): CommandContext {
  return {
    io,
    terminal: getTerminal,
    emit(result) {
      const term = getTerminal();
      if (term.json) {
        io.stdout.write(JSON.stringify(result.json, null, 2) + '\n');
        return;
      }
      const text = result.human(term);
      if (text.length > 0) io.stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
    info(line) {
      const term = getTerminal();
      if (!term.json && !term.quiet) io.stderr.write(line + '\n');
    },
    warn(line) {
      const term = getTerminal();
      if (!term.json) io.stderr.write(`${term.style.yellow('warning')}: ${line}\n`);
    },
  };
}
