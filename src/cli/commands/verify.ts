/** `wit-deps verify`: check wit/deps and the cache against wkg.lock, offline. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { addWitDirOption, projectOf } from './project-flags.js';

export function registerVerify(program: Command, ctx: CommandContext): void {
  addWitDirOption(program.command('verify'))
    .description(
      'check wit/deps (and the cache or vendor/oci when they hold a package) against wkg.lock (no network)',
    )
    .option('--cache-dir <dir>', 'the shared cache folder (env WIT_DEPS_CACHE_DIR)')
    .action(async (flags: { cacheDir?: string; witDir?: string }) => {
      const { verify } = await import('../../app/deps/verify.js');
      const result = await verify({
        env: ctx.io.env,
        ...(await projectOf(ctx, flags)),
        ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
      });
      ctx.emit({
        json: result,
        human: () =>
          `${plural(result.checked, 'locked package')} verified` +
          (result.paths > 0 ? `, ${plural(result.paths, 'path package')}` : ''),
      });
    });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
