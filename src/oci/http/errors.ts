/**
 * Registry failures as `WitDepsError`s: the status decides the code, the body (read with a cap,
 * JSON `{"errors":[{code,message}]}` or anything else) adds a short summary, with anything that
 * looks like a credential masked (a 401 body may echo the `Authorization` header). URLs in
 * messages are redacted: no user info, no query (upload `_state` values and tokens live there).
 */
import type { ErrorCode } from '../../errors.js';
import { WitDepsError } from '../../errors.js';
import { redactSecrets } from '../../redact.js';
import { registryEnvKey } from '../auth/env-key.js';
import { DEADLINE_EXCEEDED, REQUEST_TIMEOUT, TimeLimitError } from './time-limits.js';
import { readCapped, type HttpResponse } from './transport.js';

/** Bytes of an error body read at most. */
export const ERROR_BODY_CAP = 4096;
/** Characters of an error summary kept in a message. */
const SUMMARY_CAP = 300;

/** `scheme://host[:port]/path`, without credentials and query. */
export function redactUrl(url: URL | string): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** Summarises a registry error body: `CODE: message; ...`, or the start of the text. */
export function summariseErrorBody(text: string): string {
  // masked before the summary is cut (a cut must not hide the end of a credential from the
  // patterns) and after it (JSON escapes are decoded by then)
  return redactSecrets(summarise(redactSecrets(text)));
}

function summarise(text: string): string {
  try {
    const doc = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    if (Array.isArray(doc.errors) && doc.errors.length > 0) {
      return doc.errors
        .slice(0, 3)
        .map((e) => [e.code, e.message].filter((x) => typeof x === 'string').join(': '))
        .join('; ')
        .slice(0, SUMMARY_CAP);
    }
  } catch {
    // not JSON: fall through to the text
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SUMMARY_CAP ? flat.slice(0, SUMMARY_CAP) + '…' : flat;
}

function codeFor(status: number): ErrorCode {
  if (status === 401) return 'ERR_REGISTRY_UNAUTHORIZED';
  if (status === 403) return 'ERR_REGISTRY_DENIED';
  if (status === 404) return 'ERR_REGISTRY_NOT_FOUND';
  if (status === 429) return 'ERR_REGISTRY_RATE_LIMITED';
  return 'ERR_REGISTRY_RESPONSE';
}

/** `WIT_DEPS_REGISTRY_<HOST>` for `host`, with its real key when it has one. */
function envPrefix(host: string): string {
  return `WIT_DEPS_REGISTRY_${registryEnvKey(host) ?? '<HOST>'}`;
}

const HINTS: Partial<Record<ErrorCode, (host: string) => string>> = {
  // no `--username`/`--password` here: only `oci` commands take them (they add them to this hint)
  ERR_REGISTRY_UNAUTHORIZED: (host) =>
    `log in with \`docker login ${host}\`, or set \`${envPrefix(host)}_USERNAME\`/\`_PASSWORD\` (or \`_TOKEN\`)`,
  ERR_REGISTRY_DENIED: (host) =>
    `check that your credentials for \`${host}\` may access this repository`,
  ERR_REGISTRY_NOT_FOUND: () =>
    'check the reference; `wit-deps oci tags <ref>` lists the tags of a repository',
  ERR_REGISTRY_RATE_LIMITED: () => 'wait and try again, or raise `--retries`',
};

/** A 401 although credentials were sent: they are wrong, not missing. */
function refusedHint(host: string, source: string | undefined): string {
  if (source !== undefined)
    return `the registry \`${host}\` refused the credentials from ${source}: correct them there (or remove them to use the next source)`;
  return `the registry refused the credentials sent to \`${host}\`; check them (\`--username\`/\`--password\`, \`--token\`, \`${envPrefix(host)}_*\`, \`WKG_REGISTRY_${registryEnvKey(host) ?? '<HOST>'}_AUTH_BEARER\`, or the docker config)`;
}

function hintFor(code: ErrorCode, host: string): string {
  return HINTS[code]?.(host) ?? 'try again later; rerun with `--verbose` for details';
}

/** Reads a failed response's body (capped) and turns it into an error. */
export async function responseError(res: HttpResponse, what: string): Promise<WitDepsError> {
  let summary = '';
  let truncated = false;
  try {
    const read = await readCapped(res.body, ERROR_BODY_CAP);
    summary = summariseErrorBody(read.bytes.toString('utf8'));
    truncated = read.truncated;
  } catch {
    // the body could not be read; the status alone is the message
  }
  const code = codeFor(res.status);
  const tail = summary === '' ? '' : `: ${summary}`;
  const refused = code === 'ERR_REGISTRY_UNAUTHORIZED' && res.authorized === true;
  return new WitDepsError(code, `${what} failed with HTTP ${res.status}${tail}`, {
    hint: refused ? refusedHint(res.url.host, res.credentialSource) : hintFor(code, res.url.host),
    details: {
      status: res.status,
      ...(refused && res.credentialSource !== undefined
        ? { credentials: res.credentialSource }
        : {}),
      url: redactUrl(res.url),
      ...(truncated ? { bodyTruncated: true } : {}),
    },
  });
}

const TIMEOUTS = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  REQUEST_TIMEOUT,
]);

