/**
 * Package name -> where it lives. Precedence, first match wins (docs/configuration.md):
 *
 * 1. `registry = "..."` on the dependency in `wit.toml`;
 * 2. `[registries]` in `wit.toml` for the namespace (a name, `{ oci, prefix }` or `{ layout }`);
 * 3. `package_registry_overrides` in the wasm-pkg `config.toml`;
 * 4. `namespace_registries` in `config.toml`;
 * 5. `default_registry` in `config.toml` (before the built-ins, as wkg does);
 * 6. built-ins: `wasi` -> `wasi.dev`, `ba` -> `bytecodealliance.org` (not with `--config`).
 *
 * A registry *name* becomes an OCI host and prefix through inline metadata, or else through its
 * `.well-known/wasm-pkg/registry.json` (see `discovery.ts`). The lock records the logical name.
 */
import { registryError } from './error-text.js';
import type { RegistryMapping } from '../project/manifest.js';
import { parsePackageName } from '../resolve/package-name.js';
import type { RegistryRef, WasmPkgConfig } from './config.js';
import type { OciMetadata } from './metadata.js';

/** Built-in namespace registries. */
export const BUILTIN_REGISTRIES: ReadonlyMap<string, string> = new Map([
  ['wasi', 'wasi.dev'],
  ['ba', 'bytecodealliance.org'],
]);

/** Where a package comes from, before discovery. */
export type PackageSourceRef =
  | { kind: 'registry'; registry: string; metadata?: OciMetadata; from: string }
  | { kind: 'oci'; registry: string; oci: OciMetadata; insecure: boolean; from: string }
  | { kind: 'layout'; registry: string; layout: string; from: string };

/** The inputs of {@link locatePackage}. */
export interface LocateInput {
  /** `[registries]` of wit.toml. */
  manifestRegistries: ReadonlyMap<string, RegistryMapping>;
  /** `registry = "..."` per dependency in wit.toml. */
  dependencyRegistries: ReadonlyMap<string, string>;
  config: WasmPkgConfig;
  /** False when `--config` named the config file (wkg then has no built-ins). */
  builtins: boolean;
}

function fromRef(ref: RegistryRef, from: string): PackageSourceRef {
  return ref.metadata === undefined
    ? { kind: 'registry', registry: ref.registry, from }
    : { kind: 'registry', registry: ref.registry, metadata: ref.metadata, from };
}

function fromMapping(m: RegistryMapping, namespace: string): PackageSourceRef {
  const from = `wit.toml [registries] ${namespace}`;
  switch (m.kind) {
    case 'name':
      return { kind: 'registry', registry: m.registry, from };
    case 'oci':
      return {
        kind: 'oci',
        registry: m.oci,
        oci: { registry: m.oci, namespacePrefix: m.prefix },
        insecure: m.insecure,
        from,
      };
    case 'layout':
      return { kind: 'layout', registry: `layout:${m.layout}`, layout: m.layout, from };
  }
}

/**
 * Where a package lives, by the precedence above.
 *
 * @throws {WitDepsError} `ERR_REGISTRY_UNKNOWN` when nothing maps the namespace.
 */
export function locatePackage(name: string, input: LocateInput): PackageSourceRef {
  const { namespace } = parsePackageName(name);
  const dep = input.dependencyRegistries.get(name);
  if (dep !== undefined)
    return { kind: 'registry', registry: dep, from: `wit.toml dependency ${name}` };
  const mapping = input.manifestRegistries.get(namespace);
  if (mapping !== undefined) return fromMapping(mapping, namespace);
  const pkg = input.config.packageOverrides.get(name);
  if (pkg !== undefined) return fromRef(pkg, 'config.toml package_registry_overrides');
  const ns = input.config.namespaceRegistries.get(namespace);
  if (ns !== undefined) return fromRef(ns, 'config.toml namespace_registries');
  if (input.config.defaultRegistry !== undefined)
    return {
      kind: 'registry',
      registry: input.config.defaultRegistry,
      from: 'config.toml default_registry',
    };
  const builtin = input.builtins ? BUILTIN_REGISTRIES.get(namespace) : undefined;
  if (builtin !== undefined) return { kind: 'registry', registry: builtin, from: 'built-in' };
  throw registryError('registry-unknown', { package: name, namespace });
}

/** The OCI repository of a package: `<prefix><ns>/<name>`. */
export function repositoryOf(name: string, meta: OciMetadata): string {
  const { namespace, name: pkg } = parsePackageName(name);
  return `${meta.namespacePrefix}${namespace}/${pkg}`;
}

/**
 * The OCI hosts `[registries]` of wit.toml marks `insecure = true` (`{ oci = "host", insecure =
 * true }`): they are spoken to over plain http, as if listed in `WIT_DEPS_INSECURE_REGISTRIES`.
 */
export function insecureHosts(manifestRegistries: ReadonlyMap<string, RegistryMapping>): string[] {
  const hosts: string[] = [];
  for (const m of manifestRegistries.values())
    if (m.kind === 'oci' && m.insecure && !hosts.includes(m.oci)) hosts.push(m.oci);
  return hosts;
}
