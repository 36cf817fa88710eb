/**
 * The small async driver around the pure resolver: it runs `resolveGraph`, fetches whatever the
 * round says is missing (tag lists, package facts) with bounded parallelism, and repeats until the
 * graph is complete. All I/O is injected through {@link PackageSource}.
 */
import {
  resolveGraph,
  type GraphInput,
  type Need,
  type PackageFacts,
  type PathFacts,
  type ResolvedGraph,
} from './graph.js';

/** Where the driver gets facts from (the app wires it to the registry client and the cache). */
export interface PackageSource {
  /** The tags of a package's repository. */
  listTags(name: string, need: Need): Promise<readonly string[]>;
  /** Fetches (or reads from cache) a package version: its layer digest and its references. */
  describe(name: string, version: string, need: Need): Promise<PackageFacts>;
  /** Reads a path dependency's package (`need.path`, relative to the project). */
  describePath(name: string, path: string, need: Need): Promise<PathFacts>;
}

/**
 * Runs `task` over `items` with at most `limit` in flight; results keep the input order. When a
 * task fails, no new task starts, the ones in flight are waited for, and the first failure is
 * thrown: nothing keeps writing (to the cache, to a staging folder) after the caller has its
 * error, so a caller may clean up at once.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        results[i] = await task(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}

/** Options of {@link resolveDependencies}. */
export interface DriverOptions {
  /** Parallel fetches at most (default 8). */
  concurrency?: number;
  /** Rounds at most before giving up (a safety net; default 1000). */
  maxRounds?: number;
}

/** Resolves the whole graph, fetching facts as needed. */
export async function resolveDependencies(
  input: GraphInput,
  source: PackageSource,
  options: DriverOptions = {},
): Promise<ResolvedGraph> {
  const tags = new Map<string, readonly string[]>();
  const packages = new Map<string, PackageFacts>();
  const paths = new Map<string, PathFacts>();
  const limit = options.concurrency ?? 8;
  for (let round = 0; round < (options.maxRounds ?? 1000); round++) {
    const outcome = resolveGraph(input, { tags, packages, paths });
    if (outcome.kind === 'done') return outcome.graph;
    await mapBounded(outcome.needs, limit, async (need) => {
      if (need.kind === 'tags') tags.set(need.name, await source.listTags(need.name, need));
      else if (need.kind === 'path')
        paths.set(need.name, await source.describePath(need.name, need.path ?? '', need));
      else {
        const version = need.version ?? '';
        packages.set(`${need.name}@${version}`, await source.describe(need.name, version, need));
      }
    });
  }
  throw new Error('resolution did not converge');
}
