/**
 * The project a command works on: `-d/--wit-dir <dir>` (wkg's flag) names the WIT folder; the
 * project root is found from where the command runs (after the global `-C <dir>`) by the app
 * (`commandProject`), so `add` edits the root's wit.toml and install takes the root's lock from
 * any subfolder, while relative `--cache-dir`, `--config` and `add --path` paths keep meaning
 * what they meant where the user ran the command.
 */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** Adds `-d/--wit-dir <dir>`. */
export function addWitDirOption(command: Command): Command {
  return command.option(
    '-d, --wit-dir <dir>',
    'the WIT folder, relative to where you run (default: wit, or a folder holding *.wit and wkg.lock)',
  );
}

/** The flags {@link projectOf} reads. */
export interface ProjectFlags {
  witDir?: string;
  cacheDir?: string;
  config?: string;
  path?: string;
}

/** `cwd` (the project root), `witDir` and the path flags for the app. */
export async function projectOf(
  ctx: CommandContext,
  flags: ProjectFlags,
): Promise<{ cwd: string; witDir: string; cacheDir?: string; config?: string; path?: string }> {
  const { commandProject } = await import('../../app/project/project-location.js');
  const { witDir, cacheDir, config, path } = flags;
  return commandProject({
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    ...(witDir === undefined ? {} : { witDir }),
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...(config === undefined ? {} : { config }),
    ...(path === undefined ? {} : { path }),
  });
}
