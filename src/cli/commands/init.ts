/** `wit-deps init [--wit <dir>]`: a wit.toml from the project's WIT references. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .description("write a wit.toml listing the packages the project's wit/*.wit files reference")
    .option('-d, --wit-dir <dir>', 'the WIT folder, relative to where you run (default wit)')
    .option('--wit <dir>', 'the same as --wit-dir')
    .action(async (flags: { wit?: string; witDir?: string }) => {
      const { init } = await import('../../app/deps/init.js');
      const wit = flags.witDir ?? flags.wit;
      const result = await init({
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        ...(wit === undefined ? {} : { wit }),
      });
      ctx.emit({
        json: result,
        human: () =>
          [
            `wrote ${result.file}`,
            ...result.dependencies.map((d) => `  ${d.name} ${d.requirement}`),
            ...(result.dependencies.length === 0
              ? ['no dependencies yet: run `wit-deps add <ns:pkg>[@range]`']
              : []),
          ].join('\n'),
      });
    });
}
