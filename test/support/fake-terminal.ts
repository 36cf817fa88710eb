/**
 * A fake terminal stream (isTTY, columns, every write kept) and a hand-driven clock for the
 * progress line: `advance(ms)` moves time and fires the timers that fall due, in order.
 */
import type { TextSink } from '../../src/cli/io.js';
import type { Clock } from '../../src/cli/render/status-line.js';

export interface FakeStream extends TextSink {
  writes: string[];
  text(): string;
}

export function fakeStream(options: { isTTY?: boolean; columns?: number } = {}): FakeStream {
  const writes: string[] = [];
  return {
    ...(options.isTTY === undefined ? {} : { isTTY: options.isTTY }),
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    writes,
    write: (chunk: string) => writes.push(chunk),
    text: () => writes.join(''),
  };
}

export interface FakeClock extends Clock {
  advance(ms: number): void;
  pending(): number;
}

export function fakeClock(): FakeClock {
  let now = 0;
  let nextId = 0;
  let timers: { id: number; at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.push({ id, at: now + ms, fn });
      return id;
    },
    clearTimer: (handle) => {
      timers = timers.filter((t) => t.id !== handle);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}
