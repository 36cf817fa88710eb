/**
 * One command's package sources: the network clients, opened once per command with its first
 * request (a locked install with a warm cache never opens them), and over them a lazy, cache-first
 * package source for each reading of the project (`add` reads it before and after editing
 * wit.toml). Registry requests and `.well-known` fetches go through the clients' one transport,
 * which counts every request the command sends.
 */
import { join } from 'node:path';
import type { OciClients, OciEvent } from '../../oci/index.js';
import type { NetworkFlags } from '../source/network-settings.js';
import { Discovery } from '../../registry/discovery.js';
import { findLockedVersion } from '../../resolve/lock.js';
import { CachedSource, type FetchEvent } from '../source/cached-source.js';
import { HostPolicy } from '../source/host-settings.js';
import { lockedRegistryOf } from '../source/registry-change.js';
import { VENDOR_DIR } from '../source/vendored.js';
import type { MirrorInputs } from '../source/network-clients.js';
import type { ProjectInputs, ProjectOptions } from './project-inputs.js';

/** The network and cache settings of a command that reads packages of a project. */
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

/** A project's inputs and the package source over them. */
export interface ProjectSources {
  project: ProjectInputs;
  source: CachedSource;
}

/** The network of one command: its host settings and its clients, opened with the first request. */
export class CommandNetwork {
  readonly hosts = new HostPolicy();
  readonly #options: ProjectSourceOptions;
  #opening: Promise<OciClients> | undefined;
  #clients: OciClients | undefined;

  constructor(options: ProjectSourceOptions) {
    this.#options = options;
  }

  /** The clients; the first call loads the OCI client and reads registries.conf. */
  clients(mirrors: MirrorInputs): Promise<OciClients> {
    const o = this.#options;
    this.#opening ??= import('../source/network-clients.js')
      .then(({ openClients }) => openClients(o.env, this.hosts, o.network ?? {}, o.signal, mirrors))
      .then((open) => (this.#clients = open));
    return this.#opening;
  }

  /** Requests sent so far by this command. */
  requests(): number {
    return this.#clients?.requestCount ?? 0;
  }

  /** Releases the connections (clients still being opened are closed once they exist). */
  async close(): Promise<void> {
    const open = this.#clients ?? (await this.#opening?.catch(() => undefined));
    await open?.close();
  }
}

/** A lazy, cache-first package source over `project`, using the command's network. */
export function projectSources(
  project: ProjectInputs,
  network: CommandNetwork,
  options: ProjectSourceOptions,
): ProjectSources {
  const offline = options.offline === true || options.frozen === true;
  const onEvent = options.onEvent;
  network.hosts.addProject({
    manifestRegistries: project.manifest?.registries ?? new Map(),
    config: project.config,
  });
  const openOnce = (): Promise<OciClients> =>
    network.clients({
      project: project.mirrors,
      cwd: project.root,
      ...(onEvent === undefined
        ? {}
        : { onEvent: (event: OciEvent) => onEvent({ kind: 'network', event }) }),
    });
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
          insecureRegistries: network.hosts.isInsecure,
        });
      },
      cache: project.cache,
      offline,
    }),
    clients: openOnce,
    noteHost: (registry, host) => network.hosts.route(registry, host),
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
    onEvent: options.onEvent,
  });
  return { project, source };
}
