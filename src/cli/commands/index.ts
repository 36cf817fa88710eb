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

/** Every command of the CLI, in the order `--help` lists them. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerInit,
  registerInstall,
  registerLock,
  registerAdd,
  registerRemove,
  registerUpdate,
  registerOutdated,
  registerTree,
  registerVerify,
  registerCache,
  registerVendor,
  registerPublish,
  registerLogin,
  registerOci,
  registerWitPrint,
  registerWitText,
];
