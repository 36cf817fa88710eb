/** `wit-deps cache dir|ls|verify|clean`: the shared cache (docs/cli.md, "cache"). */
import type { Command } from 'commander';
import type { CacheListing, CacheOptions } from '../../app/cache-commands.js';
import type { CommandContext } from '../context.js';
import { formatBytes } from '../render/progress-format.js';

interface CacheFlags {
  cacheDir?: string;
}

function options(ctx: CommandContext, flags: CacheFlags): CacheOptions {
  return {
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
  };
}

const CACHE_DIR = [
  '--cache-dir <dir>',
  'the shared cache folder (env WIT_DEPS_CACHE_DIR)',
] as const;

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function renderListing(list: CacheListing): string {
  const lines = list.blobs.map(
    (b) =>
      `${b.digest}  ${formatBytes(b.size).padStart(9)}  ${new Date(b.usedAt).toISOString().slice(0, 10)}` +
      (b.packages.length > 0 ? `  ${b.packages.join(', ')}` : ''),
  );
  const r = list.records;
  lines.push(
    `${plural(list.blobs.length, 'blob')}, ${r.tags} tag lists, ${r.discovery} discovery records, ` +
      `${r.facts} package records, ${r.checks} WIT check records: ${formatBytes(list.bytes)} in ${list.root}`,
  );
  return lines.join('\n');
}

export function registerCache(program: Command, ctx: CommandContext): void {
  const cache = program
    .command('cache')
    .description('show, list, verify or clean the shared cache (no network)');
  cache
    .command('dir')
    .description('print the cache folder')
    .option(...CACHE_DIR)
    .action(async (flags: CacheFlags) => {
      const { cacheFolder } = await import('../../app/cache-commands.js');
      const root = cacheFolder(options(ctx, flags));
      ctx.emit({ json: { root }, human: () => root });
    });
  cache
    .command('ls')
    .description('list cached blobs (digest, size, last used, package) and records')
    .option(...CACHE_DIR)
    .action(async (flags: CacheFlags) => {
      const { cacheList } = await import('../../app/cache-commands.js');
      const list = await cacheList(options(ctx, flags));
      ctx.emit({ json: list, human: () => renderListing(list) });
    });
  cache
    .command('verify')
    .description('re-hash every cached blob and remove those that do not match')
    .option(...CACHE_DIR)
    .action(async (flags: CacheFlags) => {
      const { cacheVerify } = await import('../../app/cache-commands.js');
      const result = await cacheVerify(options(ctx, flags));
      for (const bad of result.removed) ctx.warn(`removed ${bad.digest}: ${bad.reason}`);
      ctx.emit({
        json: result,
        human: () => `${plural(result.checked, 'blob')} verified, ${result.removed.length} removed`,
      });
    });
  cache
    .command('clean')
    .description('remove cached entries (all, or those not used for --older-than)')
    .option('--older-than <age>', 'only entries not used for this long: 30d, 12h, 90m, 2w')
    .option(...CACHE_DIR)
    .action(async (flags: CacheFlags & { olderThan?: string }) => {
      const { cacheClean } = await import('../../app/cache-commands.js');
      const result = await cacheClean({
        ...options(ctx, flags),
        ...(flags.olderThan === undefined ? {} : { olderThan: flags.olderThan }),
      });
      ctx.emit({
        json: result,
        human: () =>
          `removed ${plural(result.blobs, 'blob')} and ${plural(result.records, 'record')} ` +
          `(${formatBytes(result.bytes)}) from ${result.root}`,
      });
    });
}
