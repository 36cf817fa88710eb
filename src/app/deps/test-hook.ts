/**
 * TEST HOOK, not a feature: lets the failure-safety tests stop a real `wit-deps install` process
 * at an exact step of its commit and `kill -9` it there (test/e2e/install-kill.test.ts).
 *
 * It is active only when BOTH variables are set and well-formed:
 * - `WIT_DEPS_TEST_HOOK_PAUSE_AT=<n>`: pause at the n-th commit step (1 = everything staged,
 *   2 = journal written, then one per rename, the lock write, the journal deletion);
 * - `WIT_DEPS_TEST_HOOK_PAUSED_FILE=<absolute path>`: written (`<n> <step>`) when paused, so the
 *   test knows when to kill.
 *
 * Paused, the install waits (at most 60 s, then carries on), so a hook set by mistake delays an
 * install but never changes what it writes. The file is created, never overwritten; when it cannot
 * be created (it exists, its folder does not) the hook does not pause and the install carries on:
 * the hook never fails a commit. Steps are listed in `project/install-commit-io.ts`.
 */
import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Checkpoint } from '../../project/install-commit-io.js';

const PAUSE_AT = 'WIT_DEPS_TEST_HOOK_PAUSE_AT';
const PAUSED_FILE = 'WIT_DEPS_TEST_HOOK_PAUSED_FILE';
const PAUSE_MS = 60_000;

/** The commit checkpoint the test hook asks for, or undefined (the normal case). */
export function testHookCheckpoint(
  env: Readonly<Record<string, string | undefined>>,
): Checkpoint | undefined {
  const at = env[PAUSE_AT];
  const file = env[PAUSED_FILE];
  if (at === undefined || file === undefined || !/^[1-9][0-9]{0,3}$/.test(at) || !isAbsolute(file))
    return undefined;
  const target = Number(at);
  let step = 0;
  return async (name) => {
    step += 1;
    if (step !== target) return;
    const written = await writeFile(file, `${step} ${name}\n`, { flag: 'wx' }).then(
      () => true,
      () => false,
    );
    if (!written) return;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  };
}
