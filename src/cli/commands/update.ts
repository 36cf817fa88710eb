/** `wit-deps update [pkg...] [--latest]`: re-resolve ignoring the lock (within ranges). */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { manageSummary } from './add.js';
import { addInstallOptions, installOptions, warnBlocked, type InstallFlags } from './install.js';
import { projectOf } from './project-flags.js';

export function registerUpdate(program: Command, ctx: CommandContext): void {
  addInstallOptions(
    program
      .command('update')
      .alias('up')
      .description('re-resolve dependencies to the newest versions their ranges allow')
      .argument('[packages...]', 'only these packages (default: all)')
      .option('--latest', 'also raise ranges in wit.toml to the latest stable versions'),
  ).action(async (packages: string[], flags: InstallFlags & { latest?: boolean }) => {
    const { updatePackages } = await import('../../app/manage.js');
    const { describeLockChange } = await import('../../resolve/lock-diff.js');
    const result = await updatePackages(packages, {
      ...installOptions(ctx, flags),
      ...(await projectOf(ctx, flags)),
      ...(flags.latest === true ? { latest: true } : {}),
    });
    warnBlocked(ctx, result.install);
    ctx.emit({
      json: result,
      human: () =>
        [
          ...result.install.lockDiff.map((c) => `updated ${describeLockChange(c)}`),
          manageSummary(result),
        ].join('\n'),
    });
  });
}
