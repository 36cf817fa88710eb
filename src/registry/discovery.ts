/**
 * Resolving a registry name to OCI metadata through `.well-known`, cached: answers are kept in
 * memory for the process and in the shared cache for a day (`--offline` accepts any age).
 */
import type { Cache } from '../cache/store.js';
import { registryError } from './error-text.js';
import { parseRegistryMetadata, type OciMetadata } from './metadata.js';

/** Fetches the metadata document of a registry: parsed JSON, or null on 404. */
export type MetadataFetcher = (registry: string) => Promise<unknown>;

/** How long a cached discovery answer is trusted online. */
export const DISCOVERY_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Options of {@link Discovery}. */
export interface DiscoveryOptions {
  fetcher: MetadataFetcher;
  cache?: Cache;
  offline?: boolean;
}

/** Memoised, cached discovery. */
export class Discovery {
  private readonly memo = new Map<string, Promise<OciMetadata>>();

  constructor(private readonly options: DiscoveryOptions) {}

  /** The OCI metadata of a registry name. */
  resolve(registry: string): Promise<OciMetadata> {
    let found = this.memo.get(registry);
    if (found === undefined) {
      found = this.lookup(registry);
      this.memo.set(registry, found);
    }
    return found;
  }

  private async lookup(registry: string): Promise<OciMetadata> {
    const { cache, offline, fetcher } = this.options;
    const maxAge = offline === true ? Number.POSITIVE_INFINITY : DISCOVERY_MAX_AGE_MS;
    const cached = await cache?.readDiscovery(registry, maxAge);
    if (cached !== undefined) return parseRegistryMetadata(registry, cached);
    if (offline === true) throw registryError('discovery-offline', { registry });
    const doc = await fetcher(registry);
    const meta = parseRegistryMetadata(registry, doc);
    await cache?.writeDiscovery(registry, doc);
    return meta;
  }
}
