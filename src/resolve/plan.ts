/**
 * The install plan: from a resolved graph and what is on disk, which `wit/deps` folders to write
 * or remove, and the new lock. Pure; the app carries it out.
 *
 * Folder rules (DESIGN.md, "Conventions"): one folder `<ns>-<name>-<version>` per package version;
 * a folder carries a marker when wit-deps wrote it; marked folders no longer in the graph are
 * removed; marked folders written from the same digest are kept as they are. A folder without a
 * marker is the user's, with one exception, the takeover of a `wit/deps` another tool wrote: a
 * folder whose WIT declares a package version the graph installs (wkg's `wasi-io-0.2.0/` at the
 * wanted name, or a hand-vendored `io/` under another name, which would make the package defined
 * twice) is listed in `takeover`, and the app decides from its content whether to adopt it,
 * replace it, or fail (`app/deps/takeover.ts`). Any other unmarked folder at a wanted name is
 * `blocked` and left alone.
 * Path packages follow the same rules; their digest is that of their files (given by the app),
 * they are never fetched and never locked.
 *
 * The lock keeps the shape it has ({@link lockShapeOf}): one that lists every registry package
 * installed (what wit-deps writes for a new project) stays so, and one written by wkg, which
 * lists direct dependencies only, stays direct-only, so `install --locked` accepts a current wkg
 * lock and a team running both tools never sees the file change back and forth. Entries that no
 * longer match any requirement are dropped (as wkg does) and reported.
 */
import {
  buildLock,
  canonicalRequirement,
  type Lock,
  type LockEntry,
  type PinnedVersion,
} from './lock.js';
import type { ResolvedGraph } from './graph.js';
import { depsFolderName, packageId } from './package-name.js';
import { parseRequirement } from './requirement.js';

/** A folder found in `wit/deps`, with the marker wit-deps left in it (if any). */
export interface ExistingFolder {
  folder: string;
  marker: { id: string; digest: string } | undefined;
  /** A file the marker records was edited or removed: the folder is written again. */
  modified?: boolean;
  /**
   * A folder without a marker: the package its `*.wit` files declare (`ns:name@version`, read
   * by the app), or undefined when they declare none or do not parse.
   */
  defines?: string;
}

/**
 * A folder without a marker that holds a package the graph installs: at the wanted name
 * (`sameName`, as wkg writes it) or under another name (a hand-vendored copy).
 */
export interface TakeoverCandidate {
  /** The folder as it is in `wit/deps`. */
  folder: string;
  /** The package it declares, as planned (written at `pkg.folder`). */
  pkg: PlannedPackage;
  sameName: boolean;
}

/** One package version to materialise. */
export interface PlannedPackage {
  folder: string;
  id: string;
  name: string;
  version: string;
  digest: string;
  /** The files of a path package (written as given); registry packages are printed instead. */
  files?: Readonly<Record<string, string>>;
}

/** What an install will do. */
export interface InstallPlan {
  /** Folders to (re)write. */
  write: PlannedPackage[];
  /** Managed folders no longer needed. */
  remove: string[];
  /** Wanted folders that exist but were not written by wit-deps: left alone. */
  blocked: PlannedPackage[];
  /** Folders without a marker that declare a package being installed (see the file comment). */
  takeover: TakeoverCandidate[];
  lock: Lock;
  lockChanged: boolean;
  /** Which packages the new lock lists: `all` installed, or `direct` ones only (wkg's shape). */
  lockShape: LockShape;
  /** Entries of the previous lock that match no requirement any more (dropped). */
  staleLockEntries: StaleLockEntry[];
}

/** Which registry packages a lock lists: every one installed, or the direct ones only (wkg). */
export type LockShape = 'all' | 'direct';

/** A dropped lock entry. */
export interface StaleLockEntry {
  name: string;
  requirement: string;
  version: string;
}

/** The names of the packages the graph holds only as other packages' dependencies. */
function transitiveNames(graph: ResolvedGraph): Set<string> {
  const roots = new Set(graph.roots.map((r) => r.name));
  return new Set(graph.nodes.filter((n) => !roots.has(n.name)).map((n) => n.name));
}

