/**
 * Who holds a mutex (`mutex.ts`; the project lock is one), precisely enough to judge from another
 * process whether the holder still lives. A pid alone says nothing outside its PID namespace: two
 * containers that share a mounted project each see the other's pid as absent, or as some unrelated
 * process. So the mutex file records the host (`/etc/machine-id`, else the hostname), the boot (`/proc/sys/kernel/random/boot_id`),
 * the PID namespace (`readlink /proc/self/ns/pid`, e.g. `pid:[4026531836]`), the pid, and the
 * process's start time (field 22 of `/proc/<pid>/stat`, in clock ticks since boot), which tells a
 * reused pid from its first owner. Where `/proc` is missing (macOS, Windows) those fields are empty
 * and compare equal, so the pid check of one machine still applies.
 *
 * The record is text: the pid on the first line (what older versions wrote and read), then
 * `key=value` lines. An older version reading a new record still finds the pid first.
 */
import { readFile, readlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { hasErrno } from '../errors.js';

/**
 * True when a process with this pid exists in this PID namespace (it may belong to another user).
 * A pid of another namespace or host means nothing here: callers judge those by other evidence.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrno(error, 'EPERM');
  }
}

/** A lock holder as recorded in the lock file. */
export interface ProcessIdentity {
  pid: number;
  /** `/etc/machine-id`, or `hostname:<name>` when there is none. */
  host: string;
  /** The kernel's boot id; '' when unknown. */
  boot: string;
  /** The PID namespace, e.g. `pid:[4026531836]`; '' when unknown. */
  pidns: string;
  /** Field 22 of `/proc/<pid>/stat`; '' when unknown. */
  start: string;
}

/** A parsed lock record: the old format holds the pid only (`legacy`). */
export type LockRecord = ProcessIdentity & { legacy: boolean };

/** Longest value kept from a record or a system file (anything longer is not ours). */
const MAX_VALUE = 200;
const KEYS = ['host', 'boot', 'pidns', 'start'] as const;

async function firstLine(read: Promise<string>): Promise<string> {
  try {
    const line = (await read).split('\n', 1)[0]!.trim();
    return line.length <= MAX_VALUE && /^[\x21-\x7e]*$/.test(line) ? line : '';
  } catch {
    return '';
  }
}

/** Field 22 (starttime) of `/proc/<pid>/stat`; '' when unreadable. */
export async function processStartTime(pid: number): Promise<string> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // field 2 is the command name in parentheses and may itself hold spaces and parentheses
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = rest[22 - 3] ?? '';
    return /^\d{1,20}$/.test(start) ? start : '';
  } catch {
    return '';
  }
}

let own: Promise<ProcessIdentity> | undefined;

/** This process's identity (read once). */
export function currentIdentity(): Promise<ProcessIdentity> {
  own ??= (async () => {
    const [machine, boot, pidns, start] = await Promise.all([
      firstLine(readFile('/etc/machine-id', 'utf8')),
      firstLine(readFile('/proc/sys/kernel/random/boot_id', 'utf8')),
      firstLine(readlink('/proc/self/ns/pid')),
      processStartTime(process.pid),
    ]);
    const host = machine !== '' ? machine : `hostname:${hostname().slice(0, MAX_VALUE)}`;
    return { pid: process.pid, host, boot, pidns, start };
  })();
  return own;
}

/** The lock file's text for `who`. */
export function formatLockRecord(who: ProcessIdentity): string {
  return `${who.pid}\n${KEYS.map((k) => `${k}=${who[k]}\n`).join('')}`;
}

/** Parses a lock file's text; undefined when it holds no pid (not yet written, or garbage). */
export function parseLockRecord(text: string): LockRecord | undefined {
  const [head = '', ...lines] = text.split('\n');
  if (!/^\s*\d{1,10}\s*$/.test(head)) return undefined;
  const pid = Number(head.trim());
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const fields = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1).slice(0, MAX_VALUE));
  }
  const legacy = !KEYS.every((k) => fields.has(k));
  const get = (k: (typeof KEYS)[number]): string => fields.get(k) ?? '';
  return {
    pid,
    host: get('host'),
    boot: get('boot'),
    pidns: get('pidns'),
    start: get('start'),
    legacy,
  };
}

/** True when `a` and `b` share host, boot and PID namespace, so a pid means the same process. */
export function samePidSpace(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.host === b.host && a.boot === b.boot && a.pidns === b.pidns;
}
