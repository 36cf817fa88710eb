/**
 * The text of a progress line, fitted to a terminal width:
 * `[#####.....] 4/7 packages  123 KB  wasi:http@0.2.0`.
 *
 * When the line does not fit, the parts give way in order: the subject is shortened (with `…`),
 * then dropped, then the byte count, then the bar narrows and goes; the count stays (cut only on
 * absurdly narrow terminals). The result is always shorter than `columns`, so the cursor never
 * wraps to a second row (a wrapped row could not be cleared with `\r`).
 */

/** What a progress line shows. */
export interface ProgressState {
  /** Units finished. */
  done: number;
  /** Units known so far (may grow while the work is discovered). */
  total: number;
  /** What the units are: `packages`, `written`. */
  noun: string;
  /** Bytes downloaded so far; shown when above zero. */
  bytes: number;
  /** The latest thing worked on (a package id), or empty. */
  subject: string;
}

/** The bar's width in cells (without brackets) when there is room. */
export const BAR_CELLS = 20;
const MIN_BAR_CELLS = 5;
const MIN_SUBJECT = 8;
const SEPARATOR = '  ';

/** `512 B`, `45 KB`, `1.2 MB`, `3.4 GB` (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** `[#####.....]` with `cells` cells, filled in proportion to done/total. */
export function formatBar(done: number, total: number, cells: number): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.floor(ratio * cells);
  return `[${'#'.repeat(filled)}${'.'.repeat(cells - filled)}]`;
}

function join(parts: readonly string[]): string {
  return parts.filter((p) => p.length > 0).join(SEPARATOR);
}

/** Keeps the end of a subject shorter than it is, marking the cut with `…` at the start. */
function shorten(subject: string, room: number): string {
  if (subject.length <= room) return subject;
  return room < MIN_SUBJECT ? '' : `…${subject.slice(subject.length - room + 1)}`;
}

/** The line for `state`, at most `columns - 1` characters long. */
export function formatProgress(state: ProgressState, columns: number): string {
  const max = Math.max(1, columns - 1);
  const count = `${state.done}/${state.total} ${state.noun}`;
  const bytes = state.bytes > 0 ? formatBytes(state.bytes) : '';
  const full = `${formatBar(state.done, state.total, BAR_CELLS)} ${count}`;
  const head = join([full, bytes]);
  if (state.subject.length > 0) {
    const room = max - head.length - SEPARATOR.length;
    const subject = room > 0 ? shorten(state.subject, room) : '';
    if (subject.length > 0) return join([head, subject]);
  }
  if (head.length <= max) return head;
  if (full.length <= max) return full;
  const cells = max - count.length - 3;
  if (cells >= MIN_BAR_CELLS) return `${formatBar(state.done, state.total, cells)} ${count}`;
  return count.slice(0, max);
}