/**
 * The shape of the previous lock. It lists transitive packages (`all`) when it has an exact
 * `=<version>` entry for a version only other packages require, or entries for more than half of
 * the packages the graph holds only as dependencies (a lock wit-deps wrote whose transitive
 * versions moved, say after `update`). A lock with entries and neither was written by wkg
 * (`direct`): an entry for a package that is now only a dependency is then a stale direct one
 * (the WIT stopped referencing it). An empty or missing lock gets wit-deps' shape (`all`).
 *
 * What was installed before decides first, when `wit/deps` has our markers: if some marked
 * package is transitive now, the lock is `all` when it lists every such package and `direct` when
 * it lists none of them; otherwise it is `all` when it lists every marked package (a project that
 * had no transitive package, which the rules below cannot tell from wkg's shape).
 */
export function lockShapeOf(
  previous: Lock,
  graph: ResolvedGraph,
  existing: readonly ExistingFolder[] = [],
): LockShape {
  const locked = previous.packages.filter((p) => p.versions.length > 0);
  if (locked.length === 0) return 'all';
  const fromMarkers = shapeFromMarkers(locked, graph, existing);
  if (fromMarkers !== undefined) return fromMarkers;
  const transitive = new Set(graph.nodes.filter((n) => !n.direct).map((n) => n.id));
  const exactTransitive = locked.some((pkg) =>
    pkg.versions.some(
      (v) =>
        transitive.has(packageId(pkg.name, v.version)) &&
        canonicalRequirement(v.requirement) === `=${v.version}`,
    ),
  );
  if (exactTransitive) return 'all';
  const names = transitiveNames(graph);
  const covered = locked.filter((p) => names.has(p.name)).length;
  return covered * 2 > names.size ? 'all' : 'direct';
}

/** {@link lockShapeOf}'s first rule: the shape the markers in `wit/deps` show, if they tell. */
function shapeFromMarkers(
  locked: Lock['packages'],
  graph: ResolvedGraph,
  existing: readonly ExistingFolder[],
): LockShape | undefined {
  const paths = new Set(graph.paths.map((p) => p.id));
  const marked = existing.flatMap((e) =>
    e.marker !== undefined && e.marker.id.includes('@') && !paths.has(e.marker.id)
      ? [e.marker.id]
      : [],
  );
  if (marked.length === 0) return undefined;
  const ids = new Set(locked.flatMap((p) => p.versions.map((v) => packageId(p.name, v.version))));
  const transitive = new Set(graph.nodes.filter((n) => !n.direct).map((n) => n.id));
  const nowTransitive = marked.filter((id) => transitive.has(id));
  if (nowTransitive.length > 0) {
    if (nowTransitive.every((id) => ids.has(id))) return 'all';
    if (!nowTransitive.some((id) => ids.has(id))) return 'direct';
    return undefined;
  }
  return marked.every((id) => ids.has(id)) ? 'all' : undefined;
}

/**
 * The lock entries of a graph: direct requirements as written (canonical), transitive packages
 * as `=v` (left out in the `direct` shape).
 */
export function lockEntries(graph: ResolvedGraph, shape: LockShape = 'all'): LockEntry[] {
  const entries: LockEntry[] = [];
  for (const node of graph.nodes) {
    if (shape === 'direct' && !node.direct) continue;
    const base = {
      name: node.name,
      registry: node.registry,
      version: node.version,
      digest: node.digest,
    };
    const direct = node.requiredBy.filter((r) => r.by.kind !== 'package');
    if (direct.length === 0) entries.push({ ...base, requirement: `=${node.version}` });
    for (const r of direct)
      entries.push({ ...base, requirement: parseRequirement(r.requirement).display });
  }
  return entries;
}

/**
 * The entries of `previous` the new lock drops: no requirement of the graph matches them any more
 * (same package, registry and requirement) in the lock's shape. In the `all` shape an entry of a
 * package that is still installed as a dependency is not stale: its version moved with the
 * packages that require it (`update` reports it as moved).
 */
export function staleLockEntries(
  previous: Lock,
  graph: ResolvedGraph,
  shape: LockShape,
): StaleLockEntry[] {
  const entries = lockEntries(graph, shape);
  const moved = shape === 'all' ? transitiveNames(graph) : new Set<string>();
  const out: StaleLockEntry[] = [];
  for (const pkg of previous.packages) {
    if (moved.has(pkg.name)) continue;
    for (const v of pkg.versions) {
      const wanted = canonicalRequirement(v.requirement);
      const matched = entries.some(
        (e) =>
          e.name === pkg.name &&
          (e.registry === undefined || pkg.registry === undefined || e.registry === pkg.registry) &&
          canonicalRequirement(e.requirement) === wanted,
      );
      if (!matched) out.push({ name: pkg.name, requirement: v.requirement, version: v.version });
    }
  }
  return out;
}

