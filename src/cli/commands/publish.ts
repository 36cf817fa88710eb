/**
 * `wit-deps publish [dir]`: thin command over `app/oci/publish.ts`. Prints the reference and digests
 * (with `--dry-run` also the config and annotations), or the result under `--json`.
 */
import type { Command } from 'commander';
import type { PublishResult } from '../../app/oci/publish.js';
import type { CommandContext } from '../context.js';
import { printable, printableLine } from '../render/printable.js';
import { addNetworkOptions, installOptions, type InstallFlags } from './install.js';

interface PublishFlags extends InstallFlags {
  registry?: string;
  force?: boolean;
  dryRun?: boolean;
}

const DESCRIPTION = [
  "build the project's WIT package and push it to its registry",
  'The package is the `package` header of the WIT folder (`[package]` in wit.toml must agree), resolved against wit/deps first. Every @unstable feature gate is kept: gated items stay in the published binary, as wkg publishes them.',
  'The reference comes from the same registry mapping as `install` ([registries], config.toml, .well-known), so both agree on where a package lives. An existing version tag is never moved without --force.',
  'SOURCE_DATE_EPOCH (else the commit time of a clean git checkout) fixes the creation time: the same input gives the same digest.',
].join('\n\n');

function human(result: PublishResult): string {
  const verb = { pushed: 'published', unchanged: 'already published', 'dry-run': 'would publish' };
  const lines = [
    `${verb[result.status]} ${result.package} to ${result.reference}`,
    `  manifest ${result.manifestDigest}`,
    `  layer    ${result.layerDigest} (${result.size} bytes)`,
    `  config   ${result.configDigest}`,
  ];
  if (result.status === 'dry-run') {
    for (const [k, v] of Object.entries(result.annotations))
      lines.push(`  annotation ${printableLine(k)}=${printableLine(v)}`);
    lines.push(`  config JSON ${JSON.stringify(result.config, null, 2).replace(/\n/g, '\n  ')}`);
  }
  return printable(lines.join('\n'));
}

export function registerPublish(program: Command, ctx: CommandContext): void {
  addNetworkOptions(
    program
      .command('publish')
      .summary("build the project's WIT package and push it to its registry")
      .description(DESCRIPTION)
      .argument('[dir]', 'the project folder (default: where you run)'),
  )
    .option('-d, --wit-dir <dir>', 'the WIT folder, relative to the project (default: wit)')
    .option('--registry <host[/prefix]>', 'push to this registry instead of the mapped one')
    .option('--dry-run', 'print the reference, config, annotations and digests; push nothing')
    .option('--force', 'move an existing version tag')
    .option('--cache-dir <dir>', 'the shared cache folder (env WIT_DEPS_CACHE_DIR)')
    .option('--config <file>', 'the wasm-pkg config.toml (env WKG_CONFIG_FILE)')
    .action(async (dir: string | undefined, flags: PublishFlags) => {
      const [{ publish }, { commandProject }] = await Promise.all([
        import('../../app/oci/publish.js'),
        import('../../app/project/project-location.js'),
      ]);
      const cwd = dir === undefined ? ctx.io.cwd : inDir(ctx.io.cwd, dir);
      const { onEvent: _unused, ...options } = installOptions(ctx, flags);
      const project = await commandProject({
        cwd,
        env: ctx.io.env,
        ...(flags.witDir === undefined ? {} : { witDir: flags.witDir }),
        ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
        ...(flags.config === undefined ? {} : { config: flags.config }),
      });
      const result = await publish({
        ...options,
        ...project,
        ...(flags.registry === undefined ? {} : { registry: flags.registry }),
        force: flags.force === true,
        dryRun: flags.dryRun === true,
        onWarning: (text) => ctx.warn(text),
      });
      ctx.emit({ json: result, human: () => human(result) });
    });
}

/**
 * `dir` against the working directory (`node:path` is not loaded at startup; the app normalises
 * the result): an absolute `dir` as given, else appended to `cwd`.
 */
function inDir(cwd: string, dir: string): string {
  if (/^([\\/]|[A-Za-z]:[\\/])/.test(dir)) return dir;
  return `${cwd.replace(/[\\/]+$/, '')}/${dir}`;
}
