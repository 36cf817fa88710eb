/**
 * The network clients of a session, in their own module so that `session.ts` loads the OCI client
 * (and the credential readers) only when a request is actually needed: a locked install with a
 * warm cache never loads it.
 */
import { OciClients, type Credential, type OciEvent, type OciOptions } from '../../oci/index.js';
import { envCredentialWithSource } from '../../registry/credentials.js';
import { loadRegistriesConf } from '../../registry/registries-conf-io.js';
import {
  insecureHosts,
  mergeEntries,
  mirrorLookup,
  type RegistryEntry,
} from '../../registry/registries-conf.js';
import { networkOptions, type NetworkFlags } from './network-settings.js';

/**
 * Client options: flags/env as for `wit-deps oci`, plus `[registry."x".oci]` of config.toml.
 * Credential order (wkg's): environment variables, config.toml `auth`, docker config.
 * `insecure` is shared: it starts with wit.toml's `insecure = true` hosts, gets
 * `WIT_DEPS_INSECURE_REGISTRIES` here, and grows as registries are met (`protocol = "http"`).
 */
function clientOptions(
  env: Readonly<Record<string, string | undefined>>,
  hostAuth: ReadonlyMap<string, Credential>,
  insecure: string[],
  flags: NetworkFlags,
  signal: AbortSignal | undefined,
): OciOptions {
  const base = networkOptions(flags, { env, ...(signal === undefined ? {} : { signal }) });
  const fallback = base.credentials;
  insecure.push(...(base.insecureRegistries ?? []));
  return {
    ...base,
    insecureRegistries: insecure,
    credentials: async (host) =>
      envCredentialWithSource(env, host) ?? hostAuth.get(host) ?? (await fallback?.(host)),
  };
}

/** Mirror settings: registries.conf, then the project's `[mirrors]` (which beat it per prefix). */
export interface MirrorInputs {
  /** The project's `[mirrors]`. */
  project: readonly RegistryEntry[];
  /** Resolves a relative `CONTAINERS_REGISTRIES_CONF`. */
  cwd: string;
  /** Requests, retries and warnings of the clients, as they happen. */
  onEvent?: (event: OciEvent) => void;
}

/**
 * Opens the clients of a session (see {@link clientOptions}); `signal` (Ctrl-C) aborts their
 * requests. registries.conf is read here, with the first request: a warm install never reads it.
 */
export async function openClients(
  env: Readonly<Record<string, string | undefined>>,
  hostAuth: ReadonlyMap<string, Credential>,
  insecure: string[],
  flags: NetworkFlags,
  signal: AbortSignal | undefined,
  mirrors: MirrorInputs,
): Promise<OciClients> {
  const entries = mergeEntries([await loadRegistriesConf(env, mirrors.cwd), mirrors.project]);
  for (const host of insecureHosts(entries)) if (!insecure.includes(host)) insecure.push(host);
  const lookup = mirrorLookup(entries);
  const options = clientOptions(env, hostAuth, insecure, flags, signal);
  if (mirrors.onEvent !== undefined) options.onEvent = mirrors.onEvent;
  return new OciClients(lookup === undefined ? options : { ...options, mirrors: lookup });
}
