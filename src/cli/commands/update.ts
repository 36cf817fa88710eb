/** `wit-deps update [pkg...] [--latest [--pinned]] [--wit [--dry-run]]`. */
import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { manageSummary } from './add.js';
import {
  addInstallOptions,
  installOptions,
  summary,
  warnBlocked,
  type InstallFlags,
} from './install.js';
import { projectOf } from './project-flags.js';

interface UpdateFlags extends InstallFlags {
  latest?: boolean;
  pinned?: boolean;
  wit?: boolean;
  dryRun?: boolean;
}

export function registerUpdate(program: Command, ctx: CommandContext): void {
  addInstallOptions(
    program
      .command('update')
      .alias('up')
      .description('re-resolve dependencies to the newest versions their ranges allow')
      .argument('[packages...]', 'only these packages (default: all); with --wit, pkg@version')
      .option('--latest', 'also raise requirements to the newest releases (operators kept)')
      .option('--pinned', 'with --latest: raise exact `=` pins too')
      .option('--wit', "move the @version references in the project's own .wit files")
      .option('--dry-run', 'with --wit: print the edits as a diff, write nothing'),
  ).action(async (packages: string[], flags: UpdateFlags) => {
    if (flags.wit === true) return updateWitAction(ctx, packages, flags);
    const { updatePackages } = await import('../../app/deps/add-remove.js');
    const result = await updatePackages(packages, {
      ...installOptions(ctx, flags),
      ...(await projectOf(ctx, flags)),
      ...(flags.latest === true ? { latest: true } : {}),
      ...(flags.pinned === true ? { pinned: true } : {}),
    });
    warnBlocked(ctx, result.install);
    const unmoved = (result.pinnedByWit ?? []).filter(
      (p) => !result.install.lockDiff.some((c) => c.name === p.name),
    );
    for (const p of unmoved)
      ctx.info(
        `${p.name}@${p.version} is pinned by the WIT (${p.at}): run \`wit-deps update --wit ${p.name}\` to move it`,
      );
    ctx.emit({
      json: result,
      human: () =>
        [...result.updated.map((line) => `updated ${line}`), manageSummary(result)].join('\n'),
    });
  });
}

async function updateWitAction(
  ctx: CommandContext,
  packages: string[],
  flags: UpdateFlags,
): Promise<void> {
  const { updateWit } = await import('../../app/deps/update-wit.js');
  const result = await updateWit(packages, {
    ...installOptions(ctx, flags),
    ...(await projectOf(ctx, flags)),
    ...(flags.latest === true ? { latest: true } : {}),
    ...(flags.dryRun === true ? { dryRun: true } : {}),
  });
  if (result.install !== undefined) warnBlocked(ctx, result.install);
  ctx.emit({
    json: result,
    human: () => {
      if (result.dryRun) return result.diff.length === 0 ? 'nothing to move' : result.diff;
      const moved = result.packages.map((p) => `${p.name}: ${p.from.join(', ')} -> ${p.to}`);
      const files = new Set(result.edits.map((e) => e.file)).size;
      const toml = result.manifest.map((m) => `wit.toml ${m.name}: ${m.from} -> ${m.to}`);
      const done =
        moved.length === 0
          ? 'the WIT references are at their newest versions'
          : `moved ${result.edits.length} reference${result.edits.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`;
      const installed = result.install === undefined ? [] : [summary(result.install)];
      return [
        ...moved,
        ...toml,
        ...result.updated.map((l) => `updated ${l}`),
        done,
        ...installed,
      ].join('\n');
    },
  });
}
