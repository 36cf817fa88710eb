/**
 * The CLI entry point as a function: `main(argv, io)` parses, runs one command and returns the
 * exit code (0 ok, 1 failure, 2 usage, 130 interrupted). It never calls `process.exit`, so tests
 * run it in-process; `bin.ts` is the only place that touches `process`.
 */
import { Command, CommanderError, Option } from 'commander';
import { WitDepsError } from '../errors.js';
import { safeText } from '../redact.js';
import { VERSION } from '../version.js';
import { addExamples } from './commands/examples.js';
import { commandsFor } from './commands/index.js';
import { createContext, type CommandContext } from './context.js';
import type { CliIo } from './io.js';
import type { StatusLineOptions } from './render/status-line.js';
import { renderErrorHuman, renderErrorJson, toWitDepsError } from './render/error.js';
import { decideTerminal, type GlobalOptions, type Terminal } from './terminal.js';

function readGlobals(program: Command): GlobalOptions {
  const opts = program.opts<{
    json?: boolean;
    verbose?: boolean;
    quiet?: boolean;
    color?: boolean;
  }>();
  return {
    json: opts.json === true,
    verbose: opts.verbose === true,
    quiet: opts.quiet === true,
    color: opts.color,
  };
}

/**
 * `-C <dir>` against the working directory (the app normalises it; `node:path` is not loaded at
 * startup): an absolute `<dir>` as given, else appended to `cwd`.
 */
function startedInDir(cwd: string, dir: string): string {
  if (/^([\\/]|[A-Za-z]:[\\/])/.test(dir)) return dir;
  return `${cwd.replace(/[\\/]+$/, '')}/${dir}`;
}

/**
 * `json`: `--json` was given, so commander's own help and usage errors stay off stderr. `argv`:
 * the arguments to be parsed, when known: a run of one named command registers only that one.
 */
export function buildProgram(
  io: CliIo,
  ctx: CommandContext,
  json = false,
  argv?: readonly string[],
): Command {
  const program = new Command('wit-deps')
    .description('Dependency manager for WIT packages published to OCI registries')
    .version(`wit-deps ${VERSION}`, '-V, --version', 'print `wit-deps <version>`')
    .option('--json', 'print one JSON document on stdout')
    .option('-v, --verbose', 'print more detail, including the causes of errors')
    .option('-q, --quiet', 'no progress lines: results, warnings and errors only')
    .addOption(new Option('--color', 'force coloured output'))
    .addOption(new Option('--no-color', 'never colour output'))
    .option('-C, --dir <project>', 'run as if wit-deps was started in <project>')
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  program.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => (json ? undefined : io.stderr.write(text)),
    // commander's own usage errors echo what was typed (`--x=secret`): masked like every error
    outputError: (text, write) => write(safeText(text)),
  });
  program.exitOverride();
  // every subcommand's --help lists --json, -v, -q and --color too (inherited by `.command()`)
  program.configureHelp({ showGlobalOptions: true });
  for (const register of commandsFor(argv ?? [])) register(program, ctx);
  addExamples(program);
  for (const command of program.commands) exitOverrideDeep(command);
  return program;
}

function exitOverrideDeep(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideDeep(sub);
}

/**
 * Runs the CLI on `argv` (without the node and script entries) and returns the exit code.
 * `lineOptions` (clock, redraw interval of the progress line) are for tests.
 */
export async function main(
  argv: readonly string[],
  io: CliIo,
  lineOptions: StatusLineOptions = {},
): Promise<number> {
  const state: { program?: Command; terminal?: Terminal } = {};
  const getTerminal = (): Terminal => {
    const globals = state.program
      ? readGlobals(state.program)
      : { json: false, verbose: false, quiet: false, color: undefined };
    state.terminal ??= decideTerminal(io, globals);
    return state.terminal;
  };
  // `-C <dir>`: every command resolves relative paths (and finds its project) from there
  const startedIn: CliIo = {
    ...io,
    get cwd(): string {
      const dir = state.program?.opts<{ dir?: string }>().dir;
      return dir === undefined ? io.cwd : startedInDir(io.cwd, dir);
    },
  };
  const ctx = createContext(startedIn, getTerminal, lineOptions);
  // Ctrl-C erases the progress line at once: a second Ctrl-C exits without cleaning up.
  io.signal?.addEventListener('abort', () => ctx.endProgress(), { once: true });
  const program = buildProgram(io, ctx, argv.includes('--json'), argv);
  state.program = program;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    ctx.endProgress();
    return ctx.exitCode;
  } catch (error) {
    ctx.endProgress();
    return reportFailure(error, io, getTerminal, argv, program);
  }
}

const USAGE_HINT = 'run `wit-deps --help`, or `wit-deps <command> --help`';

/**
 * The message of a commander usage error. A command group run without its subcommand (`wit`,
 * `oci`, or nothing at all) makes commander print help and fail with its internal
 * `(outputHelp)`: say which command is missing instead.
 */
function usageMessage(error: CommanderError, program: Command, argv: readonly string[]): string {
  if (error.code !== 'commander.help') return error.message.replace(/^error: /, '');
  let command = program;
  const path = [program.name()];
  for (const arg of argv) {
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub === undefined) continue;
    command = sub;
    path.push(sub.name());
  }
  if (command === program) return 'no command given';
  const names = command.commands.map((c) => c.name()).filter((n) => n !== 'help');
  return `\`${path.join(' ')}\` needs a command: ${names.join(', ')}`;
}

function reportFailure(
  error: unknown,
  io: CliIo,
  getTerminal: () => Terminal,
  argv: readonly string[],
  program: Command,
): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with exit code 0; usage errors were already printed
    // (but not under --json, where the one document on stdout says what is wrong).
    if (error.exitCode === 0) return 0;
    const hint = USAGE_HINT;
    if (argv.includes('--json')) {
      const message = usageMessage(error, program, argv);
      io.stdout.write(renderErrorJson(new WitDepsError('ERR_USAGE', message, { hint })));
    } else if (error.code !== 'commander.help') io.stderr.write(`hint: ${hint}\n`);
    return 2;
  }
  const failure = io.signal?.aborted
    ? new WitDepsError('ERR_INTERRUPTED', 'interrupted', { cause: error })
    : toWitDepsError(error);
  const term = getTerminal();
  if (term.json) io.stdout.write(renderErrorJson(failure));
  else io.stderr.write(renderErrorHuman(failure, term));
  return failure.exitCode;
}
