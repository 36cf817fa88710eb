/**
 * Warg registries. `wa.dev` (and its subdomains) is a warg registry, the protocol wkg dropped in
 * 0.16 and wit-deps does not speak: real wkg locks and configs still name it. A package routed to
 * one fails before any request, naming the package, the registry, where the mapping came from, and
 * the `config.toml` entry that maps the namespace to an OCI registry instead. A registry whose
 * `.well-known` metadata prefers `warg` gets the same error.
 */
import { WitDepsError, isWitDepsError } from '../../errors.js';
import { parsePackageName } from '../../resolve/package-name.js';

/** Registry names known to be warg registries (a subdomain counts). */
const WARG_REGISTRIES = ['wa.dev'];

/** True for a registry name wit-deps knows to be a warg registry. */
export function isKnownWargRegistry(registry: string): boolean {
  const host = registry.toLowerCase().replace(/:\d+$/, '');
  return WARG_REGISTRIES.some((w) => host === w || host.endsWith(`.${w}`));
}

/** `ERR_DISCOVERY_FAILED`: package `name` is mapped (by `from`) to the warg registry `registry`. */
export function wargRegistryError(name: string, registry: string, from: string): WitDepsError {
  const { namespace } = parsePackageName(name);
  const wasi =
    namespace === 'wasi'
      ? ' (for `wasi`, `wasi = "wasi.dev"` is the OCI registry WASI publishes to)'
      : '';
  return new WitDepsError(
    'ERR_DISCOVERY_FAILED',
    `\`${name}\`: registry \`${registry}\` (from ${from}) is a warg registry, and wit-deps (like wkg since 0.16) only speaks OCI`,
    {
      hint: `map \`${namespace}\` to an OCI registry that publishes \`${name}\` in config.toml: \`[namespace_registries] ${namespace} = { registry = "<name>", metadata = { preferredProtocol = "oci", oci = { registry = "<host>", namespacePrefix = "<prefix>/" } } }\`${wasi}, or add \`${namespace} = { oci = "<host>", prefix = "<prefix>/" }\` under \`[registries]\` in wit.toml`,
      details: { package: name, registry, from, protocol: 'warg' },
    },
  );
}

/** A discovery failure because the metadata prefers warg, as {@link wargRegistryError}. */
export function wargFromDiscovery(
  error: unknown,
  name: string,
  ref: { registry: string; from: string },
): WitDepsError | undefined {
  if (!isWitDepsError(error) || error.code !== 'ERR_DISCOVERY_FAILED') return undefined;
  if (!error.message.includes('prefers protocol `warg`')) return undefined;
  return wargRegistryError(name, ref.registry, ref.from);
}
