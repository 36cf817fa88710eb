/**
 * `wit-deps wit check [path]` and `wit-deps wit build [path] [-o <file.wasm>]` under the shared,
 * found-or-created `wit` parent command. Without a path both read the project's WIT folder
 * (`[package] wit` in wit.toml, else `wit`).
 */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

function witCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'wit') ??
    program.command('wit').description('work with WIT packages (print, check, build)')
  );
}

interface FeatureFlags {
  features?: string;
  allFeatures?: boolean;
}

function featureOptions(opts: FeatureFlags): { features?: string[]; allFeatures?: boolean } {
  return {
    ...(opts.features === undefined
      ? {}
      : { features: opts.features.split(',').map((f) => f.trim()) }),
    ...(opts.allFeatures === true ? { allFeatures: true } : {}),
  };
}

export function registerWitText(program: Command, ctx: CommandContext): void {
  const wit = witCommand(program);
  wit
    .command('check')
    .description(
      'parse and resolve a .wit file or WIT folder (with its deps/), reporting the first error',
    )
    .argument('[path]', "a .wit file or a WIT folder (default: the project's WIT folder)")
    .option('--features <list>', 'comma-separated features enabling @unstable items')
    .option('--all-features', 'enable every @unstable feature')
    .action(async (path: string | undefined, opts: FeatureFlags) => {
      const { witCheck } = await import('../../app/wit/text.js');
      const result = await witCheck({
        ...(path === undefined ? {} : { path }),
        cwd: ctx.io.cwd,
        ...featureOptions(opts),
      });
      ctx.emit({
        json: result,
        human: () =>
          `${result.package}: ${result.interfaces.length} interface(s), ${result.worlds.length} world(s) ok`,
      });
    });
  wit
    .command('build')
    .description('encode the main package of a .wit file or WIT folder as a binary WIT package')
    .argument('[path]', "a .wit file or a WIT folder (default: the project's WIT folder)")
    .option(
      '-o, --output <file>',
      'where to write the .wasm package (default: <ns>-<name>-<version>.wasm)',
    )
    .option('--features <list>', 'comma-separated features enabling @unstable items')
    .option('--all-features', 'enable every @unstable feature')
    .action(async (path: string | undefined, opts: FeatureFlags & { output?: string }) => {
      const { witBuild } = await import('../../app/wit/text.js');
      const result = await witBuild({
        ...(path === undefined ? {} : { path }),
        cwd: ctx.io.cwd,
        ...(opts.output === undefined ? {} : { output: opts.output }),
        ...featureOptions(opts),
      });
      ctx.emit({
        json: result,
        human: () => `wrote ${result.package} to ${result.output} (${result.size} bytes)`,
      });
    });
}
