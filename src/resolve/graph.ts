/**
 * The dependency graph, computed synchronously over facts gathered so far.
 *
 * Algorithm (DESIGN.md, "Resolution"):
 * 1. Roots are the manifest dependencies (ranges), the WIT-source references (exact) and the
 *    wkg.toml overrides. A path root is not resolved from a registry: the app reads its package
 *    (a `path` need) and its references become exact requirements like a package's own. A path
 *    dependency replaces its package everywhere, also as another package's reference.
 * 2. A requirement is settled, in order, by a lock entry with the same requirement (no tag list),
 *    by the version an exact `=x.y.z` requirement pins (no tag list), or by the highest tag that
 *    satisfies it.
 * 3. Each selected package version's own references (from its decoded binary) are exact
 *    requirements, followed breadth first. Requirements are settled independently, so several
 *    versions of one package may be selected; each is one node.
 * 4. Whatever is not known yet (a tag list, a package's digest and references) is returned as a
 *    `need`; the async driver (`driver.ts`) fetches it and calls again. When nothing is missing,
 *    the graph is checked for cycles and returned.
 */
import { WitDepsError } from '../errors.js';
import { checkCycles, pathRoots, type PathRoot } from './graph-checks.js';
import type {
  GraphFacts,
  GraphInput,
  GraphNode,
  GraphOutcome,
  Need,
  PackageFacts,
  PathNode,
  RequirementOrigin,
  ResolvedGraph,
} from './graph-types.js';
import { findLockedByRequirement, findLockedVersion } from './lock.js';
import { packageId } from './package-name.js';
import { parseRequirement, type Requirement } from './requirement.js';
import { pinnedVersion, selectVersion, versionsOf } from './select.js';

export type {
  GraphFacts,
  GraphInput,
  GraphNode,
  GraphOutcome,
  Need,
  PackageFacts,
  PathFacts,
  PathNode,
  RequirementOrigin,
  ResolvedGraph,
  RootDependency,
} from './graph-types.js';

interface Pending {
  name: string;
  requirement: Requirement;
  text: string;
  by: RequirementOrigin;
  /** The path package that references it, which records the id it settles on. */
  from?: PathNode;
}

class Builder {
  readonly nodes = new Map<string, GraphNode>();
  readonly needs = new Map<string, Need>();
  readonly roots: ResolvedGraph['roots'] = [];

  constructor(
    readonly input: GraphInput,
    readonly facts: GraphFacts,
  ) {}

  unlocked(name: string): boolean {
    const u = this.input.unlock;
    return u === true || (u !== undefined && u.has(name));
  }

  need(n: Need): void {
    const key = n.kind === 'tags' ? `tags ${n.name}` : `pkg ${packageId(n.name, n.version ?? '')}`;
    if (!this.needs.has(key)) this.needs.set(key, n);
  }

  /** The version a requirement settles on, with the locked digest if any; undefined = needs tags. */
  settle(p: Pending): { version: string; lockedDigest: string | undefined } | undefined {
    const registry = this.input.registryOf(p.name);
    const lock = this.input.lock;
    if (!this.unlocked(p.name)) {
      const locked = findLockedByRequirement(lock, p.name, registry, p.text);
      if (locked !== undefined) return { version: locked.version, lockedDigest: locked.digest };
    }
    const pinned = pinnedVersion(p.requirement);
    let version = pinned;
    if (version === undefined) {
      const tags = this.facts.tags.get(p.name);
      if (tags === undefined) {
        this.need({ kind: 'tags', name: p.name, requirement: p.text, requiredBy: p.by.label });
        return undefined;
      }
      version = selectVersion(p.requirement, tags);
      if (version === undefined) throw noMatch(p, tags);
    }
    const again = this.unlocked(p.name)
      ? undefined
      : findLockedVersion(lock, p.name, registry, version);
    return { version, lockedDigest: again?.digest };
  }

  /** A new node for a package version; its references are queued as exact requirements. */
  private addNode(
    name: string,
    id: string,
    settled: { version: string; lockedDigest: string | undefined },
    facts: PackageFacts,
    queue: Pending[],
  ): GraphNode {
    const node: GraphNode = {
      id,
      name,
      version: settled.version,
      registry: this.input.registryOf(name),
      digest: facts.digest,
      lockedDigest: settled.lockedDigest,
      requiredBy: [],
      dependencies: facts.dependencies.map((d) => packageId(d.name, d.version)).sort(),
      direct: false,
    };
    this.nodes.set(id, node);
    for (const dep of facts.dependencies) {
      const text = `=${dep.version}`;
      queue.push({
        name: dep.name,
        requirement: parseRequirement(text),
        text,
        by: { kind: 'package', label: id },
      });
    }
    return node;
  }

