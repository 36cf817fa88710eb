import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  abortableClock,
  REAL_CLOCK,
  isRetryableError,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  withRetry,
  type RetryClock,
} from '../../../src/oci/http/retry.js';
import type { HttpResponse } from '../../../src/oci/http/transport.js';

const POLICY = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

function response(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: Readable.from([]), url: new URL('http://x/') };
}

function clock(): RetryClock & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    sleep: (ms) => (slept.push(ms), Promise.resolve()),
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    random: () => 1,
  };
}

describe('retry policy', () => {
  it('retries 408, 429 and 5xx gateways, not other 4xx', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 501].some(isRetryableStatus)).toBe(false);
  });

  it('recognises connection failures, also as causes', () => {
    expect(isRetryableError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(
      isRetryableError(
        new Error('wrapped', { cause: Object.assign(new Error('y'), { code: 'UND_ERR_SOCKET' }) }),
      ),
    ).toBe(true);
    expect(isRetryableError(new Error('plain'))).toBe(false);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped, and caps Retry-After', () => {
    expect(retryDelay(POLICY, 0, undefined, 1)).toBe(100);
    expect(retryDelay(POLICY, 2, undefined, 1)).toBe(400);
    expect(retryDelay(POLICY, 2, undefined, 0)).toBe(200);
    expect(retryDelay(POLICY, 10, undefined, 1)).toBe(1000);
    expect(retryDelay(POLICY, 0, 60_000, 0.3)).toBe(1000);
  });
});

describe('withRetry', () => {
  it('returns the first non-retryable answer and sleeps between attempts', async () => {
    const c = clock();
    const answers = [response(503), response(429, { 'retry-after': '0' }), response(200)];
    const res = await withRetry(() => Promise.resolve(answers.shift()!), {
      policy: POLICY,
      clock: c,
      idempotent: true,
    });
    expect(res.status).toBe(200);
    expect(c.slept).toEqual([100, 0]);
  });

  it('does not retry non-idempotent requests', async () => {
    const c = clock();
    let calls = 0;
    const res = await withRetry(() => (calls++, Promise.resolve(response(503))), {
      policy: POLICY,
      clock: c,
      idempotent: false,
    });
    expect([res.status, calls]).toEqual([503, 1]);
  });

  it('rethrows a connection error after the last retry', async () => {
    const c = clock();
    let calls = 0;
    const fail = (): Promise<HttpResponse> => (
      calls++,
      Promise.reject(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))
    );
    await expect(withRetry(fail, { policy: POLICY, clock: c, idempotent: true })).rejects.toThrow(
      'reset',
    );
    expect(calls).toBe(4);
  });
});

describe('abortableClock', () => {
  it('ends a backoff sleep at once when the signal aborts (Ctrl-C)', async () => {
    const controller = new AbortController();
    const clock = abortableClock(REAL_CLOCK, controller.signal);
    const started = Date.now();
    const sleeping = clock.sleep(10_000);
    setTimeout(() => controller.abort(new Error('interrupted')), 20);
    await expect(sleeping).rejects.toThrow('interrupted');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('sleeps the injected clock when not aborted', async () => {
    const slept: number[] = [];
    const fake = {
      now: () => 0,
      random: () => 0,
      sleep: (ms: number) => Promise.resolve(void slept.push(ms)),
    };
    await abortableClock(fake, new AbortController().signal).sleep(400);
    expect(slept).toEqual([400]);
  });
});
