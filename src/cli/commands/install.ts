/**
 * `wit-deps install [--locked] [--frozen] [--offline] [--prefer-offline]`: thin command over
 * `app/deps/install.ts`. Prints a one-line summary (or the result under `--json`); progress on stderr
 * (a progress bar on a terminal, lines otherwise) unless `--quiet`/`--json`.
 */
import type { Command } from 'commander';
import type { InstallEvent, InstallResult } from '../../app/deps/install.js';
import {
  concurrencySetting,
  networkNumbers,
  type NetworkFlags,
} from '../../app/source/network-flags.js';
import { WitDepsError } from '../../errors.js';
import type { DuplicatePackage } from '../../app/deps/install.js';
import type { CommandContext } from '../context.js';
import { installProgress } from '../render/install-progress.js';
import { reportNetwork } from '../render/network-lines.js';
import { addWitDirOption, projectOf } from './project-flags.js';

/** Flags shared by install, update, add and remove. */
export interface InstallFlags {
  locked?: boolean;
  frozen?: boolean;
  offline?: boolean;
  preferOffline?: boolean;
  cacheDir?: string;
  config?: string;
  concurrency?: string;
  retries?: string;
  timeout?: string;
  deadline?: string;
  maxConnections?: string;
  maxTagPages?: string;
  witDir?: string;
}

/** The registry knobs of `wit-deps oci` that apply to every registry a command meets. */
export function addNetworkOptions(command: Command): Command {
  return command
    .option('--retries <n>', 'retries for failed requests (env WIT_DEPS_RETRIES, default 3)')
    .option('--timeout <seconds>', 'request timeout (env WIT_DEPS_TIMEOUT, default 30)')
    .option(
      '--deadline <seconds>',
      'time for all requests of the command, 0 for none (env WIT_DEPS_DEADLINE, default 1800)',
    )
    .option(
      '--max-connections <n>',
      'connections per registry (env WIT_DEPS_MAX_CONNECTIONS, default 8)',
    )
    .option(
      '--max-tag-pages <n>',
      'tag list pages to follow (env WIT_DEPS_MAX_TAG_PAGES, default 100)',
    );
}

/** Adds the install-family flags to a command (with the network knobs). */
export function addInstallOptions(command: Command): Command {
  return addNetworkOptions(addWitDirOption(command))
    .option('--locked', 'fail if wkg.lock would change')
    .option('--offline', 'use only the cache; never touch the network')
    .option('--frozen', 'both --locked and --offline')
    .option('--prefer-offline', 'use cached tag lists of any age; fetch only what the cache lacks')
    .option('--cache-dir <dir>', 'the shared cache folder (env WIT_DEPS_CACHE_DIR)')
    .option('--config <file>', 'the wasm-pkg config.toml (env WKG_CONFIG_FILE)')
    .option('--concurrency <n>', 'parallel fetches (env WIT_DEPS_CONCURRENCY, default 8)');
}

