/**
 * A run that names one command registers only that command (start-up time): the commands chosen
 * for an argv, and the same help, errors and usage messages as with every command registered.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandsFor, COMMANDS } from '../../../src/cli/commands/index.js';
import { createContext } from '../../../src/cli/context.js';
import { bufferIo } from '../../../src/cli/io.js';
import { buildProgram, main } from '../../../src/cli/main.js';
import { decideTerminal } from '../../../src/cli/terminal.js';

const NAMES = ['wit', 'oci', 'cache', 'install', 'i', 'rm', 'up', 'logout', 'vendor', 'publish'];

/** The top-level command names a program built for `argv` has. */
function registered(argv: readonly string[]): string[] {
  const io = bufferIo();
  const globals = { json: false, verbose: false, quiet: false, color: undefined };
  const ctx = createContext(io, () => decideTerminal(io, globals));
  return buildProgram(io, ctx, false, argv).commands.map((c) => c.name());
}

/** What `main(argv)` prints (the program built for that argv): exit code, stdout, stderr. */
async function viaMain(argv: readonly string[]): Promise<[number, string, string]> {
  const io = bufferIo();
  const code = await main(argv, io);
  return [code, io.out(), io.err()];
}

/** What commander prints for `argv` on a program with every command registered. */
async function viaEveryCommand(argv: readonly string[]): Promise<[string, string]> {
  const io = bufferIo();
  const globals = { json: false, verbose: false, quiet: false, color: undefined };
  const ctx = createContext(io, () => decideTerminal(io, globals));
  const program = buildProgram(io, ctx, argv.includes('--json'));
  await program.parseAsync([...argv], { from: 'user' }).catch(() => undefined);
  return [io.out(), io.err()];
}

describe('commands registered for a run', () => {
  it('registers the named command alone, after global options', () => {
    expect(registered(['install'])).toEqual(['install']);
    expect(registered(['-q', '--json', '-C', 'app', 'i', '--frozen'])).toEqual(['install']);
    expect(registered(['--dir=app', 'wit', 'print', 'x.wasm'])).toEqual(['wit']);
    expect(registered(['logout', 'ghcr.io'])).toEqual(['login', 'logout']);
  });

  it('lists, for every command, the names and aliases it registers', () => {
    for (const [names, register] of COMMANDS) {
      const io = bufferIo();
      const globals = { json: false, verbose: false, quiet: false, color: undefined };
      const ctx = createContext(io, () => decideTerminal(io, globals));
      const probe = new Command('wit-deps');
      register(probe, ctx);
      const made = probe.commands.flatMap((c) => [c.name(), ...c.aliases()]);
      expect({ names, made: made.sort() }).toEqual({ names, made: [...names].sort() });
    }
  });

  it('registers every command for help, no command, an unknown word or an unknown option', () => {
    const all = registered([]);
    expect(all.length).toBeGreaterThan(10);
    for (const argv of [['--help'], ['help', 'install'], ['instal'], ['-x', 'install'], ['-C']])
      expect(registered(argv)).toEqual(all);
    expect(commandsFor(['frobnicate'])).toHaveLength(COMMANDS.length);
  });

  it.each(NAMES)(
    'prints the same help and usage errors for `%s` as with every command',
    async (name) => {
      for (const argv of [
        [name, '--help'],
        [name, '--bogus'],
      ]) {
        const [code, out, err] = await viaMain(argv);
        const [allOut, allErr] = await viaEveryCommand(argv);
        expect(code).toBe(argv.includes('--help') ? 0 : 2);
        expect(out).toBe(allOut);
        // main adds its hint line after commander's message
        expect(err.startsWith(allErr)).toBe(true);
        expect(out + allErr).not.toBe('');
      }
    },
  );
});
