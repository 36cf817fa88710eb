/**
 * The project lock: one install at a time per project. The lock is a file created exclusively
 * (`O_EXCL`) in the project folder holding the owner's pid; a second install waits for it (up to
 * a timeout) and then fails with `ERR_PROJECT_LOCKED`. A lock whose process is gone (killed with
 * `kill -9`) is stale and taken over.
 *
 * Taking over is guarded: a stale lock is removed only by the holder of a second exclusive file
 * (`.wit-deps.lock.takeover`), after reading the lock again under it. Without the guard, two
 * processes that both read the dead pid could each remove the lock and the second would delete
 * the lock the first had just created, so both would hold it.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { WitDepsError, hasErrno, throwIfInterrupted } from '../errors.js';

/** The lock file's name, in the project folder. */
export const PROJECT_LOCK_FILE = '.wit-deps.lock';

/** True when a process with this pid exists (it may belong to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrno(error, 'EPERM');
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return true;
  } catch (error) {
    if (hasErrno(error, 'EEXIST')) return false;
    throw new WitDepsError('ERR_FS', `the project lock \`${path}\` could not be created`, {
      hint: 'run wit-deps as a user who can write the project folder',
      cause: error,
      details: { path },
    });
  }
}

/** A lock or guard file is written within milliseconds of its creation; older ones are abandoned. */
const UNWRITTEN_MAX_AGE_MS = 10_000;

async function ageOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0,
  );
}

async function staleOwner(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return hasErrno(error, 'ENOENT');
  }
  const pid = Number.parseInt(text.trim(), 10);
  // no pid yet: being written, unless its writer died between creating and writing it
  if (!Number.isSafeInteger(pid) || pid <= 0) return (await ageOf(path)) > UNWRITTEN_MAX_AGE_MS;
  return pid !== process.pid && !isProcessAlive(pid);
}

/** Removes the lock at `path` if it is still stale, as the only process doing so (see above). */
async function takeOver(path: string): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await tryCreate(guard))) {
    // a guard whose holder died (killed in the instant it held it) would block takeovers for ever
    if (await staleOwner(guard)) await rm(guard, { force: true });
    return;
  }
  try {
    if (await staleOwner(path)) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** Options of {@link acquireProjectLock}. */
export interface ProjectLockOptions {
  /** How long to wait for another install, in ms (default 30 s; 0 fails at once). */
  waitMs?: number;
  /** Called once when the lock is busy and we start waiting. */
  onWait?: () => void;
  /** Stops the wait (Ctrl-C) with `ERR_INTERRUPTED`. */
  signal?: AbortSignal;
}

/** Takes the project lock; returns the function that releases it. */
export async function acquireProjectLock(
  root: string,
  options: ProjectLockOptions = {},
): Promise<() => Promise<void>> {
  const path = join(root, PROJECT_LOCK_FILE);
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  let waited = false;
  for (;;) {
    throwIfInterrupted(options.signal, 'while waiting for the project lock');
    if (await tryCreate(path)) return () => rm(path, { force: true });
    if (await staleOwner(path)) {
      await takeOver(path);
      if (await tryCreate(path)) return () => rm(path, { force: true });
    }
    if (Date.now() >= deadline)
      throw new WitDepsError(
        'ERR_PROJECT_LOCKED',
        `project \`${root}\` is locked by another wit-deps process`,
        {
          hint: `wait for the other install to finish, or delete \`${PROJECT_LOCK_FILE}\` if no wit-deps is running`,
          details: { path },
        },
      );
    if (!waited) options.onWait?.();
    waited = true;
    await new Promise((r) => setTimeout(r, 100));
  }
}
