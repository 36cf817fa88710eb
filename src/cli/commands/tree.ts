/** `wit-deps tree`: the resolved dependency tree. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addNetworkOptions, installOptions, type InstallFlags } from './install.js';
import { addWitDirOption, projectOf } from './project-flags.js';

export function registerTree(program: Command, ctx: CommandContext): void {
  addNetworkOptions(addWitDirOption(program.command('tree')))
    .description('print the dependency tree (from the lock and cache when they suffice)')
    .option('--offline', 'use only the cache')
    .option('--cache-dir <dir>', 'the shared cache folder (env WIT_DEPS_CACHE_DIR)')
    .option('--config <file>', 'the wasm-pkg config.toml (env WKG_CONFIG_FILE)')
    .action(async (flags: InstallFlags) => {
      const { renderTree, tree } = await import('../../app/deps/tree.js');
      const result = await tree({
        ...installOptions(ctx, flags),
        ...(await projectOf(ctx, flags)),
      });
      const paths = result.paths.map((p) => ({ ...p, requirement: `path ${p.path}` }));
      ctx.emit({
        json: result,
        human: () =>
          [renderTree(result.roots), renderTree(paths)].filter((l) => l !== '').join('\n'),
      });
    });
}
