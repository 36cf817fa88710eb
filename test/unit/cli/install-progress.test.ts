import { describe, expect, it } from 'vitest';
import type { InstallEvent } from '../../../src/app/deps/install.js';
import { installProgress } from '../../../src/cli/render/install-progress.js';
import type { ProgressState } from '../../../src/cli/render/progress-format.js';

function run(events: InstallEvent[]): ProgressState[] {
  const states: ProgressState[] = [];
  const handle = installProgress({ update: (s) => states.push(s) });
  for (const e of events) handle(e);
  return states;
}

describe('install events as progress', () => {
  it('counts packages done out of those known so far, with bytes and the latest package', () => {
    const states = run([
      { kind: 'tags', name: 'wasi:http', cached: false },
      { kind: 'package-start', id: 'wasi:http@0.2.0' },
      { kind: 'manifest', id: 'wasi:http@0.2.0' },
      { kind: 'download', id: 'wasi:http@0.2.0', bytes: 46_000 },
      { kind: 'package-done', id: 'wasi:http@0.2.0' },
      { kind: 'package-start', id: 'wasi:io@0.2.0' },
      { kind: 'package-start', id: 'wasi:clocks@0.2.0' },
      { kind: 'cache-hit', id: 'wasi:io@0.2.0' },
      { kind: 'package-done', id: 'wasi:io@0.2.0' },
    ]);
    const fetch = (done: number, total: number, bytes: number, subject: string) => ({
      done,
      total,
      noun: 'packages',
      bytes,
      subject,
    });
    expect(states).toEqual([
      fetch(0, 1, 0, 'wasi:http'),
      fetch(0, 1, 46_000, 'wasi:http@0.2.0'),
      fetch(1, 1, 46_000, 'wasi:http@0.2.0'),
      fetch(1, 2, 46_000, 'wasi:http@0.2.0'),
      fetch(1, 3, 46_000, 'wasi:http@0.2.0'),
      fetch(2, 3, 46_000, 'wasi:io@0.2.0'),
    ]);
  });

  it('switches to folders written once the write phase is announced', () => {
    const states = run([
      { kind: 'package-start', id: 'wasi:io@0.2.0' },
      { kind: 'download', id: 'wasi:io@0.2.0', bytes: 2048 },
      { kind: 'package-done', id: 'wasi:io@0.2.0' },
      { kind: 'resolved', packages: 1 },
      { kind: 'writing', folders: 2 },
      { kind: 'write', id: 'wasi:io@0.2.0', folder: 'wasi-io-0.2.0' },
    ]);
    expect(states.slice(3)).toEqual([
      { done: 0, total: 2, noun: 'written', bytes: 2048, subject: '' },
      { done: 1, total: 2, noun: 'written', bytes: 2048, subject: 'wasi-io-0.2.0' },
    ]);
  });

  it('draws nothing for a write phase with nothing to write', () => {
    const states = run([{ kind: 'writing', folders: 0 }]);
    expect(states).toEqual([]);
  });
});
