/**
 * Retries: a pure policy (what to retry, how long to wait) and a small executor with injectable
 * sleep, clock and randomness so tests run instantly.
 *
 * Retried: 408, 429, 500, 502, 503, 504 and connection failures (reset, refused, timeouts,
 * `--timeout` exceeded), for idempotent requests only; the command's deadline is never retried. Never retried: other 4xx. Delay: `Retry-After` when present
 * (seconds or an HTTP date, capped), else exponential backoff `base * 2^attempt` with full
 * jitter, capped. See distribution-spec "Error codes" (TOOMANYREQUESTS) and RFC 9110 §10.2.3.
 */
import type { HttpResponse } from './transport.js';
import { REQUEST_TIMEOUT } from './time-limits.js';
import { discard, header } from './transport.js';

export interface RetryPolicy {
  /** Retries after the first attempt (0 disables retrying). */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 10_000 };

export interface RetryClock {
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

export const REAL_CLOCK: RetryClock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

/**
 * `clock` whose sleep ends at once when `signal` aborts (rejecting with its reason): Ctrl-C
 * during a retry's backoff stops the command without waiting the backoff out.
 */
export function abortableClock(clock: RetryClock, signal: AbortSignal): RetryClock {
  return {
    now: () => clock.now(),
    random: () => clock.random(),
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason as Error);
        // the real clock's timer is cleared, so no timer keeps an interrupted process alive
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const slept =
          clock === REAL_CLOCK
            ? new Promise<void>((done) => (timer = setTimeout(done, ms)))
            : clock.sleep(ms);
        slept.then(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, reject);
      }),
  };
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const RETRY_ERRNO = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  REQUEST_TIMEOUT,
]);

/** True when an HTTP status may succeed on a later attempt. */
export function isRetryableStatus(status: number): boolean {
  return RETRY_STATUS.has(status);
}

/** True when a thrown error is a connection-level failure worth retrying. */
export function isRetryableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RETRY_ERRNO.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Parses `Retry-After` (delta seconds or HTTP date) into milliseconds from `now`; undefined if absent or bad. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before retry number `attempt` (0-based): Retry-After if given, else jittered backoff. */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(ceiling * (0.5 + random / 2));
}

/**
 * Runs `attempt` until it gives a non-retryable answer or the retries run out. The last
 * retryable response is returned as is (the caller maps its status to an error); the last
 * connection error is rethrown.
 */
export async function withRetry(
  attempt: () => Promise<HttpResponse>,
  options: {
    policy: RetryPolicy;
    clock: RetryClock;
    idempotent: boolean;
    onRetry?: (info: RetryInfo) => void;
  },
): Promise<HttpResponse> {
  const { policy, clock } = options;
  const limit = options.idempotent ? policy.retries : 0;
  for (let n = 0; ; n++) {
    let res: HttpResponse;
    try {
      res = await attempt();
    } catch (error) {
      if (n >= limit || !isRetryableError(error)) throw error;
      const delayMs = retryDelay(policy, n, undefined, clock.random());
      options.onRetry?.({
        attempt: n + 1,
        delayMs,
        reason: String((error as { code?: unknown }).code ?? error),
      });
      await clock.sleep(delayMs);
      continue;
    }
    if (n >= limit || !isRetryableStatus(res.status)) return res;
    const delayMs = retryDelay(
      policy,
      n,
      parseRetryAfter(header(res, 'retry-after'), clock.now()),
      clock.random(),
    );
    await discard(res.body);
    options.onRetry?.({ attempt: n + 1, delayMs, reason: `HTTP ${res.status}` });
    await clock.sleep(delayMs);
  }
}

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
}
