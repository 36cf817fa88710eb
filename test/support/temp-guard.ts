/**
 * vitest globalSetup: each run gets a private temp folder, and fails if its tests leave anything
 * in it.
 *
 * The machine's temp folder is shared (other runs, other users), so comparing its `wit-deps*`
 * entries before and after a run would blame this run for what a concurrent one left. Instead
 * `TMPDIR` points at a new folder `wit-deps-test-run-XXXXXX` for the run: the test workers are
 * started after this setup and inherit it, and so do the CLIs and servers they start, so
 * `os.tmpdir()` is that folder everywhere. At teardown, every file's `afterAll` has run; anything
 * still in the folder is a leak: it is listed, the folder is removed (the leak does not outlive
 * the run), and the teardown throws, which fails the run (exit code 1) after the test summary.
 *
 * The CLI's own code cache (`wit-deps-code-cache-<uid>`, src/launcher.ts: a per-user folder in
 * the temp folder, as Node's compile cache is) is not a leak: CLIs that inherit `TMPDIR` write it
 * there, and it goes with the folder.
 *
 * `WIT_DEPS_TEMP_GUARD=warn` prints the list without failing the run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How many leftovers the report names one by one. */
const SHOWN = 20;

export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const run = mkdtempSync(join(tmpdir(), 'wit-deps-test-run-'));
  process.env['TMPDIR'] = run;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    const left = readdirSync(run)
      .filter((name) => !/^wit-deps-code-cache-\w+$/.test(name))
      .sort();
    rmSync(run, { recursive: true, force: true });
    if (left.length === 0) return;
    const names = left.slice(0, SHOWN).join(', ') + (left.length > SHOWN ? ', ...' : '');
    const message = `temp guard: the tests left ${left.length} entries in the temp folder (now removed): ${names}`;
    if (process.env['WIT_DEPS_TEMP_GUARD'] === 'warn') {
      process.stderr.write(`${message}\n`);
      return;
    }
    // the run's last line on stdout says it failed (the summary line above counts tests only)
    process.stdout.write(`temp guard: FAILED, ${left.length} entries left in the temp folder\n`);
    throw new Error(
      `${message}. Make them with tempDir()/tempProject() from test/support/temp-project.ts, ` +
        'or remove them in afterAll.',
    );
  };
}
