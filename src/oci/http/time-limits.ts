/**
 * Time limits of one request, so a registry that stalls or drips cannot hold a command forever:
 *
 * - `whole` (the default): `--timeout` bounds the whole exchange, headers and body, from the
 *   moment the request is sent (manifests, tag lists, tokens, error bodies: small answers).
 * - `idle` (large blob downloads and uploads): `--timeout` bounds each gap without progress
 *   (silence on the socket, connecting included), so a slow but steady transfer goes on. A non-2xx
 *   answer (an error body) is bounded as a whole again.
 * - the command's deadline (`--deadline`, counted from the transport's creation) bounds every
 *   request, body included, in both modes; once it has passed no request is sent.
 *
 * A limit that fires aborts the request with a {@link TimeLimitError}: the body stream is
 * destroyed with it, so a reader sees it as the thrown error.
 */
import type { Readable } from 'node:stream';

/** `code` of a request that exceeded `--timeout` (retried like a reset connection). */
export const REQUEST_TIMEOUT = 'WIT_DEPS_REQUEST_TIMEOUT';
/** `code` of a request stopped by the command's deadline (never retried). */
export const DEADLINE_EXCEEDED = 'WIT_DEPS_DEADLINE_EXCEEDED';

export type TimeoutMode = 'whole' | 'idle';

/** A request stopped by a time limit; `limitMs` is the limit that fired. */
export class TimeLimitError extends Error {
  readonly code: string;

  constructor(
    readonly kind: 'request' | 'idle' | 'deadline',
    readonly limitMs: number,
  ) {
    super(
      kind === 'deadline'
        ? `the deadline of ${seconds(limitMs)} s for this command passed`
        : kind === 'idle'
          ? `nothing for ${seconds(limitMs)} s`
          : `no complete answer within ${seconds(limitMs)} s`,
    );
    this.name = 'TimeLimitError';
    this.code = kind === 'deadline' ? DEADLINE_EXCEEDED : REQUEST_TIMEOUT;
  }
}

/** Milliseconds as seconds for messages (`0.5`, `30`). */
export function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** When the command's network work must end: `deadlineMs` from now; 0 or undefined: never. */
export class Deadline {
  readonly at: number | undefined;

  constructor(
    readonly limitMs: number | undefined,
    now: number = Date.now(),
  ) {
    this.at = limitMs === undefined || limitMs <= 0 ? undefined : now + limitMs;
  }

  /** Throws when the deadline has passed. */
  check(now: number = Date.now()): void {
    if (this.at !== undefined && now >= this.at)
      throw new TimeLimitError('deadline', this.limitMs ?? 0);
  }
}

/** The timer and abort signal of one request. */
export class RequestGuard {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #deadline: Deadline;
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort = (): void => this.#controller.abort(this.#outer?.reason);
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: {
    timeoutMs: number;
    mode: TimeoutMode;
    deadline: Deadline;
    signal: AbortSignal | undefined;
  }) {
    options.deadline.check();
    this.#timeoutMs = options.timeoutMs;
    this.#deadline = options.deadline;
    // the outer signal (Ctrl-C) aborts this request too; a listener, removed when it is done
    this.#outer = options.signal;
    if (this.#outer?.aborted === true) this.#onOuterAbort();
    else this.#outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
    this.#arm(options.mode === 'whole');
  }

  /** Aborted by a time limit or by the outer signal (with its reason). */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** (Re)starts the timer: the whole-request limit from now (when `whole`) or the deadline. */
  #arm(whole: boolean): void {
    this.#clearTimer();
    const now = Date.now();
    const wholeAt = whole ? now + this.#timeoutMs : Infinity;
    const deadlineAt = this.#deadline.at ?? Infinity;
    if (wholeAt === Infinity && deadlineAt === Infinity) return;
    const error =
      deadlineAt <= wholeAt
        ? new TimeLimitError('deadline', this.#deadline.limitMs ?? 0)
        : new TimeLimitError('request', this.#timeoutMs);
    this.#timer = setTimeout(
      () => this.#controller.abort(error),
      Math.max(0, Math.min(wholeAt, deadlineAt) - now),
    );
  }

  /** After the headers: a non-2xx answer of an idle-mode request gets the whole limit; the timer ends with the body. */
  watch(status: number, mode: TimeoutMode, body: Readable): void {
    if (mode === 'idle' && (status < 200 || status > 299)) this.#arm(true);
    const stop = (): void => this.done();
    body.once('end', stop);
    body.once('close', stop);
    body.once('error', stop);
  }

  /** The error to throw for a failed request: the time limit that aborted it, if one did. */
  reason(error: unknown): unknown {
    const reason: unknown = this.#controller.signal.reason;
    return this.#controller.signal.aborted && reason instanceof TimeLimitError ? reason : error;
  }

  /** The request and its body are over: no timer, no listener left behind. */
  done(): void {
    this.#clearTimer();
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
