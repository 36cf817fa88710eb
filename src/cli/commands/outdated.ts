/** `wit-deps outdated`: current / wanted / latest per dependency. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addNetworkOptions, installOptions, type InstallFlags } from './install.js';
import { addWitDirOption, projectOf } from './project-flags.js';

export function registerOutdated(program: Command, ctx: CommandContext): void {
  addNetworkOptions(addWitDirOption(program.command('outdated')))
    .description('show current, wanted and latest versions of the dependencies')
    .option('--offline', 'use only cached tag lists')
    .option('--prefer-offline', 'use cached tag lists of any age')
    .option('--cache-dir <dir>', 'the shared cache folder (env WIT_DEPS_CACHE_DIR)')
    .option('--config <file>', 'the wasm-pkg config.toml (env WKG_CONFIG_FILE)')
    .action(async (flags: InstallFlags) => {
      const { outdated } = await import('../../app/report.js');
      const result = await outdated({
        ...installOptions(ctx, flags),
        ...(await projectOf(ctx, flags)),
      });
      ctx.emit({
        json: result,
        human: () => {
          const rows = [['package', 'requirement', 'current', 'wanted', 'latest']];
          for (const r of result.packages)
            rows.push([r.name, r.requirement, r.current ?? '-', r.wanted ?? '-', r.latest ?? '-']);
          const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
          return rows
            .map((row) =>
              row
                .map((c, i) => c.padEnd(widths[i]!))
                .join('  ')
                .trimEnd(),
            )
            .join('\n');
        },
      });
    });
}
