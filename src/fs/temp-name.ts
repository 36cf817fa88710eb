/**
 * The one name of temporary files: every file wit-deps writes through a temporary sibling (an
 * atomic write, a verified stream, a resumable download, a pulled layer) names it
 * `<name>.<pid>-<nonce>.tmp`, in the target's folder (so the rename is atomic).
 *
 * - The writer's pid lets a sweep tell a live writer's file from one a killed process left
 *   (`Cache.sweepOrphans`; within one PID space only, hence its age rule).
 * - The nonce keeps concurrent writers of one target (two installs sharing a cache) apart.
 * - The `.tmp` ending keeps the file from ever being read as what it will become: no reader takes
 *   a `*.tmp` for a blob (`<64 hex>`), a record (`*.json`), a WIT file (`*.wit`) or a lock.
 *
 * {@link parseTempName} also knows the names older versions wrote (`.<name>.tmp-<pid>-<nonce>`,
 * `<name>.<pid>-<nonce>.part`, and `<name>.<12 hex>.part` without a pid), so what they left is
 * still swept.
 */
import { basename, dirname, join } from 'node:path';

/** What a temporary file's name says about it. */
export interface TempName {
  /** The name of the file it was going to become. */
  target: string;
  /** The writer's pid; undefined for the pid-less names older versions wrote. */
  pid: number | undefined;
}

const CURRENT = /^(.+)\.(\d{1,10})-([0-9a-f]{8,32})\.tmp$/;
const LEGACY_HIDDEN = /^\.(.+)\.tmp-(\d{1,10})-([0-9a-f]{1,32})$/;
const LEGACY_PART = /^(.+)\.(\d{1,10})-([0-9a-f]{1,32})\.part$/;
const LEGACY_PIDLESS_PART = /^(.+)\.([0-9a-f]{12})\.part$/;

/** The name of a temporary file for a file named `name`, written by this process. */
export function tempName(name: string): string {
  // `node:crypto` is taken when a name is made, not imported: commands that write nothing (`wit
  // print` to stdout) do not load it
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  return `${name}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
}

/** A temporary sibling path of `target` (same folder, so renaming it over `target` is atomic). */
export function tempSibling(target: string): string {
  return join(dirname(target), tempName(basename(target)));
}

/** What `name` says when it is a temporary file's name (current or older scheme), else undefined. */
export function parseTempName(name: string): TempName | undefined {
  for (const pattern of [CURRENT, LEGACY_HIDDEN, LEGACY_PART]) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const pid = Number(m[2]);
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    return { target: m[1]!, pid };
  }
  const pidless = LEGACY_PIDLESS_PART.exec(name);
  return pidless === null ? undefined : { target: pidless[1]!, pid: undefined };
}
