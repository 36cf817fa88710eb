/**
 * `tree`: the resolved graph from the roots down, resolved like an install (lock first, so with
 * a warm cache it needs no network) without writing anything.
 */
import { resolveDependencies } from '../../resolve/driver.js';
import type { PathNode, ResolvedGraph } from '../../resolve/graph.js';
import { withPins } from '../../resolve/lock.js';
import { listDepsFolders } from '../../project/deps-io.js';
import { folderPins } from './install.js';
import type { ProjectSourceOptions } from '../project/project-sources.js';
import { withProject } from '../project/project-handle.js';

/** One package in `tree`, with what it depends on. */
export interface TreeNode {
  id: string;
  requirement: string;
  dependencies: TreeNode[];
}

/** A path dependency in `tree`: its package and what it references. */
export interface TreePath {
  id: string;
  name: string;
  path: string;
  dependencies: TreeNode[];
}

/** Builds tree nodes; a reference to a package a path dependency replaces shows the path. */
function treeBuilder(graph: ResolvedGraph): (id: string, requirement: string) => TreeNode {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const paths = new Map(graph.paths.map((p) => [p.name, p]));
  const pathOf = (id: string): PathNode | undefined => {
    const at = id.lastIndexOf('@');
    return paths.get(at > 0 ? id.slice(0, at) : id);
  };
  const build = (id: string, requirement: string, seen: ReadonlySet<string>): TreeNode => {
    const path = pathOf(id);
    const deps = path?.dependencies ?? byId.get(id)?.dependencies ?? [];
    const shown = path?.id ?? id;
    const inner = new Set([...seen, shown]);
    return {
      id: shown,
      requirement: path === undefined ? requirement : `path ${path.path}`,
      dependencies: seen.has(shown)
        ? []
        : deps.flatMap((d) => {
            const child = byId.get(d);
            if (pathOf(d) !== undefined) return [build(d, '', inner)];
            return child === undefined ? [] : [build(d, `=${child.version}`, inner)];
          }),
    };
  };
  return (id, requirement) => build(id, requirement, new Set());
}

/** `wit-deps tree`. */
export async function tree(
  options: ProjectSourceOptions,
): Promise<{ roots: TreeNode[]; paths: TreePath[]; requests: number }> {
  return withProject(options, { mode: 'read' }, async (handle) => {
    const { project, source } = await handle.sources();
    // as install: the folder markers pin what a wkg lock (direct packages only) leaves out
    const pins = folderPins(project, await listDepsFolders(project.depsDir));
    const lock = withPins(project.lock, pins);
    const graph = await resolveDependencies(
      { roots: project.roots, lock, registryOf: project.registryOf },
      source,
      { concurrency: options.concurrency ?? 8 },
    );
    const build = treeBuilder(graph);
    return {
      roots: graph.roots.map((r) => build(`${r.name}@${r.version}`, r.requirement)),
      paths: graph.paths.map((p) => ({
        id: p.id,
        name: p.name,
        path: p.path,
        dependencies: build(p.id, '').dependencies,
      })),
      requests: handle.requests(),
    };
  });
}

/**
 * Renders a tree as indented text. As in `cargo tree`, a package whose dependencies were shown
 * already is marked `(*)` and not expanded again (a shared package would repeat its subtree at
 * every use, and deep graphs grow exponentially); the roots are always expanded.
 */
export function renderTree(roots: readonly TreeNode[]): string {
  const lines: string[] = [];
  const expanded = new Set<string>();
  const walk = (n: TreeNode, prefix: string, last: boolean, top: boolean): void => {
    const again = !top && n.dependencies.length > 0 && expanded.has(n.id);
    const label = `${n.id}${again ? ' (*)' : ''}`;
    lines.push(top ? `${n.id} (${n.requirement})` : `${prefix}${last ? '└── ' : '├── '}${label}`);
    if (again) return;
    expanded.add(n.id);
    const next = top ? '' : prefix + (last ? '    ' : '│   ');
    n.dependencies.forEach((c, i) => walk(c, next, i === n.dependencies.length - 1, false));
  };
  for (const r of roots) walk(r, '', true, true);
  return lines.join('\n');
}
