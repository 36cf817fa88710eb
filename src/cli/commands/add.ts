/**
 * `wit-deps add <pkg>[@range]... [--registry <name>]` and `wit-deps add --path <dir> [pkg]`: add
 * to wit.toml, then install.
 */
import type { Command } from 'commander';
import type { ManageResult } from '../../app/deps/add-remove.js';
import type { CommandContext } from '../context.js';
import {
  addInstallOptions,
  installOptions,
  summary,
  warnBlocked,
  type InstallFlags,
} from './install.js';
import { projectOf } from './project-flags.js';

/** Human lines for a manifest change plus the install summary. */
export function manageSummary(result: ManageResult): string {
  const lines = result.changed.map((c) =>
    c.to === undefined
      ? `removed ${c.name}`
      : c.from === undefined
        ? `added ${c.name} ${c.to}`
        : c.from === c.to
          ? `${c.name} ${c.to} (unchanged)`
          : `${c.name}: ${c.from} -> ${c.to}`,
  );
  return [...lines, summary(result.install)].join('\n');
}

export function registerAdd(program: Command, ctx: CommandContext): void {
  addInstallOptions(
    program
      .command('add')
      .description(
        'add dependencies to wit.toml (latest version when no range is given) and install',
      )
      .argument('[packages...]', 'ns:pkg or ns:pkg@range, e.g. wasi:http@^0.2')
      .option('--registry <name>', 'the registry to take these packages from')
      .option(
        '--path <dir>',
        'add the WIT folder, .wit file or .wasm package at <dir> as a path dependency (its name is read from it when not given)',
      ),
  ).action(
    async (packages: string[], flags: InstallFlags & { registry?: string; path?: string }) => {
      const { addPackages } = await import('../../app/deps/add-remove.js');
      const result = await addPackages(packages, {
        ...installOptions(ctx, flags),
        ...(flags.registry === undefined ? {} : { registry: flags.registry }),
        ...(await projectOf(ctx, flags)),
      });
      warnBlocked(ctx, result.install);
      ctx.emit({ json: result, human: () => manageSummary(result) });
    },
  );
}