  visit(p: Pending, queue: Pending[]): void {
    const settled = this.settle(p);
    if (settled === undefined) return;
    const id = packageId(p.name, settled.version);
    if (p.from !== undefined && !p.from.dependencies.includes(id)) p.from.dependencies.push(id);
    let node = this.nodes.get(id);
    if (node === undefined) {
      const facts = this.facts.packages.get(id);
      if (facts === undefined) {
        this.need({
          kind: 'package',
          name: p.name,
          version: settled.version,
          requirement: p.text,
          requiredBy: p.by.label,
          ...(settled.lockedDigest === undefined ? {} : { lockedDigest: settled.lockedDigest }),
        });
        return;
      }
      node = this.addNode(p.name, id, settled, facts, queue);
    }
    node.requiredBy.push({ requirement: p.text, by: p.by });
    if (p.by.kind !== 'package') {
      node.direct = true;
      this.roots.push({
        name: p.name,
        requirement: p.text,
        version: settled.version,
        origin: p.by,
      });
    }
  }
}

function noMatch(p: Pending, tags: readonly string[]): WitDepsError {
  const available = versionsOf(tags);
  const shown = available.slice(0, 12).join(', ');
  const list = available.length === 0 ? 'no versions are published' : `versions: ${shown}`;
  return new WitDepsError(
    'ERR_RESOLVE_NO_MATCH',
    `no version of \`${p.name}\` satisfies \`${p.text}\` (required by ${p.by.label}); ${list}`,
    {
      hint: 'change the requirement in wit.toml (`wit-deps add <pkg>@<range>`), or run `wit-deps outdated` to see what exists',
      details: { package: p.name, requirement: p.text, requiredBy: p.by.label, available },
    },
  );
}

/** Path packages with known facts (their references queued); missing ones become needs. */
function pathNodes(roots: readonly PathRoot[], facts: GraphFacts, builder: Builder): PathNode[] {
  const nodes: PathNode[] = [];
  for (const r of roots) {
    const known = facts.paths?.get(r.name);
    if (known === undefined) {
      builder.need({
        kind: 'path',
        name: r.name,
        path: r.path,
        requirement: `path ${r.path}`,
        requiredBy: r.origin.label,
      });
      continue;
    }
    const id = known.version === undefined ? r.name : packageId(r.name, known.version);
    nodes.push({ ...r, id, version: known.version, digest: known.digest, dependencies: [] });
  }
  return nodes;
}

/**
 * One round of resolution over the facts known so far: the graph, or what is missing.
 *
 * @throws {WitDepsError} `ERR_RESOLVE_NO_MATCH`, `ERR_RESOLVE_CONFLICT`, `ERR_RESOLVE_CYCLE`,
 *   `ERR_INVALID_REQUIREMENT`.
 */
export function resolveGraph(input: GraphInput, facts: GraphFacts): GraphOutcome {
  const builder = new Builder(input, facts);
  const paths = pathNodes(pathRoots(input.roots), facts, builder);
  const pathByName = new Map(paths.map((p) => [p.name, p]));
  const queue: Pending[] = input.roots
    .filter((r) => r.path === undefined)
    .map((r) => {
      const text = r.requirement ?? '*';
      return { name: r.name, requirement: parseRequirement(text), text, by: r.origin };
    });
  for (const node of paths)
    for (const dep of facts.paths?.get(node.name)?.dependencies ?? [])
      queue.push({
        name: dep.name,
        requirement: parseRequirement(dep.requirement),
        text: dep.requirement,
        by: { kind: 'package', label: `${node.id} (path \`${node.path}\`)` },
        from: node,
      });
  for (let i = 0; i < queue.length; i++) {
    const p = queue[i]!;
    const replaced = pathByName.get(p.name);
    if (replaced === undefined) builder.visit(p, queue);
    else if (p.from !== undefined && !p.from.dependencies.includes(replaced.id))
      p.from.dependencies.push(replaced.id); // a path dependency replaces the package everywhere
  }
  if (builder.needs.size > 0) return { kind: 'need', needs: [...builder.needs.values()] };
  const nodes = [...builder.nodes.values()].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  for (const p of paths) p.dependencies.sort();
  checkCycles(nodes, paths);
  return { kind: 'done', graph: { nodes, paths, roots: builder.roots } };
}
