/**
 * Checking path packages before they are written: a path package's WIT was only outlined while
 * resolving (the packages it uses were not there yet); once the graph is complete, each path
 * package about to be (re)written is resolved with our WIT resolver against exactly what the
 * install provides: the printed registry packages it reaches and the other path packages. So a
 * `use wasi:io/streams@0.2.0.{no-such-type}` fails the install with a rendered diagnostic instead
 * of failing later in a bindings generator. Unchanged path folders are not checked again, and the
 * WIT parser and resolver are loaded only when a path package is checked.
 */
import { WitDepsError } from '../../errors.js';
import type { DecodedStore } from '../source/decoded-store.js';
import type { GraphNode, ResolvedGraph } from '../../resolve/graph.js';
import { depsFolderName } from '../../resolve/package-name.js';
import type { InstallPlan } from '../../resolve/plan.js';
import type { WitSource } from '../../wit/parse.js';
import { pathWitError, type PathPackages } from '../source/path-packages.js';

/** What the check reads registry packages from. */
export interface PathCheckInput {
  graph: ResolvedGraph;
  plan: InstallPlan;
  paths: PathPackages;
  /** The registry packages, decoded once (shared with resolution and the write phase). */
  packages: DecodedStore;
}

async function registryText(node: GraphNode, input: PathCheckInput): Promise<WitSource[]> {
  const { printWitPackage } = await import('../../wit/index.js');
  const decoded = await input.packages.get(node.id, node.digest);
  const folder = depsFolderName(node.name, node.version);
  return [
    { path: `deps/${folder}/package.wit`, text: printWitPackage(decoded.resolve, decoded.package) },
  ];
}

/** The source groups of everything a path package reaches (registry and other path packages). */
async function reachable(name: string, input: PathCheckInput): Promise<WitSource[][]> {
  const nodes = new Map(input.graph.nodes.map((n) => [n.id, n]));
  const paths = new Map(input.graph.paths.map((p) => [p.name, p]));
  const start = paths.get(name)!;
  const seen = new Set<string>([start.id]);
  const groups: WitSource[][] = [];
  const queue = [...start.dependencies];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!.lastIndexOf('@');
    const path = paths.get(at > 0 ? queue[i]!.slice(0, at) : queue[i]!);
    const id = path?.id ?? queue[i]!;
    if (seen.has(id)) continue;
    seen.add(id);
    if (path !== undefined) {
      groups.push(input.paths.get(path.name)!.sources);
      queue.push(...path.dependencies);
      continue;
    }
    const node = nodes.get(id);
    if (node === undefined) continue;
    groups.push(await registryText(node, input));
    queue.push(...node.dependencies);
  }
  return groups;
}

/**
 * A registry package's reference to a package that a path dependency replaces must name the path
 * package's version: WIT resolves `use wasi:io/poll@0.2.3` only against `wasi:io@0.2.3`, so another
 * version (or none) would leave a `wit/deps` that no bindings generator can read.
 *
 * @throws {WitDepsError} `ERR_RESOLVE_CONFLICT` naming the path dependency and the user.
 */
function checkReplacements(graph: ResolvedGraph): void {
  const paths = new Map(graph.paths.map((p) => [p.name, p]));
  for (const node of graph.nodes)
    for (const dep of node.dependencies) {
      const path = paths.get(dep.slice(0, dep.lastIndexOf('@')));
      if (path === undefined || path.id === dep) continue;
      throw new WitDepsError(
        'ERR_RESOLVE_CONFLICT',
        `path dependency \`${path.name}\` (\`${path.path}\`) is \`${path.id}\`, but \`${node.id}\` uses \`${dep}\``,
        {
          hint: `point the path at a \`${dep}\` package, or require a version of \`${node.name}\` that uses \`${path.id}\``,
          details: {
            package: path.name,
            path: path.path,
            found: path.id,
            required: dep,
            requiredBy: node.id,
          },
        },
      );
    }
}

/**
 * Checks the packages a path dependency replaces (see {@link checkReplacements}), then resolves
 * every path package the plan writes against what it references.
 *
 * @throws {WitDepsError} `ERR_RESOLVE_CONFLICT`, or `ERR_WIT_RESOLVE` (rendered) naming the path
 *   dependency.
 */
export async function checkPathPackages(input: PathCheckInput): Promise<void> {
  checkReplacements(input.graph);
  for (const planned of input.plan.write) {
    if (planned.files === undefined) continue;
    const pkg = input.paths.get(planned.name);
    if (pkg === undefined || pkg.binary) continue;
    const deps = await reachable(pkg.name, input);
    const { parseWitPackage } = await import('../../wit/parse.js');
    try {
      parseWitPackage(pkg.sources, deps);
    } catch (error) {
      throw pathWitError(pkg.name, pkg.path, error);
    }
  }
}
