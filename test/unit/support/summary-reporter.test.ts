import type { RunnerTestFile } from 'vitest';
import { afterEach, describe, expect, it, vi } from 'vitest';

import SummaryReporter from '../../support/summary-reporter.js';

type State = 'pass' | 'fail' | 'skip' | undefined;

const test = (name: string, mode: 'run' | 'skip', state: State) => ({
  type: 'test',
  name,
  mode,
  ...(state === undefined ? {} : { result: { state } }),
});

const suite = (state: State, tasks: unknown[]) => ({
  type: 'suite',
  name: 's',
  mode: 'run',
  tasks,
  ...(state === undefined ? {} : { result: { state } }),
});

function closingLine(files: unknown[], errors: unknown[] = []): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    new SummaryReporter().onFinished(files as RunnerTestFile[], errors);
  } finally {
    spy.mockRestore();
  }
  return out.trim();
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('summary reporter', () => {
  it('counts passed, failed and skipped tests', () => {
    const file = suite('fail', [
      test('a', 'run', 'pass'),
      test('b', 'run', 'fail'),
      test('c', 'skip', undefined),
    ]);
    expect(closingLine([file])).toBe('tests: 1 passed, 1 failed, 1 skipped');
  });

  it('counts the tests of a suite whose beforeAll failed as failed, not skipped', () => {
    const file = suite('fail', [
      suite('fail', [test('a', 'skip', 'skip'), test('b', 'skip', 'skip')]),
      test('c', 'run', 'pass'),
    ]);
    expect(closingLine([file])).toBe('tests: 1 passed, 2 failed, 0 skipped');
  });

  it('counts a file that failed before collecting any test, and unhandled errors', () => {
    expect(closingLine([suite('fail', [])], [new Error('unhandled')])).toBe(
      'tests: 0 passed, 2 failed, 0 skipped',
    );
  });
});
