/**
 * `wit-deps lock [--check]`: the Rust `wit-deps` tool's command, over `wit/deps.toml` only
 * (`install` runs deps.toml and the OCI dependencies together). `--check` never writes: it exits
 * 1 naming the folders and the lock that would change, 0 when nothing would. `-m/--manifest`,
 * `-l/--lock` and `--deps` are the Rust tool's flags (its `-d` is this tool's `--wit-dir`).
 */
import type { Command } from 'commander';
import { WitDepsError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { addWitDirOption, projectOf } from './project-flags.js';

interface LockFlags {
  check?: boolean;
  offline?: boolean;
  manifest?: string;
  lock?: string;
  deps?: string;
  witDir?: string;
  cacheDir?: string;
}

export function registerLock(program: Command, ctx: CommandContext): void {
  addWitDirOption(program.command('lock'))
    .description('install wit/deps.toml (the Rust wit-deps format) and write wit/deps.lock')
    .option('--check', 'write nothing; exit 1 if wit/deps or wit/deps.lock would change')
    .option('--offline', 'use only the cache; never touch the network')
    .option('-m, --manifest <file>', 'the deps.toml (default wit/deps.toml)')
    .option('-l, --lock <file>', 'the deps.lock (default next to deps.toml)')
    .option('--deps <dir>', 'the dependency folder (default wit/deps)')
    .option('--cache-dir <dir>', 'the shared cache folder (env WIT_DEPS_CACHE_DIR)')
    .action(async (flags: LockFlags) => {
      const { lockCommand } = await import('../../app/deps/rust-deps-install.js');
      const { cwd, witDir, cacheDir } = await projectOf(ctx, flags);
      const pick = <K extends 'manifest' | 'lock' | 'deps'>(k: K) =>
        flags[k] === undefined ? {} : { [k]: flags[k] };
      const result = await lockCommand({
        cwd,
        witDir,
        env: ctx.io.env,
        ...(cacheDir === undefined ? {} : { cacheDir }),
        ...pick('manifest'),
        ...pick('lock'),
        ...pick('deps'),
        check: flags.check === true,
        offline: flags.offline === true,
        ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
      });
      const changed = result.folders.filter((f) => f.status === 'written').map((f) => f.id);
      if (flags.check === true && (changed.length > 0 || result.lockChanged)) {
        const what = [
          ...changed.map((id) => `wit/deps/${id}`),
          ...(result.lockChanged ? ['wit/deps.lock'] : []),
        ];
        throw new WitDepsError('ERR_LOCKFILE_OUTDATED', `would change: ${what.join(', ')}`, {
          hint: 'run `wit-deps lock` and commit the result',
          details: { folders: changed, lock: result.lockChanged },
        });
      }
      ctx.emit({
        json: result,
        human: () =>
          `${result.folders.length} deps.toml folder${result.folders.length === 1 ? '' : 's'}, ` +
          `${changed.length} written; deps.lock ${result.lockWritten ? 'written' : 'unchanged'}`,
      });
    });
}
