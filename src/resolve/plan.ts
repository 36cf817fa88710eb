/**
 * The install plan: from a resolved graph and what is on disk, what to fetch, which `wit/deps`
 * folders to write, keep or remove, and the new lock. Pure; the app carries it out.
 *
 * Folder rules (DESIGN.md, "Conventions"): one folder `<ns>-<name>-<version>` per package version;
 * a folder carries a marker when wit-deps wrote it; folders without a marker are never touched
 * (a wanted folder that exists unmarked is reported as `blocked`); marked folders no longer in the
 * graph are removed; marked folders written from the same digest are kept as they are.
 * Path packages follow the same rules; their digest is that of their files (given by the app),
 * they are never fetched and never locked.
 */
import { buildLock, type Lock, type LockEntry } from './lock.js';
import type { ResolvedGraph } from './graph.js';
import { depsFolderName } from './package-name.js';
import { parseRequirement } from './requirement.js';

/** A folder found in `wit/deps`, with the marker wit-deps left in it (if any). */
export interface ExistingFolder {
  folder: string;
  marker: { id: string; digest: string } | undefined;
  /** A file the marker records was edited or removed: the folder is written again. */
  modified?: boolean;
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
  /** Blobs missing from the cache. */
  fetch: PlannedPackage[];
  /** Folders to (re)write. */
  write: PlannedPackage[];
  /** Managed folders already right. */
  keep: string[];
  /** Managed folders no longer needed. */
  remove: string[];
  /** Wanted folders that exist but were not written by wit-deps: left alone. */
  blocked: PlannedPackage[];
  lock: Lock;
  lockChanged: boolean;
}

/** The lock entries of a graph: direct requirements as written (canonical), transitive as `=v`. */
export function lockEntries(graph: ResolvedGraph): LockEntry[] {
  const entries: LockEntry[] = [];
  for (const node of graph.nodes) {
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
 * Plans an install. `isCached(digest)` says whether the cache holds a verified blob;
 * `pathFiles` holds each path package's files by name.
 */
export function planInstall(
  graph: ResolvedGraph,
  previousLock: Lock,
  existing: readonly ExistingFolder[],
  isCached: (digest: string) => boolean,
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
    fetch: [],
    write: [],
    keep: [],
    remove: [],
    blocked: [],
    lock: previousLock,
    lockChanged: false,
  };
  for (const p of wanted) {
    const found = onDisk.get(p.folder);
    if (found !== undefined && found.marker === undefined) {
      plan.blocked.push(p);
      continue;
    }
    const same = found?.marker?.digest === p.digest && found.marker.id === p.id;
    if (same && found?.modified !== true) plan.keep.push(p.folder);
    else {
      plan.write.push(p);
      if (p.files === undefined && !isCached(p.digest)) plan.fetch.push(p);
    }
  }
  const wantedFolders = new Set(wanted.map((p) => p.folder));
  plan.remove = existing
    .filter((e) => e.marker !== undefined && !wantedFolders.has(e.folder))
    .map((e) => e.folder)
    .sort();
  plan.lock = buildLock(previousLock, lockEntries(graph));
  plan.lockChanged = !sameLock(previousLock, plan.lock);
  return plan;
}