/**
 * The digests the `wit/deps` folder markers record, as pins for the resolver: a folder whose
 * marker names the package version the folder is named after, of a package `registryOf` knows
 * (it returns `null` for a path dependency's package and one no registry is configured for).
 */
export function markerPins(
  existing: readonly ExistingFolder[],
  registryOf: (name: string) => string | undefined | null,
): PinnedVersion[] {
  const pins: PinnedVersion[] = [];
  for (const e of existing) {
    const id = e.marker?.id;
    const at = id?.lastIndexOf('@') ?? -1;
    if (e.marker === undefined || id === undefined || at <= 0) continue;
    const name = id.slice(0, at);
    const version = id.slice(at + 1);
    const registry = depsFolderName(name, version) === e.folder ? registryOf(name) : null;
    if (registry !== null) pins.push({ name, registry, version, digest: e.marker.digest });
  }
  return pins;
}

/** True when two locks hold the same packages in the same order. */
export function sameLock(a: Lock, b: Lock): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The folders of path packages, with their files by package name (from the app). */
function pathPackages(
  graph: ResolvedGraph,
  pathFiles: ReadonlyMap<string, Readonly<Record<string, string>>>,
): PlannedPackage[] {
  return graph.paths.map((p) => {
    const files = pathFiles.get(p.name);
    if (files === undefined) throw new Error(`no files for path package ${p.name}`);
    return {
      folder: depsFolderName(p.name, p.version),
      id: p.id,
      name: p.name,
      version: p.version ?? '',
      digest: p.digest,
      files,
    };
  });
}

/**
 * Unmarked folders under names wit-deps does not use for them that declare a package version the
 * graph installs (wit-parser would find the package defined in two places).
 */
function otherNameCopies(
  existing: readonly ExistingFolder[],
  wanted: readonly PlannedPackage[],
  wantedFolders: ReadonlySet<string>,
): TakeoverCandidate[] {
  const byId = new Map(wanted.map((p) => [p.id, p]));
  const out: TakeoverCandidate[] = [];
  for (const e of existing) {
    const pkg = e.defines === undefined ? undefined : byId.get(e.defines);
    if (e.marker !== undefined || pkg === undefined || wantedFolders.has(e.folder)) continue;
    out.push({ folder: e.folder, pkg, sameName: false });
  }
  return out;
}

/**
 * Plans an install: the folders to write (a managed folder already right is left as it is), to
 * remove, to take over or that stay blocked, and the new lock. `pathFiles` holds each path
 * package's files by name.
 */
export function planInstall(
  graph: ResolvedGraph,
  previousLock: Lock,
  existing: readonly ExistingFolder[],
  pathFiles: ReadonlyMap<string, Readonly<Record<string, string>>> = new Map(),
): InstallPlan {
  const onDisk = new Map(existing.map((e) => [e.folder, e]));
  const registry: PlannedPackage[] = graph.nodes.map((n) => ({
    folder: depsFolderName(n.name, n.version),
    id: n.id,
    name: n.name,
    version: n.version,
    digest: n.digest,
  }));
  const wanted = [...registry, ...pathPackages(graph, pathFiles)];
  const plan: InstallPlan = {
    write: [],
    remove: [],
    blocked: [],
    takeover: [],
    lock: previousLock,
    lockChanged: false,
    lockShape: lockShapeOf(previousLock, graph, existing),
    staleLockEntries: [],
  };
  for (const p of wanted) {
    const found = onDisk.get(p.folder);
    if (found !== undefined && found.marker === undefined && found.defines !== p.id) {
      plan.blocked.push(p);
      continue;
    }
    if (found !== undefined && found.marker === undefined)
      plan.takeover.push({ folder: p.folder, pkg: p, sameName: true });
    const same = found?.marker?.digest === p.digest && found.marker.id === p.id;
    if (!same || found?.modified === true) plan.write.push(p);
  }
  const wantedFolders = new Set(wanted.map((p) => p.folder));
  plan.takeover.push(...otherNameCopies(existing, wanted, wantedFolders));
  plan.remove = existing
    .filter((e) => e.marker !== undefined && !wantedFolders.has(e.folder))
    .map((e) => e.folder)
    .sort();
  plan.lock = buildLock(previousLock, lockEntries(graph, plan.lockShape));
  plan.staleLockEntries = staleLockEntries(previousLock, graph, plan.lockShape);
  plan.lockChanged = !sameLock(previousLock, plan.lock);
  return plan;
}
