/**
 * Why `--locked` finds wkg.lock out of date, for the first words of `ERR_LOCKFILE_OUTDATED`: the
 * requirements of wit.toml (or the project's WIT references, or wkg.toml overrides) that no lock
 * entry was locked for, e.g. `wit.toml now requires \`wasi:http\` \`^0.3\``.
 */
import type { RootDependency } from '../../resolve/graph.js';
import { findLockedByRequirement, type Lock } from '../../resolve/lock.js';

/** At most this many requirements are named; `details.changes` lists every lock change. */
const SHOWN = 3;

/** `wit.toml now requires …; wit/app.wit now requires …`, or undefined when none is new. */
export function lockCause(
  roots: readonly RootDependency[],
  lock: Lock,
  registryOf: (name: string) => string | undefined,
): string | undefined {
  const bySource = new Map<string, string[]>();
  for (const root of roots) {
    if (root.requirement === undefined) continue; // a path dependency is not locked
    if (findLockedByRequirement(lock, root.name, registryOf(root.name), root.requirement)) continue;
    const list = bySource.get(root.origin.label) ?? [];
    list.push(`\`${root.name}\` \`${root.requirement}\``);
    bySource.set(root.origin.label, list);
  }
  if (bySource.size === 0) return undefined;
  const parts = [...bySource].map(([source, items]) => {
    const shown = items.slice(0, SHOWN).join(', ');
    const more = items.length > SHOWN ? ` and ${items.length - SHOWN} more` : '';
    return `${source} now requires ${shown}${more}`;
  });
  return parts.join('; ');
}