const TIMEOUT_HINT =
  'the registry is slow, stalls or is out of reach: raise the timeout (`--timeout <seconds>` or `WIT_DEPS_TIMEOUT`) or check your proxy (`HTTPS_PROXY`, `NO_PROXY`)';
const DEADLINE_HINT =
  'the registry is too slow for the whole command: raise the deadline (`--deadline <seconds>` or `WIT_DEPS_DEADLINE`; 0 turns it off)';

/** What to do about a connection failure. */
function networkHint(reason: string, host: string): string {
  if (reason === 'ECONNREFUSED')
    return `nothing answers at \`${host}\`: check that the registry is running and its address (wit.toml \`[registries]\`, config.toml), then run the command again`;
  if (TIMEOUTS.has(reason)) return TIMEOUT_HINT;
  return 'check the registry address and your network or proxy (`HTTPS_PROXY`, `NO_PROXY`), then run the command again';
}

/** A time limit as `ERR_NETWORK`: `--timeout` (whole request or idle gap) or the deadline. */
function timeLimitError(reason: string, error: unknown, url: URL, what: string): WitDepsError {
  const limit = error instanceof TimeLimitError ? error : undefined;
  const deadline = reason === DEADLINE_EXCEEDED;
  const message = deadline
    ? `${what} was stopped: ${limit?.message ?? 'the deadline for this command passed'}`
    : limit !== undefined
      ? `${what} timed out: \`${url.host}\` gave ${limit.message} (\`--timeout\`)`
      : `${what} timed out: \`${url.host}\` sent nothing within the timeout (\`--timeout\`, ${reason})`;
  return new WitDepsError('ERR_NETWORK', message, {
    hint: deadline ? DEADLINE_HINT : TIMEOUT_HINT,
    cause: error,
    details: { url: redactUrl(url), reason },
  });
}

/**
 * OpenSSL's answer when the bytes back are no TLS record: the server speaks plain http (or
 * something else) on that port.
 */
const NOT_TLS = 'ERR_SSL_WRONG_VERSION_NUMBER';

/** An https request answered without TLS as `ERR_REGISTRY_INSECURE`: mark the registry insecure. */
function notTlsError(error: unknown, url: URL, what: string): WitDepsError {
  const host = url.host;
  return new WitDepsError(
    'ERR_REGISTRY_INSECURE',
    `${what} got no TLS answer from \`${host}\` over https (a plain-http registry?)`,
    {
      hint: `if \`${host}\` is a plain-http registry you trust, mark it insecure: \`{ oci = "${host}", insecure = true }\` under \`[registries]\` in wit.toml, \`WIT_DEPS_INSECURE_REGISTRIES=${host}\`, or \`--insecure\` for \`wit-deps oci\``,
      cause: error,
      details: { url: redactUrl(url), reason: NOT_TLS },
    },
  );
}

/** A connection failure as `ERR_NETWORK` (`ERR_REGISTRY_INSECURE` for https answered without TLS). */
export function networkError(error: unknown, url: URL, what: string): WitDepsError {
  if (error instanceof WitDepsError) return error;
  const code = (error as { code?: unknown }).code;
  const reason =
    typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  if (reason === DEADLINE_EXCEEDED || (TIMEOUTS.has(reason) && reason !== 'ETIMEDOUT'))
    return timeLimitError(reason, error, url, what);
  if (reason === NOT_TLS && url.protocol === 'https:') return notTlsError(error, url, what);
  return new WitDepsError('ERR_NETWORK', `${what} could not reach \`${url.host}\`: ${reason}`, {
    hint: networkHint(reason, url.host),
    cause: error,
    details: { url: redactUrl(url) },
  });
}
