/**
 * The network settings of `wit-deps oci ...` (and of anything else that talks to registries):
 * each knob comes from a flag, else an environment variable, else a default.
 *
 * | flag | env | default |
 * | --- | --- | --- |
 * | `--insecure` (the command's registry) | `WIT_DEPS_INSECURE_REGISTRIES` (comma list) | loopback only |
 * | `--retries <n>` | `WIT_DEPS_RETRIES` | 3 |
 * | `--timeout <seconds>` | `WIT_DEPS_TIMEOUT` | 30 (a whole request; a gap for blob transfers) |
 * | `--deadline <seconds>` | `WIT_DEPS_DEADLINE` | 1800 (all requests of a command; 0: none) |
 * | `--max-connections <n>` | `WIT_DEPS_MAX_CONNECTIONS` | 8 |
 * | `--chunk-size <bytes>` | `WIT_DEPS_CHUNK_SIZE` | 8388608 |
 * | `--max-tag-pages <n>` | `WIT_DEPS_MAX_TAG_PAGES` | 100 |
 * | `--username`/`--password`, `--token` | `WIT_DEPS_REGISTRY_<HOST>_USERNAME`/`_PASSWORD`, `_TOKEN` | docker config |
 */
import { WitDepsError } from '../../errors.js';
import { networkNumbers, type NetworkFlags } from './network-flags.js';

export type { NetworkFlags } from './network-flags.js';
import type { Credential } from '../../oci/auth/credential.js';
import { DEFAULT_RETRY } from '../../oci/http/retry.js';
import type { OciEvent, OciOptions } from '../../oci/index.js';
import { credentialProvider } from '../../registry/credentials.js';

/** The default of `--deadline`, seconds: generous, but a registry cannot hold a command for ever. */
export const DEFAULT_DEADLINE_SECONDS = 1800;

export interface NetworkContext {
  env: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
  onEvent?: (event: OciEvent) => void;
  /** Aborts network work (Ctrl-C). */
  signal?: AbortSignal;
}

function explicitCredential(flags: NetworkFlags): Credential | undefined {
  if (flags.token !== undefined) {
    if (!/^[\x21-\x7e]+$/.test(flags.token))
      throw new WitDepsError('ERR_USAGE', '`--token` holds characters a header cannot carry', {
        hint: 'check the token for stray spaces or line breaks',
      });
    return { kind: 'bearer', token: flags.token, source: '`--token`' };
  }
  if (flags.username === undefined && flags.password === undefined) return undefined;
  if (flags.username === undefined || flags.password === undefined) {
    throw new WitDepsError('ERR_USAGE', '`--username` and `--password` must be given together', {
      hint: 'pass both, or neither to use the docker config',
    });
  }
  return {
    kind: 'basic',
    username: flags.username,
    password: flags.password,
    source: '`--username`/`--password`',
  };
}

/** Turns flags and environment into client options; `registry` is the command's registry (if any). */
export function networkOptions(
  flags: NetworkFlags,
  ctx: NetworkContext,
  registry?: string,
): OciOptions {
  const env = ctx.env;
  const { retries, timeout, deadline, connections, chunkSize, maxTagPages } = networkNumbers(
    flags,
    env,
  );
  const insecure = (env['WIT_DEPS_INSECURE_REGISTRIES'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (flags.insecure === true && registry !== undefined) insecure.push(registry);
  const explicit = explicitCredential(flags);
  return {
    env,
    insecureRegistries: insecure,
    credentials: credentialProvider({
      env,
      ...(ctx.homeDir === undefined ? {} : { homeDir: ctx.homeDir }),
      ...(explicit === undefined || registry === undefined
        ? {}
        : { explicit: { registry, credential: explicit } }),
      ...(ctx.onEvent === undefined
        ? {}
        : {
            onWarning: (host: string, text: string) =>
              ctx.onEvent?.({ type: 'warning', registry: host, text }),
          }),
    }),
    retry: { ...DEFAULT_RETRY, ...(retries === undefined ? {} : { retries }) },
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    deadlineMs: (deadline ?? DEFAULT_DEADLINE_SECONDS) * 1000,
    ...(connections === undefined ? {} : { connections }),
    ...(chunkSize === undefined ? {} : { chunkSize }),
    ...(maxTagPages === undefined ? {} : { maxTagPages }),
    ...(ctx.onEvent === undefined ? {} : { onEvent: ctx.onEvent }),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  };
}
