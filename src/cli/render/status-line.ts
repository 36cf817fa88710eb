/**
 * One line on a terminal redrawn in place: `\r`, the text, then clear-to-end-of-line (`ESC[K`),
 * written as one chunk so the terminal never shows half a line.
 *
 * Redraws are throttled: at most one per `intervalMs` (default 100 ms, so ~10 per second); an
 * update inside the interval is drawn when the interval ends (a timer), so the line never stays
 * stale behind a burst. `clear()` erases the line before anything else is written to the stream
 * (a message, the summary, an error); the next update draws it again. `stop()` erases it for good.
 * The clock and timers are injected so tests can drive time by hand.
 */
import type { TextSink } from '../io.js';
import { formatProgress, type ProgressState } from './progress-format.js';

/** Erase from the cursor to the end of the line. */
export const CLEAR_TO_END = '\u001b[K';
/** Columns assumed when the stream does not say. */
export const DEFAULT_COLUMNS = 80;

/** Time as the status line sees it. */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`; must not keep the process alive. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface StatusLineOptions {
  clock?: Clock;
  intervalMs?: number;
}

/** A throttled, self-erasing progress line on `stream`. */
export class StatusLine {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private state: ProgressState | undefined;
  /** The text on screen, or undefined when the line is clear. */
  private shown: string | undefined;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly stream: TextSink,
    options: StatusLineOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.intervalMs = options.intervalMs ?? 100;
  }

  /** Sets what the line shows; drawn now or at the end of the current interval. */
  update(state: ProgressState): void {
    if (this.stopped) return;
    this.state = state;
    const wait = this.lastDraw + this.intervalMs - this.clock.now();
    if (wait <= 0) this.draw();
    else this.timer ??= this.clock.setTimer(() => this.draw(), wait);
  }

  /**
   * Erases the line (if drawn) so the caller can write a message; the line comes back one
   * interval later (or at the next update after that), below the message.
   */
  clear(): void {
    if (this.shown === undefined) return;
    this.stream.write(`\r${CLEAR_TO_END}`);
    this.shown = undefined;
    this.lastDraw = this.clock.now();
    if (!this.stopped) this.timer ??= this.clock.setTimer(() => this.draw(), this.intervalMs);
  }

  /** Erases the line for good: later updates are ignored. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.clear();
  }

  private draw(): void {
    this.cancelTimer();
    if (this.state === undefined || this.stopped) return;
    const columns = this.stream.columns;
    const width = columns !== undefined && columns > 0 ? columns : DEFAULT_COLUMNS;
    const text = formatProgress(this.state, width);
    this.lastDraw = this.clock.now();
    if (text === this.shown) return;
    this.shown = text;
    this.stream.write(`\r${text}${CLEAR_TO_END}`);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
