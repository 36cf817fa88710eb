/**
 * Attack class: the project lock taken over while its owner lives. Two containers that share a
 * mounted project see each other's pids as absent (or as unrelated processes), so a lock judged by
 * its pid alone is removed under a running install and both write the project at once. The lock
 * now names its owner's host, boot, PID namespace, pid and start time, and the owner refreshes its
 * mtime (a heartbeat): from another PID namespace or host the lock is stale only once the heartbeat
 * is old; from the same PID namespace when the pid is dead or reused by another process.
 *
 * The cross-namespace case runs a real lock holder inside `unshare --pid --fork --mount-proc`
 * (root and util-linux needed; without them the test is skipped, except under CI where it fails).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentIdentity,
  formatLockRecord,
  isProcessAlive,
  parseLockRecord,
  processStartTime,
} from '../../src/fs/process-identity.js';
import { PROJECT_MUTEX_FILE, acquireProjectMutex } from '../../src/project/project-mutex-io.js';
import { tempDir } from '../support/temp-project.js';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const tmp = (): Promise<string> => tempDir('wit-deps-plock-');

const lockPath = (root: string): string => join(root, PROJECT_MUTEX_FILE);

/** A pid that no process has: a child that was started and killed. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
  const pid = child.pid!;
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  return pid;
}

/** A live process other than this one (killed after the test). */
function liveChild(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  children.push(child);
  return child;
}

const locked = { code: 'ERR_PROJECT_LOCKED' };

describe('project lock in the same PID namespace', () => {
  it('takes over the lock of a dead pid at once, although its heartbeat is fresh', async () => {
    const root = await tmp();
    const owner = { ...(await currentIdentity()), pid: await deadPid(), start: '1' };
    await writeFile(lockPath(root), formatLockRecord(owner));
    const release = await acquireProjectMutex(root, { waitMs: 0 });
    expect(parseLockRecord(await readFile(lockPath(root), 'utf8'))?.pid).toBe(process.pid);
    await release();
  });

  it('takes over the lock of a live pid that another process now has (pid reuse)', async () => {
    const root = await tmp();
    const child = liveChild();
    const pid = child.pid!;
    const start = await processStartTime(pid);
    expect(start).toMatch(/^\d+$/);
    const self = await currentIdentity();
    // the same pid with its true start time is its owner: the lock holds
    await writeFile(lockPath(root), formatLockRecord({ ...self, pid, start }));
    await expect(acquireProjectMutex(root, { waitMs: 300 })).rejects.toMatchObject(locked);
    // the same pid with another start time: the owner died and its pid went to this child
    const other = String(Number(start) - 1);
    await writeFile(lockPath(root), formatLockRecord({ ...self, pid, start: other }));
    const release = await acquireProjectMutex(root, { waitMs: 0 });
    expect(parseLockRecord(await readFile(lockPath(root), 'utf8'))?.pid).toBe(process.pid);
    await release();
  });

  it('judges a lock in the old format (a pid only) by its pid, as before', async () => {
    const root = await tmp();
    await writeFile(lockPath(root), `${liveChild().pid}\n`);
    await expect(acquireProjectMutex(root, { waitMs: 0 })).rejects.toMatchObject(locked);
    await writeFile(lockPath(root), `${await deadPid()}\n`);
    const release = await acquireProjectMutex(root, { waitMs: 0 });
    await release();
  });
});

describe('project lock from another host', () => {
  it('is kept while its heartbeat is fresh, whatever its pid, and taken over once it is old', async () => {
    const root = await tmp();
    const owner = { ...(await currentIdentity()), host: 'another-machine', pid: await deadPid() };
    await writeFile(lockPath(root), formatLockRecord(owner));
    await expect(acquireProjectMutex(root, { waitMs: 0 })).rejects.toMatchObject(locked);
    const old = new Date(Date.now() - 31_000);
    await utimes(lockPath(root), old, old);
    const release = await acquireProjectMutex(root, { waitMs: 0 });
    await release();
  });

  it('takes over a lock whose mtime lies far in the future (it cannot hold the lock for ever)', async () => {
    const root = await tmp();
    const owner = { ...(await currentIdentity()), host: 'another-machine', pid: await deadPid() };
    await writeFile(lockPath(root), formatLockRecord(owner));
    const future = new Date(Date.now() + 3_600_000);
    await utimes(lockPath(root), future, future);
    const release = await acquireProjectMutex(root, { waitMs: 0 });
    await release();
  });
});

/** True when `unshare` can make a PID namespace here; the reason when it cannot. */
function unshareProblem(): string | undefined {
  const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], {
    encoding: 'utf8',
  });
  if (probe.error !== undefined) return probe.error.message;
  return probe.status === 0 ? undefined : `exit ${probe.status}: ${probe.stderr.trim()}`;
}

const problem = unshareProblem();
const ci =
  process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';

interface Holder {
  child: ChildProcess;
  pid: number;
  pidns: string;
}

/**
 * Starts the lock holder in a new PID namespace. Its pid there is one that no process has here
 * (the namespace's next pid is set through `ns_last_pid`), as a container's pids usually are.
 */
async function holdInNamespace(root: string, heartbeatMs: number): Promise<Holder> {
  const script = join(await tmp(), 'lock-holder.mjs');
  const entry = join(import.meta.dirname, '../support/lock-holder.ts');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    logLevel: 'silent',
  });
  let nsPid = 30_000 + Math.floor(Math.random() * 2_000);
  while (isProcessAlive(nsPid)) nsPid++;
  const shell = `echo ${nsPid - 1} > /proc/sys/kernel/ns_last_pid && "$0" "$1" "$2" "$3"; exit $?`;
  const args = ['--pid', '--fork', '--mount-proc', '--kill-child', 'sh', '-c', shell];
  const child = spawn('unshare', [...args, process.execPath, script, root, String(heartbeatMs)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`holder exited ${code}: ${stderr}`)));
  });
  const { pid, pidns } = JSON.parse(first) as { pid: number; pidns: string };
  return { child, pid, pidns };
}

describe.skipIf(problem !== undefined && !ci)('project lock across PID namespaces', () => {
  it('is not taken over while its owner lives in another namespace, and is once it is killed', async () => {
    if (problem !== undefined) throw new Error(`unshare cannot make a PID namespace: ${problem}`);
    const root = await tmp();
    const holder = await holdInNamespace(root, 200);
    // the scenario: another namespace, and a pid that here is no process at all
    expect(holder.pidns).not.toBe(readlinkSync('/proc/self/ns/pid'));
    expect(isProcessAlive(holder.pid)).toBe(false);
    const record = await readFile(lockPath(root), 'utf8');
    expect(parseLockRecord(record)?.pid).toBe(holder.pid);

    // waiting 2.5 s, longer than the 1 s threshold: the heartbeat keeps the lock fresh
    const options = { staleAfterMs: 1_000 };
    await expect(acquireProjectMutex(root, { ...options, waitMs: 2_500 })).rejects.toMatchObject(
      locked,
    );
    expect(await readFile(lockPath(root), 'utf8')).toBe(record);

    holder.child.stdin!.write('die\n');
    await new Promise((r) => holder.child.on('exit', r));
    // killed just now: its last heartbeat is still fresh
    await expect(acquireProjectMutex(root, { ...options, waitMs: 0 })).rejects.toMatchObject(
      locked,
    );
    const release = await acquireProjectMutex(root, { ...options, waitMs: 5_000 });
    expect(parseLockRecord(await readFile(lockPath(root), 'utf8'))?.pid).toBe(process.pid);
    await release();
  }, 20_000);
});
