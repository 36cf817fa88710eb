/** `wit-deps outdated [--all] [--exit-code]`: current / wanted / latest per package in use. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addNetworkOptions, installOptions, type InstallFlags } from './install.js';
import { addWitDirOption, projectOf } from './project-flags.js';

interface OutdatedFlags extends InstallFlags {
  all?: boolean;
  exitCode?: boolean;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function registerOutdated(program: Command, ctx: CommandContext): void {
  addNetworkOptions(addWitDirOption(program.command('outdated')))
    .description(
      'show the packages with newer versions: current, wanted, latest and where each comes from',
    )
    .option('--all', 'list every package in use, not only the outdated ones')
    .option('--exit-code', 'exit with 1 when a package is outdated (for CI)')
    .option('--offline', 'use only cached tag lists')
    .option('--prefer-offline', 'use cached tag lists of any age')
    .option('--cache-dir <dir>', 'the shared cache folder (env WIT_DEPS_CACHE_DIR)')
    .option('--config <file>', 'the wasm-pkg config.toml (env WKG_CONFIG_FILE)')
    .action(async (flags: OutdatedFlags) => {
      const { outdated } = await import('../../app/deps/outdated.js');
      const result = await outdated({
        ...installOptions(ctx, flags),
        ...(await projectOf(ctx, flags)),
        ...(flags.all === true ? { all: true } : {}),
      });
      if (flags.exitCode === true && result.outdated > 0) ctx.exitCode = 1;
      ctx.emit({
        json: result,
        human: () => {
          if (result.packages.length === 0) return 'every package is at its newest version';
          const rows = [['package', 'current', 'wanted', 'latest', 'source']];
          for (const r of result.packages)
            rows.push([r.name, r.current ?? '-', r.wanted ?? '-', r.latest ?? '-', r.source]);
          const notes = [
            ...new Set(
              result.packages.flatMap((r) =>
                r.note === undefined ? [] : [`${r.name}: ${r.note}`],
              ),
            ),
          ];
          return [table(rows), ...notes].join('\n');
        },
      });
    });
}
