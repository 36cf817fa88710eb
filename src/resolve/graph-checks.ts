/**
 * Whole-graph checks of the resolver: one source per package (a path dependency and a registry
 * requirement on the same root name conflict; two different paths conflict), and no cycles among
 * the selected package versions and path packages. Pure.
 */
import type { WitDepsError } from '../errors.js';
import { resolveError, type ConflictSource } from './error-text.js';
import type { GraphNode, PathNode, RequirementOrigin, RootDependency } from './graph-types.js';

/** A path root before its facts are known. */
export interface PathRoot {
  name: string;
  path: string;
  origin: RequirementOrigin;
}

/** The path roots, one per package name (sorted by name). */
export function pathRoots(roots: readonly RootDependency[]): PathRoot[] {
  const paths = new Map<string, PathRoot>();
  for (const r of roots) {
    if (r.path === undefined) continue;
    const seen = paths.get(r.name);
    if (seen !== undefined && seen.path !== r.path)
      throw conflict(r.name, [
        { path: seen.path, requiredBy: seen.origin.label },
        { path: r.path, requiredBy: r.origin.label },
      ]);
    paths.set(r.name, { name: r.name, path: r.path, origin: r.origin });
  }
  for (const r of roots) {
    const p = paths.get(r.name);
    if (r.path === undefined && p !== undefined)
      throw conflict(r.name, [
        { path: p.path, requiredBy: p.origin.label },
        { requirement: r.requirement ?? '*', requiredBy: r.origin.label },
      ]);
  }
  return [...paths.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function conflict(name: string, sources: [ConflictSource, ConflictSource]): WitDepsError {
  return resolveError('source-conflict', { package: name, sources });
}

/**
 * Fails on a cycle. Edges go from a package version (or path package) to what it references; a
 * reference to a package that a path dependency replaces leads to that path package.
 *
 * @throws {WitDepsError} `ERR_RESOLVE_CYCLE` with the chain in `details.cycle`.
 */
export function checkCycles(nodes: readonly GraphNode[], paths: readonly PathNode[]): void {
  const edges = new Map<string, readonly string[]>();
  for (const n of nodes) edges.set(n.id, n.dependencies);
  for (const p of paths) edges.set(p.id, p.dependencies);
  const pathIds = new Map(paths.map((p) => [p.name, p.id]));
  const target = (id: string): string => {
    const at = id.lastIndexOf('@');
    return pathIds.get(at > 0 ? id.slice(0, at) : id) ?? id;
  };
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (id: string): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      throw resolveError('cycle', { cycle });
    }
    state.set(id, 'open');
    stack.push(id);
    for (const dep of edges.get(id) ?? []) walk(target(dep));
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of edges.keys()) walk(id);
}
