/**
 * The errors of the cache as data, and the one place their message and hint are written. Pure.
 */
import { errorMaker, errorVariant, type VariantsOf } from '../errors.js';
// The emitted .d.ts names `Variant` (the type of each table entry) and needs it imported.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
import type { Variant } from '../errors.js';

const table = {
  'cache-dir-empty': errorVariant('ERR_USAGE', (_: Record<string, never>) => ({
    message: '--cache-dir is empty',
    hint: 'pass a folder (`--cache-dir <dir>`), or leave the flag out to use the default cache',
  })),
  'digest-unsupported': errorVariant('ERR_INTEGRITY_MISMATCH', (d: { digest: string }) => ({
    message: `digest \`${d.digest}\` is not a sha256 digest`,
    hint: 'only `sha256:<64 hex>` digests are supported',
  })),
  'cache-entry-unreadable': errorVariant('ERR_CACHE', (d: { path: string }) => ({
    message: `cache entry \`${d.path}\` could not be read`,
    hint: 'check the permissions of the cache folder or pass `--cache-dir`',
  })),
  'content-digest-mismatch': errorVariant(
    'ERR_INTEGRITY_MISMATCH',
    (d: { expected: string; actual: string }) => ({
      message: `content has digest \`${d.actual}\`, expected \`${d.expected}\``,
      hint: 'the registry served different bytes than it advertised; retry, or check the registry',
    }),
  ),
};

export type CacheVariants = VariantsOf<typeof table>;

declare module '../errors.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ErrorVariants extends CacheVariants {}
}

/** Raises an error of `cache/`: `cacheError('cache-entry-unreadable', { path })`. */
export const cacheError = errorMaker(table);
