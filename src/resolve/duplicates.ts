/**
 * Packages installed at more than one version. The resolver unifies the requirements on a
 * package into one version whenever one satisfies them all (`unify.ts`), so a package listed
 * here has requirements no single version meets; the install result carries the list and the
 * CLI warns, naming who requires what (`cli/commands/install.ts`). Pure.
 */
import semver from 'semver';
import type { ResolvedGraph } from './graph.js';

/** One version of a duplicated package and what requires it. */
export interface DuplicateVersion {
  version: string;
  /** `{ requirement: '=0.2.0', by: 'wasi:clocks@0.2.0' }`, `{ requirement: '^0.2', by: 'wit.toml' }`. */
  requiredBy: { requirement: string; by: string }[];
}

/** A package installed at several versions side by side. */
export interface DuplicatePackage {
  name: string;
  /** Highest first. */
  versions: DuplicateVersion[];
}

/** The packages of a graph selected at more than one version, sorted by name. */
export function duplicatePackages(graph: ResolvedGraph): DuplicatePackage[] {
  const byName = new Map<string, DuplicateVersion[]>();
  for (const node of graph.nodes) {
    const seen = new Set<string>();
    const requiredBy = node.requiredBy.flatMap((r) => {
      const key = `${r.requirement}\u0000${r.by.label}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ requirement: r.requirement, by: r.by.label }];
    });
    const versions = byName.get(node.name) ?? [];
    byName.set(node.name, [...versions, { version: node.version, requiredBy }]);
  }
  return [...byName]
    .filter(([, versions]) => versions.length > 1)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, versions]) => ({
      name,
      versions: versions.sort((a, b) => semver.rcompare(a.version, b.version)),
    }));
}
