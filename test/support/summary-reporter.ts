/**
 * Prints the closing line `tests: N passed, N failed, N skipped` after a vitest run, so the
 * outcome of a run can be read off its last line by any tool, whatever vitest's own summary says.
 */
import type { Reporter } from 'vitest/reporters';
import type { RunnerTestFile, RunnerTask } from 'vitest';

/**
 * Adds up the tests of `tasks`. A test that did not run because its suite failed (a `beforeAll`
 * that threw) counts as failed, not skipped: vitest gives such tests the result `skip`, which
 * would hide a broken setup behind a green-looking count. (A test skipped in its source has no
 * result at all and stays skipped.)
 */
function count(
  tasks: readonly RunnerTask[],
  into: { passed: number; failed: number; skipped: number },
  suiteFailed: boolean,
): void {
  for (const task of tasks) {
    if (task.type === 'suite') {
      count(task.tasks, into, suiteFailed || task.result?.state === 'fail');
      continue;
    }
    const state = task.result?.state;
    if (state === 'pass') into.passed += 1;
    else if (state === 'fail' || (suiteFailed && state === 'skip')) into.failed += 1;
    else into.skipped += 1;
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    for (const file of files) {
      if (file.result?.state === 'fail' && file.tasks.length === 0) totals.failed += 1;
      count(file.tasks, totals, file.result?.state === 'fail');
    }
    if (errors.length > 0) totals.failed += errors.length;
    process.stdout.write(
      `\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
    );
  }
}
