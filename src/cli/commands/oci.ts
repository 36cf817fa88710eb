/**
 * `wit-deps oci pull|push|inspect|tags`: thin commands over `app/oci/artifacts.ts`. Each parses its flags,
 * calls one use case and renders the result (`--json`: the result object).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import type * as OciApp from '../../app/oci/artifacts.js';
import type { OciEvent, OciRequest } from '../../app/oci/artifacts.js';
import type { NetworkFlags } from '../../app/source/network-settings.js';
import { WitDepsError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { printable, printableLine } from '../render/printable.js';
import { reportNetwork } from '../render/network-lines.js';

/** The use cases, loaded when an `oci` command runs (the OCI client is not needed at startup). */
const ociApp = (): Promise<typeof OciApp> => import('../../app/oci/artifacts.js');

function addNetworkOptions(command: Command): Command {
  return command
    .option('--insecure', 'use plain http for this registry (env WIT_DEPS_INSECURE_REGISTRIES)')
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
      'tag list pages read at most (env WIT_DEPS_MAX_TAG_PAGES, default 100)',
    )
    .option('--username <name>', 'registry user (with --password)')
    .addOption(
      new Option(
        '--password <password>',
        'registry password (prefer WIT_DEPS_REGISTRY_<HOST>_PASSWORD)',
      ),
    )
    .addOption(
      new Option(
        '--token <token>',
        'registry bearer token (prefer WIT_DEPS_REGISTRY_<HOST>_TOKEN)',
      ),
    );
}

/**
 * Runs an `oci` use case. A registry that wants credentials none were sent for gets the hint's
 * `oci`-only way too: `--username`/`--password` or `--token` (the shared hint leaves them out,
 * since `install` and the other project commands do not take them).
 */
async function withCredentialFlags<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (
      !(error instanceof WitDepsError) ||
      error.code !== 'ERR_REGISTRY_UNAUTHORIZED' ||
      error.details['credentials'] !== undefined
    )
      throw error;
    throw new WitDepsError(error.code, error.message, {
      hint: `${error.hint ?? 'log in'}, or pass \`--username\`/\`--password\` or \`--token\``,
      cause: error.cause,
      details: error.details,
    });
  }
}

function request(ctx: CommandContext, ref: string, flags: NetworkFlags): OciRequest {
  return {
    ref,
    cwd: ctx.io.cwd,
    env: ctx.io.env,
    flags,
    ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
    onEvent: (event: OciEvent) => reportNetwork(ctx, event),
  };
}

function ociCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'oci') ??
    program
      .command('oci')
      .description('pull, push and inspect Wasm OCI artifacts in registries and OCI layouts')
  );
}

function registerPull(oci: Command, ctx: CommandContext): void {
  addNetworkOptions(
    oci
      .command('pull')
      .description('download the Wasm layer of an artifact')
      .argument('<ref>', 'host/repo:tag, host/repo@sha256:..., or oci-layout:<dir>:<tag>'),
  )
    .option(
      '-o, --output <file>',
      'where to write the .wasm: a file, a folder (the default name in it), or - for stdout (default: the layer title)',
    )
    .option('--force', 'replace the file if it exists')
    .action(async (ref: string, opts: NetworkFlags & { output?: string; force?: boolean }) => {
      const toStdout = opts.output === '-';
      if (toStdout && ctx.terminal().json)
        throw new WitDepsError('ERR_USAGE', '`-o -` and `--json` both write to stdout', {
          hint: 'drop `--json`, or name a file with `-o <file>`',
        });
      const app = await ociApp();
      const result = await withCredentialFlags(() =>
        app.ociPull({
          ...request(ctx, ref, opts),
          ...(opts.output === undefined ? {} : { output: opts.output }),
          force: opts.force === true,
          stdout: ctx.io.stdout,
        }),
      );
      // stdout holds the layer: the summary goes to stderr, as progress does
      if (toStdout) {
        ctx.info(`pulled ${result.size} bytes, layer ${result.layerDigest}`);
        return;
      }
      ctx.emit({
        json: result,
        human: () =>
          `${result.path}\n  ${result.size} bytes, layer ${result.layerDigest}\n  manifest ${result.manifestDigest}`,
      });
    });
}

