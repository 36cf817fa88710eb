/**
 * The command table: each command lives in its own file and registers itself on the program.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { registerAdd } from './add.js';
import { registerCache } from './cache.js';
import { registerInit } from './init.js';
import { registerInstall } from './install.js';
import { registerLock } from './lock.js';
import { registerOutdated } from './outdated.js';
import { registerRemove } from './remove.js';
import { registerTree } from './tree.js';
import { registerUpdate } from './update.js';
import { registerVendor } from './vendor.js';
import { registerVerify } from './verify.js';
import { registerOci } from './oci.js';
import { registerPublish } from './publish.js';
import { registerLogin } from './login.js';
import { registerWitPrint } from './wit-print.js';
import { registerWitText } from './wit-text.js';

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/**
 * Every command of the CLI, in the order `--help` lists them, with the names (and aliases) it
 * registers: a run that names one command registers only that one (`commandsFor`).
 */
export const COMMANDS: readonly (readonly [names: readonly string[], register: RegisterCommand])[] =
  [
    [['init'], registerInit],
    [['install', 'i'], registerInstall],
    [['lock'], registerLock],
    [['add'], registerAdd],
    [['remove', 'rm'], registerRemove],
    [['update', 'up'], registerUpdate],
    [['outdated'], registerOutdated],
    [['tree'], registerTree],
    [['verify'], registerVerify],
    [['cache'], registerCache],
    [['vendor'], registerVendor],
    [['publish'], registerPublish],
    [['login', 'logout'], registerLogin],
    [['oci'], registerOci],
    [['wit'], registerWitPrint],
    [['wit'], registerWitText],
  ];

/** The program's own options: flags, and those that take a value. */
const GLOBAL_FLAGS = new Set([
  '--json',
  '-v',
  '--verbose',
  '-q',
  '--quiet',
  '--color',
  '--no-color',
]);
const GLOBAL_VALUES = new Set(['-C', '--dir']);

/**
 * The commands to register for `argv`: when `argv` is global options followed by a command's
 * name, that command alone (its parse, help and errors are the same with or without the others;
 * building all of them is a good part of a short command's start-up); anything else (`--help`,
 * `help`, no command, a typo that wants "did you mean") gets every command.
 */
export function commandsFor(argv: readonly string[]): RegisterCommand[] {
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (GLOBAL_FLAGS.has(arg) || arg.startsWith('--dir=')) i += 1;
    else if (GLOBAL_VALUES.has(arg)) i += 2;
    else break;
  }
  const name = argv[i];
  const named = COMMANDS.filter(([names]) => name !== undefined && names.includes(name));
  return (named.length > 0 ? named : COMMANDS).map(([, register]) => register);
}