/** The network knobs given as flags; `networkNumbers` (the app's one check) validates them. */
function networkFlags(flags: InstallFlags, env: CommandContext['io']['env']): NetworkFlags {
  const { retries, timeout, deadline, maxConnections, maxTagPages } = flags;
  const given = {
    ...(retries === undefined ? {} : { retries }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(deadline === undefined ? {} : { deadline }),
    ...(maxConnections === undefined ? {} : { maxConnections }),
    ...(maxTagPages === undefined ? {} : { maxTagPages }),
  };
  networkNumbers(given, env);
  return given;
}

/** Turns flags into install options. */
export function installOptions(ctx: CommandContext, flags: InstallFlags) {
  const n = concurrencySetting(flags.concurrency, ctx.io.env);
  return {
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    ...(flags.locked === true ? { locked: true } : {}),
    ...(flags.frozen === true ? { frozen: true } : {}),
    ...(flags.offline === true ? { offline: true } : {}),
    ...(flags.preferOffline === true ? { preferOffline: true } : {}),
    ...(flags.cacheDir === undefined ? {} : { cacheDir: flags.cacheDir }),
    ...(flags.config === undefined ? {} : { config: flags.config }),
    ...(n === undefined ? {} : { concurrency: n }),
    network: networkFlags(flags, ctx.io.env),
    ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
    onEvent: installReporter(ctx),
  };
}

/**
 * Install events on stderr: on a terminal (see `Terminal.progress`) a redrawn progress line,
 * otherwise one line per download and per folder written (none under `--quiet`/`--json`); retries
 * as they happen, and with `-v` each request.
 */
export function installReporter(ctx: CommandContext): (event: InstallEvent) => void {
  const line = ctx.statusLine();
  const progress = line === undefined ? undefined : installProgress(line);
  return (e) => {
    if (e.kind === 'waiting-for-lock')
      ctx.info('waiting for another wit-deps process to finish in this project');
    else if (e.kind === 'network') reportNetwork(ctx, e.event);
    else if (e.kind === 'offline-versions')
      ctx.info(`resolved offline against cached versions of ${e.name}: ${e.versions.join(', ')}`);
    else if (progress !== undefined) progress(e);
    else if (e.kind === 'download') ctx.info(`downloaded ${e.id} (${e.bytes} bytes)`);
    else if (e.kind === 'write') ctx.info(`wrote ${e.folder}`);
  };
}

/**
 * The one-line human summary of an install (path packages count as packages): `up to date` first
 * when nothing was written, removed or changed in wkg.lock.
 */
export function summary(result: InstallResult): string {
  const all = [...result.packages, ...result.paths];
  // a WIT package that references no other package (wkg writes `packages = []`)
  if (all.length === 0 && result.removed.length === 0)
    return `nothing to install, ${result.lockWritten ? 'wkg.lock updated' : 'wkg.lock unchanged'}`;
  const written = all.filter((p) => p.status === 'written').length;
  const fromPaths = result.paths.length > 0 ? ` (${result.paths.length} from a path)` : '';
  const blocked = all.some((p) => p.status === 'blocked');
  const unchanged = written === 0 && result.removed.length === 0 && result.takenOver.length === 0;
  if (unchanged && !result.lockWritten && !blocked)
    return [
      `up to date: ${all.length} package${all.length === 1 ? '' : 's'}${fromPaths}`,
      `${result.requests} requests`,
      `${(result.durationMs / 1000).toFixed(2)} s`,
    ].join(', ');
  const parts = [
    `${all.length} package${all.length === 1 ? '' : 's'} installed${fromPaths}`,
    `${written} written`,
    ...takeoverNote(result),
    ...(result.removed.length > 0 ? [`${result.removed.length} removed`] : []),
    `${result.lockWritten ? 'wkg.lock updated' : 'wkg.lock unchanged'}${staleNote(result)}`,
    `${result.requests} requests`,
    `${(result.durationMs / 1000).toFixed(2)} s`,
  ];
  return parts.join(', ');
}

/** `adopted 6 folders written by wkg`, `replaced 1`: folders another tool wrote, taken over. */
function takeoverNote(result: InstallResult): string[] {
  const adopted = result.takenOver.filter((t) => t.action === 'adopted').length;
  const replaced = result.takenOver.length - adopted;
  return [
    ...(adopted > 0 ? [`adopted ${adopted} folder${adopted === 1 ? '' : 's'} written by wkg`] : []),
    ...(replaced > 0 ? [`replaced ${replaced}`] : []),
  ];
}

/** ` (removed 1 stale lock entry: wasi:logging@0.1.0)`: entries of wkg.lock no requirement matches. */
function staleNote(result: InstallResult): string {
  const stale = result.staleLockEntries;
  if (stale.length === 0) return '';
  const shown = stale.slice(0, 3).map((e) => `${e.name}@${e.version}`);
  if (stale.length > 3) shown.push(`${stale.length - 3} more`);
  const entries = stale.length === 1 ? 'entry' : 'entries';
  return ` (removed ${stale.length} stale lock ${entries}: ${shown.join(', ')})`;
}

/**
 * `wasi:io is installed at 2 versions, as no one version satisfies every requirement: 0.2.3
 * (~0.2.3 by wit.toml), 0.2.0 (=0.2.0 by wasi:clocks@0.2.0)`; at most three requirers a version.
 */
export function describeDuplicate(d: DuplicatePackage): string {
  const versions = d.versions.map((v) => {
    const shown = v.requiredBy.slice(0, 3).map((r) => `${r.requirement} by ${r.by}`);
    if (v.requiredBy.length > 3) shown.push(`${v.requiredBy.length - 3} more`);
    return `${v.version} (${shown.join(', ')})`;
  });
  return `${d.name} is installed at ${d.versions.length} versions, as no one version satisfies every requirement: ${versions.join(', ')}`;
}

/**
 * Warns (stderr) about wanted folders that exist but were not created by wit-deps (they are left
 * alone, so the package is not installed until the folder is moved away), and about packages
 * installed at several versions because no one version satisfies every requirement.
 */
export function warnBlocked(ctx: CommandContext, result: InstallResult): void {
  for (const b of [...result.packages, ...result.paths].filter((p) => p.status === 'blocked'))
    ctx.warn(
      `wit/deps/${b.folder} exists and was not created by wit-deps: left alone, ${b.id} not installed\nhint: move the folder away (or delete it) and run \`wit-deps install\``,
    );
  for (const t of result.takenOver.filter((x) => x.action === 'replaced'))
    ctx.info(
      t.folder === t.installedAs
        ? `replaced wit/deps/${t.folder} (not written by wit-deps) with ${t.id} as published`
        : `replaced wit/deps/${t.folder} (a copy of ${t.id} not written by wit-deps) with wit/deps/${t.installedAs}`,
    );
  const w = result.witProblem;
  if (w !== undefined)
    ctx.warn(
      `${w.message}${w.rendered === undefined ? '' : `\n${w.rendered.split('\n').slice(1).join('\n')}`}\nhint: ${w.hint}`,
    );
  for (const d of result.duplicates)
    ctx.warn(
      `${describeDuplicate(d)}\nhint: run \`wit-deps tree\` to see who uses each; a requirement in wit.toml that allows one version for all lets them share it`,
    );
}

export function registerInstall(program: Command, ctx: CommandContext): void {
  addInstallOptions(
    program
      .command('install')
      .alias('i')
      .description('install the dependencies of wit.toml into wit/deps and write wkg.lock')
      .argument('[packages...]', 'none: to add a package, run `wit-deps add <pkg>`'),
  ).action(async (packages: string[], flags: InstallFlags) => {
    if (packages.length > 0)
      throw new WitDepsError('ERR_USAGE', '`install` takes no package names', {
        hint: `to add a package to wit.toml and install it, run \`wit-deps add ${packages.join(' ')}\``,
      });
    const { install } = await import('../../app/deps/install.js');
    const result = await install({
      ...installOptions(ctx, flags),
      ...(await projectOf(ctx, flags)),
    });
    warnBlocked(ctx, result);
    ctx.emit({ json: result, human: () => summary(result) });
  });
}
