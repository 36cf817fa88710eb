/**
 * The HTTP half of registry discovery: GET `.well-known/wasm-pkg/registry.json` (http only for
 * localhost and 127.0.0.1). 404 means "no metadata" (null); anything else that is not JSON fails
 * with `ERR_DISCOVERY_FAILED`. Parsing the document is `registry/metadata.ts`.
 *
 * The answer is untrusted: at most {@link MAX_BYTES} are read, the whole exchange has a timeout,
 * and a redirect from https to plain http is refused.
 */
import { WitDepsError } from '../errors.js';
import { wellKnownUrl } from '../registry/metadata.js';
import { proxySettings, USER_AGENT } from './http/transport.js';

const MAX_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const HINT =
  'map the namespace with `{ oci = "host", prefix = "..." }` in wit.toml to skip discovery';

export interface FetchMetadataOptions {
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  /** Time for the whole request, body included (default 30 s). */
  timeoutMs?: number;
  /** Environment for `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY`, as for registry requests. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** `fetch` through undici's `EnvHttpProxyAgent` when a proxy is set, else the given/global one. */
async function fetcher(
  options: FetchMetadataOptions,
): Promise<{ doFetch: typeof fetch; close: () => Promise<void> }> {
  const proxy = proxySettings(options.env ?? {});
  if (options.fetchImpl !== undefined || (proxy.httpProxy ?? proxy.httpsProxy) === undefined)
    return { doFetch: options.fetchImpl ?? fetch, close: () => Promise.resolve() };
  const undici = await import('undici');
  const dispatcher = new undici.EnvHttpProxyAgent(proxy);
  const doFetch = ((url: string, init: RequestInit) =>
    undici.fetch(url, { ...(init as object), dispatcher })) as unknown as typeof fetch;
  return { doFetch, close: () => dispatcher.close() };
}

function failure(registry: string, url: string, message: string, extra = {}): WitDepsError {
  return new WitDepsError('ERR_DISCOVERY_FAILED', `registry \`${registry}\` ${message}`, {
    hint: HINT,
    details: { registry, url },
    ...extra,
  });
}

/** `: ENOTFOUND` from a fetch failure (undici puts the system error in `cause`). */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  if (typeof code === 'string') return `: ${code}`;
  return error instanceof Error && error.name === 'TimeoutError' ? ': timed out' : '';
}

/** Reads at most `max` bytes of a body; undefined when it is longer. */
async function readCapped(response: Response, max: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Fetches a registry's metadata document; null when the registry has none (404). */
export async function fetchRegistryMetadata(
  registry: string,
  options: FetchMetadataOptions = {},
): Promise<unknown> {
  const url = wellKnownUrl(registry);
  const { doFetch, close } = await fetcher(options);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal =
    options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  let response: Response;
  let text: string | undefined;
  try {
    response = await doFetch(url, {
      redirect: 'follow',
      signal,
      headers: { 'user-agent': USER_AGENT },
    });
    if (url.startsWith('https:') && response.url.startsWith('http:')) {
      await response.body?.cancel().catch(() => undefined);
      throw failure(registry, url, 'redirected its .well-known metadata to plain http');
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => undefined);
      return null;
    }
    text = await readCapped(response, MAX_BYTES);
  } catch (error) {
    if (error instanceof WitDepsError) throw error;
    throw failure(registry, url, `could not be reached for discovery${reasonOf(error)}`, {
      hint: 'check the registry name, your network and proxy (`HTTPS_PROXY`, `NO_PROXY`)',
      cause: error,
    });
  } finally {
    await close();
  }
  if (!response.ok)
    throw new WitDepsError(
      'ERR_DISCOVERY_FAILED',
      `registry \`${registry}\` answered ${response.status} for its .well-known metadata`,
      { hint: HINT, details: { registry, url, status: response.status } },
    );
  if (text === undefined)
    throw failure(registry, url, `served .well-known metadata larger than ${MAX_BYTES} bytes`);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw failure(registry, url, 'served .well-known metadata that is not JSON', { cause: error });
  }
}
