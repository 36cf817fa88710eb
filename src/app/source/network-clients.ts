/**
 * The network clients of a command, in their own module so that `project-sources.ts` loads the OCI client
 * (and the credential readers) only when a request is actually needed: a locked install with a
 * warm cache never loads it.
 */
import { OciClients, type OciEvent, type OciOptions } from '../../oci/index.js';
import { envCredentialWithSource } from '../../registry/credentials.js';
import { loadRegistriesConf } from '../../registry/registries-conf-io.js';
import {
  insecureHosts,
  mergeEntries,
  mirrorLookup,
  type RegistryEntry,
} from '../../registry/registries-conf.js';
import type { HostPolicy } from './host-settings.js';
import { networkOptions, type NetworkFlags } from './network-settings.js';

/**
 * Client options: flags/env as for `wit-deps oci`, plus the command's host settings
 * (`host-settings.ts`). Credential order (wkg's): environment variables, config.toml `auth`,
 * docker config.
 */
function clientOptions(
  env: Readonly<Record<string, string | undefined>>,
  hosts: HostPolicy,
  flags: NetworkFlags,
  signal: AbortSignal | undefined,
): OciOptions {
  const base = networkOptions(flags, { env, ...(signal === undefined ? {} : { signal }) });
  const fallback = base.credentials;
  hosts.markInsecure(
    typeof base.insecureRegistries === 'function' ? [] : (base.insecureRegistries ?? []),
  );
  return {
    ...base,
    insecureRegistries: hosts.isInsecure,
    credentials: async (host) =>
      envCredentialWithSource(env, host) ??
      hosts.settingsFor(host).credential ??
      (await fallback?.(host)),
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
 * Opens the clients of a command (see {@link clientOptions}); `signal` (Ctrl-C) aborts their
 * requests. registries.conf is read here, with the first request: a warm install never reads it.
 */
export async function openClients(
  env: Readonly<Record<string, string | undefined>>,
  hosts: HostPolicy,
  flags: NetworkFlags,
  signal: AbortSignal | undefined,
  mirrors: MirrorInputs,
): Promise<OciClients> {
  const entries = mergeEntries([await loadRegistriesConf(env, mirrors.cwd), mirrors.project]);
  hosts.markInsecure(insecureHosts(entries));
  const lookup = mirrorLookup(entries);
  const options = clientOptions(env, hosts, flags, signal);
  if (mirrors.onEvent !== undefined) options.onEvent = mirrors.onEvent;
  return new OciClients(lookup === undefined ? options : { ...options, mirrors: lookup });
}
