/**
 * What changed between two locks, per package, for people: `update` reports the versions it
 * moved (`wasi:random 0.2.0 -> 0.2.3`, as `cargo update` does) and `--locked` says why the lock
 * is out of date. A package whose versions stayed but whose requirement strings changed is
 * reported with its requirements.
 */
import semver from 'semver';
import type { Lock, LockedPackage } from './lock.js';

/** One package whose lock entries differ: its versions (or requirements) before and after. */
export interface LockChange {
  name: string;
  /** Empty when the package was not locked before. */
  from: string[];
  /** Empty when the package is no longer locked. */
  to: string[];
  /** `from`/`to` are requirement strings (the versions are the same). */
  requirement?: true;
}

function byName(lock: Lock): Map<string, LockedPackage> {
  return new Map(lock.packages.map((p) => [p.name, p]));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function versionsOf(p: LockedPackage | undefined): string[] {
  return [...new Set((p?.versions ?? []).map((v) => v.version))].sort(semver.compare);
}

function requirementsOf(p: LockedPackage | undefined): string[] {
  return (p?.versions ?? []).map((v) => v.requirement).sort();
}

/** The packages whose locked versions or requirements differ, sorted by name. */
export function lockChanges(before: Lock, after: Lock): LockChange[] {
  const old = byName(before);
  const now = byName(after);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  const out: LockChange[] = [];
  for (const name of names) {
    const from = versionsOf(old.get(name));
    const to = versionsOf(now.get(name));
    if (!sameList(from, to)) out.push({ name, from, to });
    else {
      const reqFrom = requirementsOf(old.get(name));
      const reqTo = requirementsOf(now.get(name));
      if (!sameList(reqFrom, reqTo))
        out.push({ name, from: reqFrom, to: reqTo, requirement: true });
    }
  }
  return out;
}

/** `wasi:io 0.2.0 -> 0.2.3`, `wasi:io (new) 0.2.3`, `wasi:io 0.2.0 (removed)`. */
export function describeLockChange(c: LockChange): string {
  const what = c.requirement === true ? `${c.name} requirement` : c.name;
  if (c.from.length === 0) return `${what} (new) ${c.to.join(', ')}`;
  if (c.to.length === 0) return `${what} ${c.from.join(', ')} (removed)`;
  return `${what} ${c.from.join(', ')} -> ${c.to.join(', ')}`;
}
