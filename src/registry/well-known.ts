/**
 * The HTTP half of registry discovery: GET `.well-known/wasm-pkg/registry.json` of a registry
 * name, over the transport of the command's registry requests (`oci/http`): the same
 * `--timeout`, `--deadline`, retries (`--retries`: resets, timeouts, 408/429/5xx), User-Agent,
 * proxy settings, Ctrl-C, and the same request counter. Plain http only for a loopback name or
 * one marked insecure. 404 means "no metadata" (null); any other failure is
 * `ERR_DISCOVERY_FAILED`. Parsing the document is `metadata.ts`, caching `discovery.ts`.
 *
 * The answer is untrusted: at most {@link WELL_KNOWN_MAX_BYTES} are read, redirects are followed
 * by hand (at most {@link MAX_REDIRECTS}, http(s) only) and one from https to plain http is
 * refused. No credentials are sent.
 */
import { Readable } from 'node:stream';
import { WitDepsError } from '../errors.js';
import { registryError } from './error-text.js';
import { networkDetails } from '../oci/http/errors.js';
import {
  DEFAULT_RETRY,
  REAL_CLOCK,
  withRetry,
  type RetryClock,
  type RetryPolicy,
} from '../oci/http/retry.js';
import { TimeLimitError } from '../oci/http/time-limits.js';
import {
  discard,
  header,
  readCapped,
  Transport,
  type HttpResponse,
  type TransportOptions,
} from '../oci/http/transport.js';
import { isInsecure, type InsecureRegistries } from '../oci/reference.js';
import { wellKnownUrl } from './metadata.js';

/** Bytes of a `.well-known` document read at most. */
export const WELL_KNOWN_MAX_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Options of {@link fetchRegistryMetadata}. Without `transport`, one is made from the
 * {@link TransportOptions} given here (`timeoutMs`, `env` for proxies, `signal`, ...) for this
 * fetch alone and closed after it.
 */
export interface FetchMetadataOptions extends TransportOptions {
  /** The transport shared with the command's registry requests. */
  transport?: Transport;
  retry?: RetryPolicy;
  clock?: RetryClock;
  /** Registries (`host[:port]` or `host`) spoken to over plain http. */
  insecureRegistries?: InsecureRegistries;
}

function failure(registry: string, url: URL, message: string, cause?: unknown): WitDepsError {
  return registryError(
    'discovery-failed',
    { registry, url: url.href, problem: message },
    { cause },
  );
}

/** `ECONNREFUSED`, `no complete answer within 30 s`, ... for a request that failed. */
function reasonOf(error: unknown): string | undefined {
  if (error instanceof TimeLimitError) return error.message;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A connection failure (after the retries) as `ERR_DISCOVERY_FAILED`, with the network hint. */
function unreachable(registry: string, url: URL, error: unknown): WitDepsError {
  if (error instanceof WitDepsError) return error;
  const network = networkDetails(error, url, 'discovery');
  return registryError(
    'discovery-unreachable',
    { registry, url: url.href, reason: reasonOf(error), network },
    { cause: error },
  );
}

/** One attempt: the response with a 2xx body read (capped, one byte over) inside the retry loop. */
async function attempt(transport: Transport, url: URL): Promise<HttpResponse> {
  const res = await transport.send({ method: 'GET', url, headers: {} });
  if (res.status < 200 || res.status > 299) {
    await discard(res.body);
    return { ...res, body: Readable.from([]) };
  }
  const { bytes } = await readCapped(res.body, WELL_KNOWN_MAX_BYTES + 1);
  return { ...res, body: Readable.from([bytes]) };
}

/** GETs `url` with retries, following redirects (never from https to plain http). */
async function getFollowing(
  registry: string,
  first: URL,
  options: FetchMetadataOptions & { transport: Transport },
): Promise<HttpResponse> {
  let url = first;
  for (let hops = 0; ; hops++) {
    const res = await withRetry(() => attempt(options.transport, url), {
      policy: options.retry ?? DEFAULT_RETRY,
      clock: options.clock ?? REAL_CLOCK,
      idempotent: true,
    });
    const location = REDIRECTS.has(res.status) ? header(res, 'location') : undefined;
    if (location === undefined) return res;
    if (hops >= MAX_REDIRECTS)
      throw failure(registry, first, 'redirected its .well-known metadata too often');
    const next = new URL(location, url);
    if (next.protocol !== 'https:' && next.protocol !== 'http:')
      throw failure(registry, first, `redirected its .well-known metadata to \`${next.protocol}\``);
    if (first.protocol === 'https:' && next.protocol !== 'https:')
      throw failure(registry, first, 'redirected its .well-known metadata to plain http');
    url = next;
  }
}

/** The parsed document of a final answer: null for 404. */
async function documentOf(registry: string, url: URL, res: HttpResponse): Promise<unknown> {
  if (res.status === 404) return null;
  if (res.status < 200 || res.status > 299)
    throw registryError('discovery-status', { registry, url: url.href, status: res.status });
  const { bytes } = await readCapped(res.body, WELL_KNOWN_MAX_BYTES + 1);
  if (bytes.length > WELL_KNOWN_MAX_BYTES)
    throw failure(
      registry,
      url,
      `served .well-known metadata larger than ${WELL_KNOWN_MAX_BYTES} bytes`,
    );
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw failure(registry, url, 'served .well-known metadata that is not JSON', error);
  }
}

/** Fetches a registry's metadata document; null when the registry has none (404). */
export async function fetchRegistryMetadata(
  registry: string,
  options: FetchMetadataOptions = {},
): Promise<unknown> {
  const url = new URL(wellKnownUrl(registry, isInsecure(registry, options.insecureRegistries)));
  const transport = options.transport ?? new Transport(options);
  try {
    let res: HttpResponse;
    try {
      res = await getFollowing(registry, url, { ...options, transport });
    } catch (error) {
      throw unreachable(registry, url, error);
    }
    return await documentOf(registry, url, res);
  } finally {
    if (options.transport === undefined) await transport.close();
  }
}
