/**
 * The dependency graph, computed synchronously over facts gathered so far.
 *
 * Algorithm (DESIGN.md, "Resolution"):
 * 1. Roots are the manifest dependencies (ranges), the WIT-source references (exact) and the
 *    wkg.toml overrides. A path root is not resolved from a registry: the app reads its package
 *    (a `path` need) and its references become exact requirements like a package's own. A path
 *    dependency replaces its package everywhere, also as another package's reference.
 * 2. All the requirements on one package are settled together (`unify.ts`, as cargo does): one
 *    version satisfying every one of them when one exists, preferring a version the lock holds
 *    for one of the requirements, then the version an exact `=x.y.z` requirement pins (neither
 *    needs a tag list), then the highest tag. Only when no single version can satisfy them all
 *    are several versions selected (each is one node; the app warns, naming who requires what).
 * 3. Each selected package version's own references (from its decoded binary) are exact
 *    requirements, followed breadth first. Since the requirements on a package depend on the
 *    versions selected for others, a round repeats its passes until the requirements it settled
 *    with are the ones its graph holds (at most {@link MAX_PASSES}); only the last pass's needs
 *    are returned, so nothing a unified graph does not use is fetched.
 * 4. Whatever is not known yet (a tag list, a package's digest and references) is returned as a
 *    `need`; the async driver (`driver.ts`) fetches it and calls again. When nothing is missing,
 *    the graph is checked for cycles and returned.
 */
import type { WitDepsError } from '../errors.js';
import { resolveError } from './error-text.js';
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
import { versionsOf } from './select.js';
import { assignVersions, type Demand } from './unify.js';

/** Passes of one round at most before its graph is taken as it is (every requirement is met). */
export const MAX_PASSES = 16;

/** The requirements seen on each package: name -> requirement text -> parsed. */
type Demands = Map<string, Map<string, Requirement>>;

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

  /** The requirements met in this pass, for the next one. */
  readonly demands: Demands = new Map();

  constructor(
    readonly input: GraphInput,
    readonly facts: GraphFacts,
    /** The requirements the previous pass met, settled together with each new one. */
    readonly prior: ReadonlyMap<string, ReadonlyMap<string, Requirement>>,
  ) {}

  unlocked(name: string): boolean {
    const u = this.input.unlock;
    return u === true || (u !== undefined && u.has(name));
  }

  need(n: Need): void {
    const key = n.kind === 'tags' ? `tags ${n.name}` : `pkg ${packageId(n.name, n.version ?? '')}`;
    if (!this.needs.has(key)) this.needs.set(key, n);
  }

  /** The version the lock holds for a requirement, unless the package is unlocked. */
  private lockedFor(name: string, registry: string | undefined, text: string) {
    if (this.unlocked(name)) return undefined;
    return findLockedByRequirement(this.input.lock, name, registry, text);
  }

  /** The requirements on `p`'s package, known from the previous pass and this one. */
  private demandsOf(p: Pending, registry: string | undefined): Demand[] {
    const seen = this.demands.get(p.name) ?? new Map<string, Requirement>();
    this.demands.set(p.name, seen.set(p.text, p.requirement));
    const all = new Map([...(this.prior.get(p.name) ?? []), [p.text, p.requirement]]);
    return [...all]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([text, requirement]) => {
        const locked = this.lockedFor(p.name, registry, text)?.version;
        return { text, requirement, locked };
      });
  }

  /** The version a requirement settles on, with the locked digest if any; undefined = needs tags. */
  settle(p: Pending): { version: string; lockedDigest: string | undefined } | undefined {
    const registry = this.input.registryOf(p.name);
    const tags = this.facts.tags.get(p.name);
    const assigned = assignVersions(this.demandsOf(p, registry), tags);
    if (assigned.kind === 'tags') {
      this.need({ kind: 'tags', name: p.name, requirement: p.text, requiredBy: p.by.label });
      return undefined;
    }
    const version = assigned.versions.get(p.text);
    if (version === undefined) throw noMatch(p, tags ?? []);
    const locked = this.lockedFor(p.name, registry, p.text);
    const again =
      locked?.version === version
        ? locked
        : this.unlocked(p.name)
          ? undefined
          : findLockedVersion(this.input.lock, p.name, registry, version);
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
  return resolveError('no-match', {
    package: p.name,
    requirement: p.text,
    requiredBy: p.by.label,
    origin: p.by.kind,
    available: versionsOf(tags),
  });
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
  let prior: Demands = rootDemands(input.roots);
  for (let pass = 1; ; pass++) {
    const { builder, paths } = resolvePass(input, facts, prior);
    if (pass < MAX_PASSES && !sameDemands(prior, builder.demands)) {
      prior = builder.demands;
      continue;
    }
    if (builder.needs.size > 0) return { kind: 'need', needs: [...builder.needs.values()] };
    const nodes = [...builder.nodes.values()].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    for (const p of paths) p.dependencies.sort();
    checkCycles(nodes, paths);
    return { kind: 'done', graph: { nodes, paths, roots: builder.roots } };
  }
}

/** The requirements of the registry roots, by package (what the first pass settles with). */
function rootDemands(roots: GraphInput['roots']): Demands {
  const out: Demands = new Map();
  for (const r of roots) {
    if (r.path !== undefined) continue;
    const text = r.requirement ?? '*';
    out.set(
      r.name,
      (out.get(r.name) ?? new Map<string, Requirement>()).set(text, parseRequirement(text)),
    );
  }
  return out;
}

function sameDemands(
  a: ReadonlyMap<string, ReadonlyMap<string, Requirement>>,
  b: Demands,
): boolean {
  if (a.size !== b.size) return false;
  for (const [name, texts] of b) {
    const other = a.get(name);
    if (other === undefined || other.size !== texts.size) return false;
    for (const text of texts.keys()) if (!other.has(text)) return false;
  }
  return true;
}

/** One breadth-first pass from the roots, each requirement settled with those of `prior`. */
function resolvePass(
  input: GraphInput,
  facts: GraphFacts,
  prior: Demands,
): { builder: Builder; paths: PathNode[] } {
  const builder = new Builder(input, facts, prior);
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
  return { builder, paths };
}
