/**
 * The HTTP half of registry discovery: GET `.well-known/wasm-pkg/registry.json` (http only for
 * localhost and 127.0.0.1). 404 means "no metadata" (null); anything else that is not JSON fails
 * with `ERR_DISCOVERY_FAILED`. Parsing the document is `registry/metadata.ts`.
 */
import { WitDepsError } from '../errors.js';
import { wellKnownUrl } from '../registry/metadata.js';

const MAX_BYTES = 64 * 1024;

/** Fetches a registry's metadata document; null when the registry has none (404). */
export async function fetchRegistryMetadata(
  registry: string,
  options: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<unknown> {
  const url = wellKnownUrl(registry);
  const doFetch = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      redirect: 'follow',
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    throw new WitDepsError(
      'ERR_DISCOVERY_FAILED',
      `registry \`${registry}\` could not be reached for discovery`,
      {
        hint: 'check the registry name, or map the namespace with `{ oci = "host", prefix = "..." }` in wit.toml',
        cause: error,
        details: { registry, url },
      },
    );
  }
  if (response.status === 404) return null;
  const text = (await response.text()).slice(0, MAX_BYTES);
  if (!response.ok)
    throw new WitDepsError(
      'ERR_DISCOVERY_FAILED',
      `registry \`${registry}\` answered ${response.status} for its .well-known metadata`,
      {
        hint: 'map the namespace with `{ oci = "host", prefix = "..." }` in wit.toml to skip discovery',
        details: { registry, url, status: response.status },
      },
    );
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new WitDepsError(
      'ERR_DISCOVERY_FAILED',
      `registry \`${registry}\` served .well-known metadata that is not JSON`,
      {
        hint: 'map the namespace with `{ oci = "host", prefix = "..." }` in wit.toml to skip discovery',
        cause: error,
        details: { registry, url },
      },
    );
  }
}
