/** `wit-deps remove <pkg>...`: remove from wit.toml, then install (stale folders go). */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { manageSummary } from './add.js';
import { addInstallOptions, installOptions, warnBlocked, type InstallFlags } from './install.js';
import { projectOf } from './project-flags.js';

export function registerRemove(program: Command, ctx: CommandContext): void {
  addInstallOptions(
    program
      .command('remove')
      .alias('rm')
      .description('remove dependencies from wit.toml and from wit/deps')
      .argument('<packages...>', 'ns:pkg'),
  ).action(async (packages: string[], flags: InstallFlags) => {
    const { removePackages } = await import('../../app/deps/add-remove.js');
    const result = await removePackages(packages, {
      ...installOptions(ctx, flags),
      ...(await projectOf(ctx, flags)),
    });
    warnBlocked(ctx, result.install);
    ctx.emit({ json: result, human: () => manageSummary(result) });
  });
}
