/**
 * A mutex between processes, possibly of other containers or hosts sharing the folder (the
 * project lock, `project/project-mutex-io.ts`, is one: one install at a time per project). The
 * mutex is a file created exclusively (`O_EXCL`) that names its owner (see process-identity.ts:
 * host, boot, PID namespace, pid and process start time); a second process waits for it (up to a
 * timeout) and then fails with the error its caller names.
 *
 * A lock whose owner is gone (killed with `kill -9`) is stale and taken over. Whether the owner is
 * gone is judged two ways. In the owner's own PID space (same host, boot and PID namespace) its pid
 * says it: stale when no such process runs, or one with another start time (the pid was reused).
 * From anywhere else (another container sharing a mounted project, another host on a network
 * file system) the pid means nothing, so the owner proves it lives by a heartbeat: it sets the lock
 * file's mtime every {@link HEARTBEAT_MS} while it holds the lock, and the lock is stale only once
 * that mtime is older than {@link STALE_AFTER_MS}. A lock in the old format (a pid only) is judged
 * by its pid, as before.
 *
 * Taking over is guarded: a stale lock is removed only by the holder of a second exclusive file
 * (`<file>.takeover`), after reading the lock again under it. Without the guard, two
 * processes that both read the dead pid could each remove the lock and the second would delete
 * the lock the first had just created, so both would hold it.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { open, rm, stat, utimes } from 'node:fs/promises';
import { type WitDepsError, hasErrno, throwIfInterrupted } from '../errors.js';
import { fsError } from './error-text.js';
import {
  currentIdentity,
  formatLockRecord,
  isProcessAlive,
  parseLockRecord,
  processStartTime,
  samePidSpace,
  type ProcessIdentity,
} from './process-identity.js';
import { onHardExit } from './exit-cleanup.js';
import { readRegularText } from './safe-read.js';

/** How often the owner refreshes the lock file's mtime, in ms. */
export const HEARTBEAT_MS = 2_000;
/** A lock seen from another PID space is stale once its heartbeat is this old, in ms. */
export const STALE_AFTER_MS = 30_000;
/** A lock or guard file is written within milliseconds of its creation; older ones are abandoned. */
const UNWRITTEN_MAX_AGE_MS = 10_000;
/** Largest lock record read (ours are ~150 bytes). */
const MAX_RECORD = 4096;

/** What a mutex guards, for its messages. */
export interface MutexSubject {
  /** How the mutex is named in messages (`the project lock`). */
  what: string;
  /** The hint when the mutex file cannot be created (a folder the user cannot write). */
  createHint: string;
  /** The error when the mutex is still held once the wait is over. */
  busy: () => WitDepsError;
}

/** Creates the lock or guard file; the written record, or undefined when it exists already. */
async function tryCreate(path: string, subject: MutexSubject): Promise<string | undefined> {
  try {
    const handle = await open(path, 'wx');
    const record = formatLockRecord(await currentIdentity());
    try {
      await handle.writeFile(record);
    } finally {
      await handle.close();
    }
    return record;
  } catch (error) {
    if (hasErrno(error, 'EEXIST')) return undefined;
    throw fsError(
      'mutex-create-failed',
      { path, what: subject.what, fix: subject.createHint },
      { cause: error },
    );
  }
}

/**
 * How long ago the file's mtime was, either way: an mtime far in the future (a clock set back
 * since, or a planted file) counts as old, so it cannot hold the lock for ever.
 */
async function ageOf(path: string): Promise<number> {
  return stat(path).then(
    (s) => Math.abs(Date.now() - s.mtimeMs),
    () => 0,
  );
}

/** Judges a lock written in this process's PID space by its pid and start time. */
async function ownerGone(owner: ProcessIdentity, self: ProcessIdentity): Promise<boolean> {
  if (owner.pid === self.pid)
    return owner.start !== '' && self.start !== '' && owner.start !== self.start;
  if (!isProcessAlive(owner.pid)) return true;
  if (owner.start === '') return false;
  const start = await processStartTime(owner.pid);
  return start !== '' && start !== owner.start;
}

