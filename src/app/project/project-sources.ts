/**
 * One command's view of a project and its registries: the project inputs plus a package source
 * whose network clients are created only when a request is needed. Registry requests and
 * `.well-known` fetches go through the clients' one transport, which counts every request sent.
 * Shared by install, update, outdated and tree.
 */
import { join } from 'node:path';
import type { Credential, OciClients } from '../../oci/index.js';
import type { NetworkFlags } from '../source/network-settings.js';
import { Discovery } from '../../registry/discovery.js';
import { insecureHosts } from '../../registry/locate.js';
import { findLockedVersion } from '../../resolve/lock.js';
import { CachedSource, type FetchEvent } from '../source/cached-source.js';
import { lockedRegistryOf } from '../source/registry-change.js';
import { VENDOR_DIR } from '../source/vendored.js';
import { readProject, type ProjectInputs, type ProjectOptions } from './project-inputs.js';

/** Options of a session. */
export interface ProjectSourceOptions extends ProjectOptions {
  /** Never touch the network (`--frozen` implies it). */
  offline?: boolean;
  frozen?: boolean;
  preferOffline?: boolean;
  /** Parallel fetches (default 8). */
  concurrency?: number;
  /** Registry knobs from flags (`--retries`, `--timeout`, ...); env variables fill the rest. */
  network?: NetworkFlags;
  onEvent?: (event: FetchEvent) => void;
}

/** An open session; `close()` releases connections. */
export interface ProjectSources {
  project: ProjectInputs;
  source: CachedSource;
  requests(): number;
  close(): Promise<void>;
}

/** Reads the project and prepares a lazy, cache-first package source. */
export async function openProjectSources(options: ProjectSourceOptions): Promise<ProjectSources> {
  const project = await readProject(options);
  const offline = options.offline === true || options.frozen === true;
  const onEvent = options.onEvent;
  let clients: OciClients | undefined;
  let opening: Promise<OciClients> | undefined;
  const hostAuth = new Map<string, Credential>();
  const insecure = insecureHosts(project.manifest?.registries ?? new Map());
  // the OCI client loads with the first request: a locked, warm install never needs it
  const openOnce = (): Promise<OciClients> =>
    (opening ??= import('../source/network-clients.js')
      .then(({ openClients }) =>
        openClients(options.env, hostAuth, insecure, options.network ?? {}, options.signal, {
          project: project.mirrors,
          cwd: project.root,
          ...(onEvent === undefined
            ? {}
            : { onEvent: (event) => onEvent({ kind: 'network', event }) }),
        }),
      )
      .then((open) => (clients = open)));
  const source = new CachedSource({
    locate: project.locate,
    discovery: new Discovery({
      // over the registry requests' transport: same time limits, retries and request count
      fetcher: async (registry) => {
        const [open, { fetchRegistryMetadata }] = await Promise.all([
          openOnce(),
          import('../../registry/well-known.js'),
        ]);
        return fetchRegistryMetadata(registry, {
          transport: open.transport,
          retry: open.retry,
          clock: open.clock,
          insecureRegistries: insecure,
        });
      },
      cache: project.cache,
      offline,
    }),
    clients: openOnce,
    noteHost: (registry, host) => {
      const settings = project.config.registries.get(registry);
      if (settings?.auth !== undefined && !hostAuth.has(host))
        hostAuth.set(host, {
          kind: 'basic',
          ...settings.auth,
          source: `\`auth\` of \`[registry."${registry}".oci]\` in the wasm-pkg config.toml`,
        });
      if (settings?.protocol === 'http' && !insecure.includes(host)) insecure.push(host);
    },
    cache: project.cache,
    lockedRegistry: lockedRegistryOf(project.lock),
    cwd: project.root,
    depsDir: project.depsDir,
    lockRecords: (name, version, digest) => {
      const registry = (() => {
        try {
          return project.registryOf(name);
        } catch {
          return undefined; // no registry for its namespace: not a lock entry of this project
        }
      })();
      return findLockedVersion(project.lock, name, registry, version)?.digest === digest;
    },
    vendorDir: join(project.root, VENDOR_DIR),
    offline,
    preferOffline: options.preferOffline === true,
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  });
  return {
    project,
    source,
    requests: () => clients?.requestCount ?? 0,
    close: async () => {
      // clients still being opened are closed too, once they exist
      const open = clients ?? (await opening?.catch(() => undefined));
      await open?.close();
    },
  };
}
