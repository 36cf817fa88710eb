/**
 * `wit-deps vendor [dir]`: thin command over `app/deps/vendor.ts`. Writes every locked package into
 * OCI image layouts under `dir` (default `vendor/oci`), for builds with no cache and no network.
 */
import type { Command } from 'commander';
import type { VendorResult } from '../../app/deps/vendor.js';
import type { CommandContext } from '../context.js';
import { addInstallOptions, installOptions, type InstallFlags } from './install.js';

/** The one-line human summary. */
function summary(result: VendorResult): string {
  const written = result.packages.filter((p) => p.status === 'written').length;
  const parts = [`${result.packages.length} locked package versions in ${result.dir}`];
  parts.push(written === 0 ? 'unchanged' : `${written} written`);
  if (result.removed.length > 0) parts.push(`removed ${result.removed.join(', ')}`);
  return `${parts.join(', ')} (${result.requests} requests)`;
}

export function registerVendor(program: Command, ctx: CommandContext): void {
  addInstallOptions(
    program
      .command('vendor [dir]')
      .description(
        'write every locked package as published into OCI image layouts (default vendor/oci), so install --frozen needs no cache and no network',
      ),
  ).action(async (dir: string | undefined, flags: InstallFlags) => {
    const { vendor } = await import('../../app/deps/vendor.js');
    const result = await vendor({
      ...installOptions(ctx, flags),
      ...(dir === undefined ? {} : { dir }),
    });
    ctx.emit({ json: result, human: () => summary(result) });
  });
}
