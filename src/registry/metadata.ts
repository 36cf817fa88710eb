/**
 * `.well-known/wasm-pkg/registry.json`: how a registry name maps to an OCI host and a repository
 * prefix (wasm-pkg-tools `docs/registry-metadata.md`). Two schemas exist and both are read:
 *
 * - current: `{ "preferredProtocol": "oci", "oci": { "registry": "ghcr.io", "namespacePrefix": "webassembly/" } }`
 *   (`preferredProtocol` optional; other protocol objects are tolerated);
 * - deprecated, still served by wasi.dev: `{ "ociRegistry": "ghcr.io", "ociNamespacePrefix": "webassembly/" }`.
 *
 * Pure: the HTTP fetch is `well-known.ts`.
 */
import type { WitDepsError } from '../errors.js';
import { registryError } from './error-text.js';
import { isLoopbackRegistry, isValidRegistryHost, isValidRepository } from '../oci/reference.js';

/** Where a registry's OCI repositories live. */
export interface OciMetadata {
  /** OCI host (and port), e.g. `ghcr.io`. */
  registry: string;
  /** Plainly prepended to `<ns>/<name>`; ends with `/` or is empty. */
  namespacePrefix: string;
}

function fail(registry: string, problem: string): WitDepsError {
  return registryError('metadata-invalid', { registry, problem });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The mapping, once its host is a plain `host[:port]` and its prefix repository segments ending in `/`. */
function checked(registry: string, meta: OciMetadata): OciMetadata {
  if (!isValidRegistryHost(meta.registry))
    throw fail(registry, `names an invalid OCI registry host \`${meta.registry}\``);
  const prefix = meta.namespacePrefix;
  if (prefix !== '' && !(prefix.endsWith('/') && isValidRepository(prefix.slice(0, -1))))
    throw fail(registry, `has an invalid namespace prefix \`${prefix}\``);
  return meta;
}

/**
 * The `.well-known` URL of a registry: plain http only for a loopback name (`localhost`,
 * `127.0.0.1`, `[::1]`, as for registry requests) or one marked insecure.
 */
export function wellKnownUrl(registry: string, insecure = false): string {
  const scheme = insecure || isLoopbackRegistry(registry) ? 'http' : 'https';
  return `${scheme}://${registry}/.well-known/wasm-pkg/registry.json`;
}

/**
 * Reads registry metadata JSON (already parsed). `null` (no metadata: the registry served 404)
 * means the registry name is itself the OCI host, with no prefix.
 *
 * @throws {WitDepsError} `ERR_DISCOVERY_FAILED` when the document has no usable OCI mapping.
 */
export function parseRegistryMetadata(registry: string, doc: unknown): OciMetadata {
  if (doc === null) return { registry, namespacePrefix: '' };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw fail(registry, 'is not a JSON object');
  const d = doc as Record<string, unknown>;
  const preferred = str(d['preferredProtocol']);
  const oci = d['oci'];
  if (typeof oci === 'object' && oci !== null && (preferred === undefined || preferred === 'oci')) {
    const o = oci as Record<string, unknown>;
    return checked(registry, {
      registry: str(o['registry']) ?? registry,
      namespacePrefix: str(o['namespacePrefix']) ?? '',
    });
  }
  const legacy = str(d['ociRegistry']);
  if (legacy !== undefined && (preferred === undefined || preferred === 'oci'))
    return checked(registry, {
      registry: legacy,
      namespacePrefix: str(d['ociNamespacePrefix']) ?? '',
    });
  if (preferred !== undefined && preferred !== 'oci')
    throw fail(registry, `prefers protocol \`${preferred}\`, which wit-deps does not speak`);
  throw fail(registry, 'has no `oci` mapping');
}
