import { describe, expect, it } from 'vitest';
import type { ProgressState } from '../../../src/cli/render/progress-format.js';
import { StatusLine } from '../../../src/cli/render/status-line.js';
import { fakeClock, fakeStream } from '../../support/fake-terminal.js';

const at = (done: number, subject = ''): ProgressState => ({
  done,
  total: 4,
  noun: 'packages',
  bytes: 0,
  subject,
});
const ERASE = '\r\u001b[K';
const drawn = (done: number, subject = ''): string =>
  `\r[${'#'.repeat(done * 5)}${'.'.repeat(20 - done * 5)}] ${done}/4 packages${subject ? '  ' + subject : ''}\u001b[K`;

function setup(columns?: number) {
  const stream = fakeStream({ isTTY: true, ...(columns === undefined ? {} : { columns }) });
  const clock = fakeClock();
  const line = new StatusLine(stream, { clock, intervalMs: 100 });
  return { stream, clock, line };
}

describe('status line', () => {
  it('redraws in place with \\r and clear-to-end, one write per redraw', () => {
    const { stream, clock, line } = setup();
    line.update(at(1, 'wasi:io@0.2.0'));
    clock.advance(100);
    line.update(at(2, 'wasi:http@0.2.0'));
    expect(stream.writes).toEqual([drawn(1, 'wasi:io@0.2.0'), drawn(2, 'wasi:http@0.2.0')]);
  });

  it('draws at most once per interval and shows the latest state when the interval ends', () => {
    const { stream, clock, line } = setup();
    line.update(at(0));
    line.update(at(1));
    clock.advance(30);
    line.update(at(2));
    line.update(at(3));
    expect(stream.writes).toEqual([drawn(0)]);
    clock.advance(69);
    expect(stream.writes).toEqual([drawn(0)]);
    clock.advance(1);
    expect(stream.writes).toEqual([drawn(0), drawn(3)]);
    expect(clock.pending()).toBe(0);
    // 25 updates over one second: at most 11 draws (the first, then one per 100 ms)
    for (let i = 0; i < 25; i++) {
      line.update(at(i % 5));
      clock.advance(40);
    }
    clock.advance(200);
    expect(stream.writes.length - 2).toBeLessThanOrEqual(11);
    expect(stream.writes.length - 2).toBeGreaterThanOrEqual(9);
  });

  it('does not redraw an unchanged line', () => {
    const { stream, clock, line } = setup();
    line.update(at(1));
    clock.advance(500);
    line.update(at(1));
    expect(stream.writes).toEqual([drawn(1)]);
  });

  it('clears before a message and comes back one interval later', () => {
    const { stream, clock, line } = setup();
    line.update(at(1));
    line.clear();
    stream.write('warning: something\n');
    line.clear(); // nothing drawn: writes nothing
    clock.advance(100);
    expect(stream.writes).toEqual([drawn(1), ERASE, 'warning: something\n', drawn(1)]);
  });

  it('stop erases the line, cancels a pending redraw and ignores later updates', () => {
    const { stream, clock, line } = setup();
    line.update(at(1));
    line.update(at(2)); // pending
    line.stop();
    line.update(at(3));
    clock.advance(1000);
    expect(stream.writes).toEqual([drawn(1), ERASE]);
    expect(clock.pending()).toBe(0);
    line.stop();
    expect(stream.writes).toEqual([drawn(1), ERASE]);
  });

  it('fits the line to the stream width, read at each redraw', () => {
    const { stream, clock, line } = setup(30);
    line.update(at(2, 'wasi:http@0.2.0'));
    stream.columns = 60;
    clock.advance(100);
    line.update(at(3, 'wasi:http@0.2.0'));
    expect(stream.writes).toEqual([
      '\r[#######.......] 2/4 packages\u001b[K',
      drawn(3, 'wasi:http@0.2.0'),
    ]);
    for (const w of stream.writes) expect(w.length - ERASE.length).toBeLessThan(60);
  });

  it('assumes 80 columns when the width is unknown', () => {
    const { stream, line } = setup();
    line.update({ ...at(1), subject: 'x'.repeat(200) });
    expect(stream.writes[0]!.length - ERASE.length).toBe(79);
  });
});
