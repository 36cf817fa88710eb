/**
 * `outdated` and `tree`: read-only views of the project.
 *
 * - `outdated`: per package version in use (roots and transitive packages, resolved as install
 *   resolves them), `current` (what wkg.lock or a wit/deps folder marker pins), `wanted` (the
 *   highest version its requirement allows), `latest` (the highest stable version) and `source`
 *   (where the requirement comes from); only the outdated rows unless `all`.
 * - `tree`: the resolved graph from the roots down, resolved like an install (lock first, so with
 *   a warm cache it needs no network) without writing anything.
 */
import { resolveDependencies } from '../resolve/driver.js';
import type { PathNode, ResolvedGraph } from '../resolve/graph.js';
import { relative, sep } from 'node:path';
import semver from 'semver';
import type { GraphNode } from '../resolve/graph-types.js';
import { withPins } from '../resolve/lock.js';
import { versionReferences } from '../project/wit-version-edit.js';
import { readWitSources } from '../project/wit-sources-io.js';
import { listDepsFolders } from '../project/deps-io.js';
import { folderPins } from './install.js';
import { parseRequirement } from '../resolve/requirement.js';
import { latestVersion, selectVersion, versionsOf } from '../resolve/select.js';
import { openSession, type SessionOptions } from './session.js';

/** One row of `outdated`: one package version in use. */
export interface OutdatedRow {
  name: string;
  /** The requirement that selected it (`=version` for a transitive package). */
  requirement: string;
  /** The version installed (pinned by wkg.lock or a wit/deps folder), or undefined. */
  current: string | undefined;
  /** The newest version the requirement allows. */
  wanted: string | undefined;
  /** The newest release (the newest version when the current one is a prerelease). */
  latest: string | undefined;
  outdated: boolean;
  /** Where the requirement comes from: `wit.toml`, `wit/world.wit:4`, `wkg.toml`, `transitive via wasi:http@0.2.3`. */
  source: string;
  /** Set when the package is in use at several versions: why. */
  note?: string;
}

/** Options of {@link outdated}. */
export interface OutdatedOptions extends SessionOptions {
  /** Every row, not only the outdated ones. */
  all?: boolean;
}

type OpenSession = Awaited<ReturnType<typeof openSession>>;

/** `file:line` of the first WIT reference to `name@version`, project-relative. */
async function witSites(
  project: OpenSession['project'],
): Promise<(name: string, version: string) => string> {
  const refs = versionReferences(await readWitSources(project.witDir, project.root));
  const rel = (path: string): string => relative(project.root, path).split(sep).join('/');
  return (name, version) => {
    const ref =
      refs.find((r) => r.name === name && r.version === version) ??
      refs.find((r) => r.name === name);
    return ref === undefined ? 'the WIT' : `${rel(ref.file)}:${ref.line}`;
  };
}

/** The source and requirement of a node: the root that selected it, or its first dependent. */
function originOf(
  node: GraphNode,
  graph: ResolvedGraph,
  site: (name: string, version: string) => string,
): { source: string; requirement: string } {
  const root = graph.roots.find((r) => r.name === node.name && r.version === node.version);
  if (root !== undefined) {
    const { kind, label } = root.origin;
    const source = kind === 'wit' ? site(node.name, node.version) : label;
    return { source, requirement: root.requirement };
  }
  const by = node.requiredBy.find((r) => r.by.kind === 'package') ?? node.requiredBy[0];
  return { source: `transitive via ${by?.by.label ?? '?'}`, requirement: `=${node.version}` };
}

function newer(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && semver.gt(a, b);
}

/** The row of one node, given its tags. */
function outdatedRow(
  node: GraphNode,
  origin: { source: string; requirement: string },
  tags: readonly string[],
): OutdatedRow {
  const current = node.lockedDigest === undefined ? undefined : node.version;
  const wanted = selectVersion(parseRequirement(origin.requirement), tags);
  const pre = (semver.parse(node.version)?.prerelease.length ?? 0) > 0;
  const latest = pre ? versionsOf(tags)[0] : latestVersion(tags);
  const isOutdated =
    current === undefined ? wanted !== undefined : newer(wanted, current) || newer(latest, current);
  return { name: node.name, ...origin, current, wanted, latest, outdated: isOutdated };
}

/** Says why a package is in use at several versions. */
function noteDuplicates(rows: OutdatedRow[]): void {
  for (const row of rows) {
    const same = rows.filter((r) => r.name === row.name);
    if (same.length < 2) continue;
    const uses = same.map((r) => `${r.current ?? r.wanted ?? '?'} (${r.source})`).join(', ');
    row.note = `in use at ${same.length} versions, as no one version satisfies every requirement: ${uses}`;
  }
}

/**
 * `wit-deps outdated`: one row per package version in use, resolved as install resolves (lock and
 * folder markers first), with where its requirement comes from; only outdated rows unless `all`.
 */
export async function outdated(
  options: OutdatedOptions,
): Promise<{ packages: OutdatedRow[]; outdated: number; requests: number }> {
  const session = await openSession(options);
  try {
    const { project, source } = session;
    const pins = folderPins(project, await listDepsFolders(project.depsDir));
    const graph = await resolveDependencies(
      { roots: project.roots, lock: withPins(project.lock, pins), registryOf: project.registryOf },
      source,
      { concurrency: options.concurrency ?? 8 },
    );
    const site = await witSites(project);
    const rows: OutdatedRow[] = [];
    for (const node of graph.nodes) {
      const origin = originOf(node, graph, site);
      const need = {
        kind: 'tags',
        name: node.name,
        requirement: origin.requirement,
        requiredBy: origin.source,
      } as const;
      rows.push(outdatedRow(node, origin, await source.listTags(node.name, need)));
    }
    noteDuplicates(rows);
    const shown = options.all === true ? rows : rows.filter((r) => r.outdated);
    return {
      packages: shown,
      outdated: rows.filter((r) => r.outdated).length,
      requests: session.requests(),
    };
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
  options: SessionOptions,
): Promise<{ roots: TreeNode[]; paths: TreePath[]; requests: number }> {
  const session = await openSession(options);
  try {
    const { project, source } = session;
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
      requests: session.requests(),
    };
  } finally {
    await session.close();
  }
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
