/**
 * `outdated` and `tree`: read-only views of the project.
 *
 * - `outdated`: per registry root, `current` (what the lock holds for its requirement), `wanted`
 *   (the highest version the requirement allows) and `latest` (the highest stable version).
 * - `tree`: the resolved graph from the roots down, resolved like an install (lock first, so with
 *   a warm cache it needs no network) without writing anything.
 */
import { resolveDependencies } from '../resolve/driver.js';
import type { GraphNode } from '../resolve/graph.js';
import { findLockedByRequirement } from '../resolve/lock.js';
import { parseRequirement } from '../resolve/requirement.js';
import { latestVersion, selectVersion } from '../resolve/select.js';
import { openSession, type SessionOptions } from './session.js';

/** One row of `outdated`. */
export interface OutdatedRow {
  name: string;
  requirement: string;
  current: string | undefined;
  wanted: string | undefined;
  latest: string | undefined;
  outdated: boolean;
}

/** `wit-deps outdated`. */
export async function outdated(
  options: SessionOptions,
): Promise<{ packages: OutdatedRow[]; requests: number }> {
  const session = await openSession(options);
  try {
    const { project, source } = session;
    const rows: OutdatedRow[] = [];
    for (const root of project.roots) {
      if (root.path !== undefined) continue;
      const requirement = root.requirement ?? '*';
      const need = {
        kind: 'tags',
        name: root.name,
        requirement,
        requiredBy: root.origin.label,
      } as const;
      const tags = await source.listTags(root.name, need);
      const current = findLockedByRequirement(
        project.lock,
        root.name,
        project.registryOf(root.name),
        requirement,
      )?.version;
      const wanted = selectVersion(parseRequirement(requirement), tags);
      const latest = latestVersion(tags);
      rows.push({
        name: root.name,
        requirement,
        current,
        wanted,
        latest,
        outdated: current !== wanted || (latest !== undefined && wanted !== latest),
      });
    }
    return { packages: rows, requests: session.requests() };
  } finally {
    await session.close();
  }
}

/** One node of `tree`. */
export interface TreeNode {
  id: string;
  requirement: string;
  dependencies: TreeNode[];
}

/** `wit-deps tree`. */
export async function tree(
  options: SessionOptions,
): Promise<{ roots: TreeNode[]; paths: { name: string; path: string }[]; requests: number }> {
  const session = await openSession(options);
  try {
    const { project, source } = session;
    const graph = await resolveDependencies(
      { roots: project.roots, lock: project.lock, registryOf: project.registryOf },
      source,
      { concurrency: options.concurrency ?? 8 },
    );
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const build = (node: GraphNode, requirement: string, seen: ReadonlySet<string>): TreeNode => ({
      id: node.id,
      requirement,
      dependencies: seen.has(node.id)
        ? []
        : node.dependencies.flatMap((d) => {
            const child = byId.get(d);
            return child === undefined
              ? []
              : [build(child, `=${child.version}`, new Set([...seen, node.id]))];
          }),
    });
    const roots = graph.roots.map((r) =>
      build(byId.get(`${r.name}@${r.version}`)!, r.requirement, new Set()),
    );
    return {
      roots,
      paths: graph.paths.map((p) => ({ name: p.name, path: p.path })),
      requests: session.requests(),
    };
  } finally {
    await session.close();
  }
}

/** Renders a tree as indented text. */
export function renderTree(roots: readonly TreeNode[]): string {
  const lines: string[] = [];
  const walk = (n: TreeNode, prefix: string, last: boolean, top: boolean): void => {
    lines.push(top ? `${n.id} (${n.requirement})` : `${prefix}${last ? '└── ' : '├── '}${n.id}`);
    const next = top ? '' : prefix + (last ? '    ' : '│   ');
    n.dependencies.forEach((c, i) => walk(c, next, i === n.dependencies.length - 1, false));
  };
  for (const r of roots) walk(r, '', true, true);
  return lines.join('\n');
}
