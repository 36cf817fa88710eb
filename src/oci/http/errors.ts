/**
 * Registry failures as `WitDepsError`s: the status decides the code, the body (read with a cap,
 * JSON `{"errors":[{code,message}]}` or anything else) adds a short summary, with anything that
 * looks like a credential masked (a 401 body may echo the `Authorization` header). URLs in
 * messages are redacted: no user info, no query (upload `_state` values and tokens live there).
 */
import { WitDepsError } from '../../errors.js';
import {
  ociError,
  statusCode,
  type Connection,
  type HttpFailure,
  type NetworkDetails,
} from '../error-text.js';
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

/** The facts of a failed response: its body read (capped) and summarised. */
export async function responseFacts(res: HttpResponse, what: string): Promise<HttpFailure> {
  let summary = '';
  let truncated = false;
  try {
    const read = await readCapped(res.body, ERROR_BODY_CAP);
    summary = summariseErrorBody(read.bytes.toString('utf8'));
    truncated = read.truncated;
  } catch {
    // the body could not be read; the status alone is the message
  }
  const refused = res.status === 401 && res.authorized === true;
  return {
    subject: what,
    status: res.status,
    summary: summary === '' ? undefined : summary,
    url: redactUrl(res.url),
    host: res.url.host,
    envKey: registryEnvKey(res.url.host),
    refused: refused ? true : undefined,
    credentials: refused ? res.credentialSource : undefined,
    bodyTruncated: truncated ? true : undefined,
  };
}

const STATUS_KIND = {
  ERR_REGISTRY_UNAUTHORIZED: 'http-unauthorized',
  ERR_REGISTRY_DENIED: 'http-denied',
  ERR_REGISTRY_NOT_FOUND: 'http-not-found',
  ERR_REGISTRY_RATE_LIMITED: 'http-rate-limited',
} as const;

/** Reads a failed response's body (capped) and turns it into an error. */
export async function responseError(res: HttpResponse, what: string): Promise<WitDepsError> {
  const facts = await responseFacts(res, what);
  const code = statusCode(res.status);
  return ociError(
    code in STATUS_KIND ? STATUS_KIND[code as keyof typeof STATUS_KIND] : 'http-error',
    facts,
  );
}

const TIMEOUTS = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  REQUEST_TIMEOUT,
]);

/**
 * OpenSSL's answer when the bytes back are no TLS record: the server speaks plain http (or
 * something else) on that port.
 */
const NOT_TLS = 'ERR_SSL_WRONG_VERSION_NUMBER';

/**
 * True when https got bytes back that are no TLS record: undici names it by code, Node's own
 * https client as `EPROTO` with OpenSSL's "wrong version number" in the message.
 */
function isNotTls(error: unknown, reason: string): boolean {
  if (reason === NOT_TLS) return true;
  const message = error instanceof Error ? error.message : '';
  return reason === 'EPROTO' && message.includes('wrong version number');
}

/** The facts of a connection failure: the errno (or message) and the time limit hit. */
export function connectionFacts(error: unknown, url: URL, what: string): Connection {
  const code = (error as { code?: unknown }).code;
  const reason =
    typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  const limit = error instanceof TimeLimitError ? error.message : undefined;
  return { subject: what, host: url.host, url: redactUrl(url), reason, limit };
}

/** What a connection failure is: a deadline, a timeout, https answered without TLS, or else. */
export function networkDetails(error: unknown, url: URL, what: string): NetworkDetails {
  const facts = connectionFacts(error, url, what);
  const { reason } = facts;
  if (reason === DEADLINE_EXCEEDED) return { kind: 'deadline-passed', ...facts };
  if (TIMEOUTS.has(reason) && reason !== 'ETIMEDOUT') return { kind: 'timed-out', ...facts };
  if (url.protocol === 'https:' && isNotTls(error, reason)) return { kind: 'not-tls', ...facts };
  const timeout = TIMEOUTS.has(reason) ? true : undefined;
  return { kind: 'unreachable', ...facts, limit: undefined, timeout };
}

/** A connection failure as `ERR_NETWORK` (`ERR_REGISTRY_INSECURE` for https answered without TLS). */
export function networkError(error: unknown, url: URL, what: string): WitDepsError {
  if (error instanceof WitDepsError) return error;
  const { kind, ...facts } = networkDetails(error, url, what);
  return ociError(kind, facts, { cause: error });
}