/** Timing of a mutex: how often it is refreshed, when another PID space's copy is stale. */
interface Timing {
  heartbeatMs: number;
  staleAfterMs: number;
}

async function staleOwner(path: string, subject: MutexSubject, timing: Timing): Promise<boolean> {
  let text: string;
  try {
    text = await readRegularText(path, {
      limit: MAX_RECORD,
      display: `${subject.what} \`${path}\``,
    });
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return true;
    throw error;
  }
  const owner = parseLockRecord(text);
  // no pid yet: being written, unless its writer died between creating and writing it
  if (owner === undefined) return (await ageOf(path)) > UNWRITTEN_MAX_AGE_MS;
  if (owner.legacy) return owner.pid !== process.pid && !isProcessAlive(owner.pid);
  const self = await currentIdentity();
  if (samePidSpace(owner, self)) return ownerGone(owner, self);
  return (await ageOf(path)) > timing.staleAfterMs;
}

/** Removes the lock at `path` if it is still stale, as the only process doing so (see above). */
async function takeOver(path: string, subject: MutexSubject, timing: Timing): Promise<void> {
  const guard = `${path}.takeover`;
  if ((await tryCreate(guard, subject)) === undefined) {
    // a guard whose holder died (killed in the instant it held it) would block takeovers for ever
    if (await staleOwner(guard, subject, timing)) await rm(guard, { force: true });
    return;
  }
  try {
    if (await staleOwner(path, subject, timing)) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** True while the file at `path` still holds `record` (it was not taken over meanwhile). */
async function stillOurs(path: string, record: string): Promise<boolean> {
  return readRegularText(path, { limit: MAX_RECORD }).then(
    (text) => text === record,
    () => false,
  );
}

/** Starts the heartbeat of a lock just created; returns the release function. */
function hold(path: string, record: string, heartbeatMs: number): () => Promise<void> {
  let beating: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    beating = (async () => {
      const now = new Date();
      if (await stillOurs(path, record)) await utimes(path, now, now);
    })().catch(() => undefined);
  }, heartbeatMs);
  timer.unref();
  // a second Ctrl-C exits at once: the lock file goes with the process all the same
  const unregister = onHardExit(() => {
    if (readFileSync(path, 'utf8') === record) unlinkSync(path);
  });
  return async () => {
    unregister();
    clearInterval(timer);
    await beating;
    // a lock taken over while we were stopped (SIGSTOP, a suspended laptop) is no longer ours
    if (await stillOurs(path, record)) await rm(path, { force: true });
  };
}

/** Options of {@link acquireMutex}. */
export interface MutexOptions {
  /** How long to wait for another holder, in ms (default 30 s; 0 fails at once). */
  waitMs?: number;
  /** Called once when the mutex is busy and we start waiting. */
  onWait?: () => void;
  /** Stops the wait (Ctrl-C) with `ERR_INTERRUPTED`. */
  signal?: AbortSignal;
  /** How often to refresh the mutex while held, in ms (default {@link HEARTBEAT_MS}). */
  heartbeatMs?: number;
  /** Heartbeat age after which another PID space's mutex is stale, in ms (default {@link STALE_AFTER_MS}). */
  staleAfterMs?: number;
}

/** Takes the mutex whose file is `path`; returns the function that releases it. */
export async function acquireMutex(
  path: string,
  subject: MutexSubject,
  options: MutexOptions = {},
): Promise<() => Promise<void>> {
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  const timing: Timing = {
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    staleAfterMs: options.staleAfterMs ?? STALE_AFTER_MS,
  };
  let waited = false;
  for (;;) {
    throwIfInterrupted(options.signal, `while waiting for ${subject.what}`);
    let record = await tryCreate(path, subject);
    if (record === undefined && (await staleOwner(path, subject, timing))) {
      await takeOver(path, subject, timing);
      record = await tryCreate(path, subject);
    }
    if (record !== undefined) return hold(path, record, timing.heartbeatMs);
    if (Date.now() >= deadline) throw subject.busy();
    if (!waited) options.onWait?.();
    waited = true;
    await new Promise((r) => setTimeout(r, 100));
  }
}
