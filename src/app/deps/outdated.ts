/**
 * `outdated`, a read-only view of the project: per package version in use (roots and transitive
 * packages, resolved as install resolves them), `current` (what wkg.lock or a wit/deps folder
 * marker pins), `wanted` (the highest version its requirement allows), `latest` (the highest
 * stable version) and `source` (where the requirement comes from); only the outdated rows unless
 * `all`. `tree.ts` is the other read-only view.
 */
import { resolveDependencies } from '../../resolve/driver.js';
import type { ResolvedGraph } from '../../resolve/graph.js';
import { relative, sep } from 'node:path';
import semver from 'semver';
import type { GraphNode } from '../../resolve/graph-types.js';
import { withPins } from '../../resolve/lock.js';
import { versionReferences } from '../../project/wit-version-edit.js';
import { readWitSources } from '../../project/wit-sources-io.js';
import { listDepsFolders } from '../../project/deps-io.js';
import { folderPins } from './install.js';
import { parseRequirement } from '../../resolve/requirement.js';
import { latestVersion, selectVersion, versionsOf } from '../../resolve/select.js';
import type { ProjectSourceOptions, ProjectSources } from '../project/project-sources.js';
import { withProject } from '../project/project-handle.js';

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
export interface OutdatedOptions extends ProjectSourceOptions {
  /** Every row, not only the outdated ones. */
  all?: boolean;
}

/** `file:line` of the first WIT reference to `name@version`, project-relative. */
async function witSites(
  project: ProjectSources['project'],
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
  return withProject(options, { mode: 'read' }, async (handle) => {
    const { project, source } = await handle.sources();
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
      requests: handle.requests(),
    };
  });
}