function registerPush(oci: Command, ctx: CommandContext): void {
  addNetworkOptions(
    oci
      .command('push')
      .description('publish a .wasm file as a Wasm OCI artifact')
      .argument('<ref>', 'host/repo:tag or oci-layout:<dir>:<tag>')
      .argument('<file>', 'the .wasm file'),
  )
    .option('--chunk-size <bytes>', 'upload chunk size (env WIT_DEPS_CHUNK_SIZE, default 8 MiB)')
    .option(
      '--annotation <key=value>',
      'manifest annotation (repeatable)',
      (value: string, prev: string[]) => [...prev, value],
      [] as string[],
    )
    .option(
      '--force',
      'push even if the file is not the WIT package the reference names, or not a WIT package or component, or the tag exists with other content',
    )
    .action(
      async (
        ref: string,
        file: string,
        opts: NetworkFlags & { annotation: string[]; force?: boolean },
      ) => {
        const app = await ociApp();
        const result = await withCredentialFlags(() =>
          app.ociPush({
            ...request(ctx, ref, opts),
            file,
            annotations: opts.annotation,
            force: opts.force === true,
          }),
        );
        ctx.emit({
          json: result,
          human: () =>
            `pushed ${result.reference}\n  manifest ${result.manifestDigest}\n  layer ${result.layerDigest} (${result.blobs.layer})`,
        });
      },
    );
}

/** Bytes as served, for `--raw`/`--config`: escaped on a terminal only (see `printable`). */
function rawText(ctx: CommandContext, bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  const out = ctx.io.stdout.isTTY === true ? printable(text) : text;
  return out.endsWith('\n') ? out : `${out}\n`;
}

function inspectText(result: OciApp.InspectResult): string {
  const c = result.configDescriptor;
  return printable(
    [
      `${result.reference}`,
      `  digest     ${result.digest}`,
      `  mediaType  ${result.mediaType}`,
      `  config     ${c.digest} ${c.size} bytes ${c.mediaType}`,
      ...result.layers.map(
        (l) =>
          `  layer      ${l.digest} ${l.size} bytes ${l.mediaType}${l.title ? ` (${printableLine(l.title)})` : ''}`,
      ),
      ...Object.entries(result.annotations).map(
        ([k, v]) => `  annotation ${printableLine(k)}=${printableLine(v)}`,
      ),
      `  config JSON`,
      ...JSON.stringify(result.config, null, 2)
        .split('\n')
        .map((line) => `    ${line}`),
    ].join('\n'),
  );
}

function registerInspect(oci: Command, ctx: CommandContext): void {
  addNetworkOptions(
    oci
      .command('inspect')
      .description('show the manifest, config and annotations of an artifact')
      .argument('<ref>', 'reference'),
  )
    .option('--raw', 'print the manifest bytes as the registry served them')
    .option('--config', 'print the config blob as the registry served it')
    .action(async (ref: string, opts: NetworkFlags & { raw?: boolean; config?: boolean }) => {
      const app = await ociApp();
      const result = await withCredentialFlags(() => app.ociInspect(request(ctx, ref, opts)));
      if (opts.raw === true || opts.config === true) {
        ctx.io.stdout.write(rawText(ctx, opts.raw === true ? result.raw : result.configRaw));
        return;
      }
      const { raw: _raw, configRaw: _configRaw, ...json } = result;
      ctx.emit({ json, human: () => inspectText(result) });
    });
}

function registerBlob(oci: Command, ctx: CommandContext): void {
  addNetworkOptions(
    oci
      .command('blob')
      .description(
        "save one blob (the config or a layer) of an artifact, verified (regctl's blob get)",
      )
      .argument('<ref>', 'the artifact whose manifest lists the blob')
      .argument('<digest>', 'sha256:... of its config or of a layer'),
  )
    .option(
      '-o, --output <file>',
      'where to write it (default: the layer title, else sha256-<hex>)',
    )
    .option('--force', 'replace the file if it exists')
    .action(
      async (
        ref: string,
        digest: string,
        opts: NetworkFlags & { output?: string; force?: boolean },
      ) => {
        const result = await (
          await ociApp()
        ).ociBlob({
          ...request(ctx, ref, opts),
          digest,
          ...(opts.output === undefined ? {} : { output: opts.output }),
          force: opts.force === true,
        });
        ctx.emit({
          json: result,
          human: () =>
            `${result.path}\n  ${result.size} bytes, ${result.mediaType} ${result.digest}`,
        });
      },
    );
}

function registerTags(oci: Command, ctx: CommandContext): void {
  addNetworkOptions(
    oci
      .command('tags')
      .description('list the tags of a repository')
      .argument('<ref>', 'host/repo or oci-layout:<dir>'),
  ).action(async (ref: string, opts: NetworkFlags) => {
    const app = await ociApp();
    const result = await withCredentialFlags(() => app.ociTags(request(ctx, ref, opts)));
    ctx.emit({
      json: result,
      human: () =>
        result.tags
          .map((t) => (t.semver ? t.tag : `${printableLine(t.tag)} (not semver)`))
          .join('\n'),
    });
  });
}

/** Registers `wit-deps oci ...`. */
export function registerOci(program: Command, ctx: CommandContext): void {
  const oci = ociCommand(program);
  registerPull(oci, ctx);
  registerPush(oci, ctx);
  registerInspect(oci, ctx);
  registerBlob(oci, ctx);
  registerTags(oci, ctx);
}
