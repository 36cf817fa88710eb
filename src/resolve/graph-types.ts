/**
 * The data of the dependency graph: its inputs (roots, facts learned so far), what it asks for
 * (needs) and what it returns (nodes). `graph.ts` computes it, `graph-checks.ts` checks it; both
 * import these types from here, so neither imports the other's types.
 */
import type { OriginKind } from './error-text.js';
import type { Lock } from './lock.js';

/**
 * Who asked for a requirement: a manifest, a WIT file, wkg.toml, another package id, or the
 * command line (`add wasi:http@^9` before wit.toml is written).
 */
export interface RequirementOrigin {
  kind: OriginKind;
  /** `wit.toml`, `wit/world.wit`, `wkg.toml`, `wasi:http@0.2.0`, or `the command line`. */
  label: string;
}

/** A root dependency of the project. */
export interface RootDependency {
  name: string;
  /** The requirement as written (a registry dependency), or undefined for a path dependency. */
  requirement: string | undefined;
  /** A path dependency's folder (relative to the project). */
  path?: string;
  origin: RequirementOrigin;
}

/** What a fetched package version is: its layer digest and its own references. */
export interface PackageFacts {
  digest: string;
  dependencies: readonly { name: string; version: string }[];
}

/** What a path dependency's package is, as read by the app. */
export interface PathFacts {
  /** From its `package ns:name@version;` header; undefined when the header has none. */
  version: string | undefined;
  /** A digest of the files that go to `wit/deps` (changes when the source changes). */
  digest: string;
  /** Its foreign references as requirements: `=version`, or `*` when unversioned. */
  dependencies: readonly { name: string; requirement: string }[];
}

/** Everything learned so far. */
export interface GraphFacts {
  tags: ReadonlyMap<string, readonly string[]>;
  /** By package id `name@version`. */
  packages: ReadonlyMap<string, PackageFacts>;
  /** Path packages by name. */
  paths?: ReadonlyMap<string, PathFacts>;
}

/** A request for missing facts; `requiredBy` feeds error messages. */
export interface Need {
  kind: 'tags' | 'package' | 'path';
  name: string;
  version?: string;
  requirement: string;
  requiredBy: string;
  /** The digest the lock expects for this package version. */
  lockedDigest?: string;
  /** A path dependency's path (relative to the project), for `path` needs. */
  path?: string;
}

/** One selected package version. */
export interface GraphNode {
  id: string;
  name: string;
  version: string;
  registry: string | undefined;
  digest: string;
  /** The digest the lock recorded, when the version came from (or matches) the lock. */
  lockedDigest: string | undefined;
  requiredBy: { requirement: string; by: RequirementOrigin }[];
  dependencies: string[];
  direct: boolean;
}

/** A path dependency (kept out of the lock). */
export interface PathNode {
  /** `name@version`, or `name` when its package header has no version. */
  id: string;
  name: string;
  version: string | undefined;
  path: string;
  origin: RequirementOrigin;
  digest: string;
  /** Ids of what it references: selected package versions and path packages. */
  dependencies: string[];
}

/** The resolved graph. */
export interface ResolvedGraph {
  /** Sorted by id. */
  nodes: GraphNode[];
  paths: PathNode[];
  /** The registry roots and what each selected. */
  roots: { name: string; requirement: string; version: string; origin: RequirementOrigin }[];
}

/** Resolution inputs that do not change between rounds. */
export interface GraphInput {
  roots: readonly RootDependency[];
  lock: Lock;
  /** Logical registry of a package (for lock matching); undefined when none is configured. */
  registryOf: (name: string) => string | undefined;
  /** Package names whose lock entries are ignored (`update`); `true` ignores the whole lock. */
  unlock?: ReadonlySet<string> | true;
}

export type GraphOutcome = { kind: 'done'; graph: ResolvedGraph } | { kind: 'need'; needs: Need[] };
