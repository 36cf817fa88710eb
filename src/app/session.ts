/**
 * One command's view of a project and its registries: the project inputs plus a package source
 * whose network clients are created only when a request is needed, and a request counter
 * (registry requests and `.well-known` fetches). Shared by install, update, outdated and tree.
 */
import { OciClients, type Credential, type OciOptions } from '../oci/index.js';
import { envCredential } from '../registry/credentials.js';
import { fetchRegistryMetadata } from '../oci/well-known.js';
import { Discovery } from '../registry/discovery.js';
import { networkOptions } from './oci-settings.js';
import { RegistrySource, type FetchEvent } from './package-source.js';
import { readProject, type ProjectInputs, type ProjectOptions } from './project-inputs.js';

/** Options of a session. */
export interface SessionOptions extends ProjectOptions {
  /** Never touch the network (`--frozen` implies it). */
  offline?: boolean;
  frozen?: boolean;
  preferOffline?: boolean;
  /** Parallel fetches (default 8). */
  concurrency?: number;
  onEvent?: (event: FetchEvent) => void;
}

/** An open session; `close()` releases connections. */
export interface Session {
  project: ProjectInputs;
  source: RegistrySource;
  requests(): number;
  close(): Promise<void>;
}

/**
 * Client options: flags/env as for `wit-deps oci`, plus `[registry."x".oci]` of config.toml.
 * Credential order (wkg's): environment variables, config.toml `auth`, docker config.
 * `insecure` is shared and grows as registries are met (`protocol = "http"`).
 */
function clientOptions(
  options: SessionOptions,
  hostAuth: ReadonlyMap<string, Credential>,
  insecure: string[],
): OciOptions {
  const base = networkOptions({}, { env: options.env });
  const fallback = base.credentials;
  insecure.push(...(base.insecureRegistries ?? []));
  return {
    ...base,
    insecureRegistries: insecure,
    credentials: async (host) =>
      envCredential(options.env, host) ?? hostAuth.get(host) ?? (await fallback?.(host)),
  };
}

/** Reads the project and prepares a lazy, cache-first package source. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const project = await readProject(options);
  const offline = options.offline === true || options.frozen === true;
  let clients: OciClients | undefined;
  let discoveries = 0;
  const hostAuth = new Map<string, Credential>();
  const insecure: string[] = [];
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const source = new RegistrySource({
    locate: project.locate,
    discovery: new Discovery({
      fetcher: (registry) => {
        discoveries++;
        return fetchRegistryMetadata(registry, signal);
      },
      cache: project.cache,
      offline,
    }),
    clients: () => (clients ??= new OciClients(clientOptions(options, hostAuth, insecure))),
    noteHost: (registry, host) => {
      const settings = project.config.registries.get(registry);
      if (settings?.auth !== undefined && !hostAuth.has(host))
        hostAuth.set(host, { kind: 'basic', ...settings.auth });
      if (settings?.protocol === 'http' && !insecure.includes(host)) insecure.push(host);
    },
    cache: project.cache,
    cwd: project.root,
    offline,
    preferOffline: options.preferOffline === true,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  return {
    project,
    source,
    requests: () => (clients?.requestCount ?? 0) + discoveries,
    close: async () => {
      await clients?.close();
    },
  };
}
