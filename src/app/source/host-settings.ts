/**
 * The per-host network settings of one command, resolved in one place: which hosts are spoken to
 * over plain http and which credential a host gets from the wasm-pkg config, from
 *
 * - `--insecure` / `WIT_DEPS_INSECURE_REGISTRIES` (given once, by `network-settings.ts`),
 * - registries.conf `insecure = true` entries (read with the first request),
 * - wit.toml `[registries] x = { oci, insecure = true }` hosts,
 * - config.toml `[registry."x"]`: `protocol = "http"` and `auth`, which apply to the host that
 *   registry `x` routes to (the route is known once the package's registry is located).
 *
 * `settingsFor(host)` is a pure lookup over what was recorded; the OCI client asks it when it
 * creates a host's client and when a token realm or redirect leaves https.
 */
import type { Credential } from '../../oci/index.js';
import type { WasmPkgConfig } from '../../registry/config.js';
import type { RegistryMapping } from '../../project/manifest.js';
import { insecureHosts } from '../../registry/locate.js';

/** What a host gets. */
export interface HostSettings {
  /** Plain http instead of https. */
  insecure: boolean;
  /** The config.toml `auth` of the registry the host serves, when it has one. */
  credential?: Credential;
}

/** What a project contributes: its wit.toml `[registries]` and its wasm-pkg config. */
export interface ProjectNetworkInputs {
  manifestRegistries: ReadonlyMap<string, RegistryMapping>;
  config: WasmPkgConfig;
}

/** Strips the port: `host:5000` -> `host` (`[::1]:5000` -> `[::1]`). */
function bareHost(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/** The host settings of one command. */
export class HostPolicy {
  readonly #insecure = new Set<string>();
  readonly #configs: WasmPkgConfig[] = [];
  /** host -> the registry name it serves (config.toml settings are keyed by registry). */
  readonly #routes = new Map<string, string>();

  constructor(insecure: Iterable<string> = []) {
    this.markInsecure(insecure);
  }

  /** Hosts marked insecure by a flag, the environment or registries.conf. */
  markInsecure(hosts: Iterable<string>): void {
    for (const host of hosts) this.#insecure.add(host);
  }

  /** A project's wit.toml and config.toml settings (a command may read its project twice). */
  addProject(inputs: ProjectNetworkInputs): void {
    this.markInsecure(insecureHosts(inputs.manifestRegistries));
    if (!this.#configs.includes(inputs.config)) this.#configs.push(inputs.config);
  }

  /** Records that `registry` (a config.toml name) is served by `host`. */
  route(registry: string, host: string): void {
    if (!this.#routes.has(host)) this.#routes.set(host, registry);
  }

  /** The settings of `host` (`host[:port]`). */
  settingsFor(host: string): HostSettings {
    const registry = this.#routes.get(host);
    const settings =
      registry === undefined
        ? undefined
        : this.#configs.map((c) => c.registries.get(registry)).find((s) => s !== undefined);
    const insecure =
      this.#insecure.has(host) ||
      this.#insecure.has(bareHost(host)) ||
      settings?.protocol === 'http';
    if (settings?.auth === undefined) return { insecure };
    return {
      insecure,
      credential: {
        kind: 'basic',
        ...settings.auth,
        source: `\`auth\` of \`[registry."${registry}".oci]\` in the wasm-pkg config.toml`,
      },
    };
  }

  /** `settingsFor(host).insecure`, in the form the OCI client takes. */
  readonly isInsecure = (host: string): boolean => this.settingsFor(host).insecure;
}
