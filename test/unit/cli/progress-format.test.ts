import { describe, expect, it } from 'vitest';
import {
  formatBar,
  formatBytes,
  formatProgress,
  type ProgressState,
} from '../../../src/cli/render/progress-format.js';

const state: ProgressState = {
  done: 4,
  total: 7,
  noun: 'packages',
  bytes: 126_000,
  subject: 'wasi:http@0.2.0',
};

describe('progress line text', () => {
  it('formats byte counts in powers of 1024', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(126_000)).toBe('123 KB');
    expect(formatBytes(5 * 1024 * 1024 + 300 * 1024)).toBe('5.3 MB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GB');
  });

  it('fills the bar in proportion, never beyond its cells', () => {
    expect(formatBar(0, 7, 10)).toBe('[..........]');
    expect(formatBar(4, 7, 10)).toBe('[#####.....]');
    expect(formatBar(7, 7, 10)).toBe('[##########]');
    expect(formatBar(9, 7, 10)).toBe('[##########]');
    expect(formatBar(0, 0, 10)).toBe('[..........]');
  });

  it('shows bar, count, bytes and subject when there is room', () => {
    expect(formatProgress(state, 80)).toBe(
      '[###########.........] 4/7 packages  123 KB  wasi:http@0.2.0',
    );
    expect(formatProgress({ ...state, bytes: 0, subject: '' }, 80)).toBe(
      '[###########.........] 4/7 packages',
    );
  });

  it('stays shorter than the terminal at every width, giving way part by part', () => {
    const long = { ...state, subject: 'acme-corporation:billing-service-interfaces@12.3.4' };
    for (let columns = 1; columns <= 120; columns++)
      expect(formatProgress(long, columns).length).toBeLessThan(Math.max(2, columns));
    // the subject is shortened from the start, keeping the version
    expect(formatProgress(long, 60)).toBe(
      '[###########.........] 4/7 packages  123 KB  …rfaces@12.3.4',
    );
    expect(formatProgress(long, 60)).toHaveLength(59);
    // then dropped, then the bytes, then the bar narrows, then goes
    expect(formatProgress(long, 50)).toBe('[###########.........] 4/7 packages  123 KB');
    expect(formatProgress(long, 40)).toBe('[###########.........] 4/7 packages');
    expect(formatProgress(long, 30)).toBe('[########......] 4/7 packages');
    expect(formatProgress(long, 20)).toBe('4/7 packages');
    expect(formatProgress(long, 8)).toBe('4/7 pac');
  });
});
