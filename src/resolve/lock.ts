/**
 * The lockfile model (wkg.lock version 1), independent of its TOML text.
 *
 * A lock lists the registry packages installed: `(name, registry)` with one entry per
 * requirement `{ requirement, version, digest }`. Direct dependencies keep their requirement
 * (Rust `VersionReq` display form, e.g. `^0.2.0`), transitive ones are `=<version>`. A lock
 * written by wkg lists direct dependencies only; it keeps that shape (`plan.ts`, `lockShapeOf`),
 * and the digests of transitive packages are then pinned by the `wit/deps` folder markers,
 * which the resolver reads as extra `=<version>` entries ({@link withPins}). Packages sort
 * by namespace, then name (separate labels), then registry; the versions of a package keep the
 * order they were read in, new ones appended in version order, so a lock read and written back
 * unchanged is byte-identical (see `project/wkg-lock.ts` for the text).
 */
import semver from 'semver';
import { comparePackageNames } from './package-name.js';
import { parseRequirement } from './requirement.js';

/** One locked requirement of a package. */
export interface LockedVersion {
  requirement: string;
  version: string;
  /** `sha256:<64 hex>` of the wasm layer. */
  digest: string;
}

/** All locked versions of one package from one registry. */
export interface LockedPackage {
  name: string;
  /** The logical registry name (`wasi.dev`); absent when none resolved. */
  registry: string | undefined;
  versions: LockedVersion[];
}

/** A whole lock. */
export interface Lock {
  version: 1;
  packages: LockedPackage[];
}

/** A lock with no packages (what a missing or empty wkg.lock means). */
export function emptyLock(): Lock {
  return { version: 1, packages: [] };
}

function sameRegistry(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** Canonical displays already computed (the resolver asks for the same strings many times). */
const canonicalCache = new Map<string, string | undefined>();

/** A requirement's canonical display (`0.2.0` -> `^0.2.0`), or undefined when it does not parse. */
export function canonicalRequirement(requirement: string): string | undefined {
  if (canonicalCache.has(requirement)) return canonicalCache.get(requirement);
  let display: string | undefined;
  try {
    display = parseRequirement(requirement).display;
  } catch {
    display = undefined;
  }
  if (canonicalCache.size >= 10_000) canonicalCache.clear();
  canonicalCache.set(requirement, display);
  return display;
}

/**
 * The locked entry for a requirement on a package, matched by the requirement's canonical
 * string (`0.2.0` and `^0.2.0` are the same requirement).
 */
export function findLockedByRequirement(
  lock: Lock,
  name: string,
  registry: string | undefined,
  requirement: string,
): LockedVersion | undefined {
  const wanted = canonicalRequirement(requirement);
  if (wanted === undefined) return undefined;
  for (const pkg of lock.packages) {
    if (pkg.name !== name || !sameRegistry(pkg.registry, registry)) continue;
    const hit = pkg.versions.find((v) => canonicalRequirement(v.requirement) === wanted);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** The locked digest of an exact package version, whatever requirement locked it. */
export function findLockedVersion(
  lock: Lock,
  name: string,
  registry: string | undefined,
  version: string,
): LockedVersion | undefined {
  for (const pkg of lock.packages) {
    if (pkg.name !== name || !sameRegistry(pkg.registry, registry)) continue;
    const hit = pkg.versions.find((v) => v.version === version);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** One entry of a lock being built. */
export interface LockEntry extends LockedVersion {
  name: string;
  registry: string | undefined;
}

function compareRegistry(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Sorts packages the way wkg does: namespace, name, then registry (none first). */
export function comparePackages(a: LockedPackage, b: LockedPackage): number {
  return comparePackageNames(a.name, b.name) || compareRegistry(a.registry, b.registry);
}

function compareEntries(a: LockedVersion, b: LockedVersion): number {
  const va = semver.parse(a.version);
  const vb = semver.parse(b.version);
  const byVersion = va !== null && vb !== null ? semver.compare(va, vb) : 0;
  if (byVersion !== 0) return byVersion;
  return a.requirement < b.requirement ? -1 : a.requirement > b.requirement ? 1 : 0;
}

/**
 * Builds the new lock from the entries an install resolved. Entries that already were in
 * `previous` (same name, registry, requirement, version and digest) keep their old order;
 * new entries follow in version order.
 */
export function buildLock(previous: Lock, entries: readonly LockEntry[]): Lock {
  const groups = new Map<string, LockedPackage>();
  const key = (name: string, registry: string | undefined): string =>
    `${name}\u0000${registry ?? ''}`;
  for (const e of entries) {
    const k = key(e.name, e.registry);
    const group = groups.get(k) ?? { name: e.name, registry: e.registry, versions: [] };
    groups.set(k, group);
    const entry = { requirement: e.requirement, version: e.version, digest: e.digest };
    if (
      !group.versions.some(
        (v) => v.requirement === entry.requirement && v.version === entry.version,
      )
    )
      group.versions.push(entry);
  }
  for (const group of groups.values()) {
    const old = previous.packages.find(
      (p) => p.name === group.name && p.registry === group.registry,
    );
    const rank = (v: LockedVersion): number =>
      old?.versions.findIndex(
        (o) => o.requirement === v.requirement && o.version === v.version && o.digest === v.digest,
      ) ?? -1;
    group.versions.sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      if (ra >= 0 && rb >= 0) return ra - rb;
      if (ra >= 0) return -1;
      if (rb >= 0) return 1;
      return compareEntries(a, b);
    });
  }
  return { version: 1, packages: [...groups.values()].sort(comparePackages) };
}

/** A package version pinned outside the lock: the layer digest a `wit/deps` folder marker records. */
export interface PinnedVersion {
  name: string;
  registry: string | undefined;
  version: string;
  digest: string;
}

/**
 * The lock the resolver reads (never written): `lock` plus an exact `=<version>` entry for each
 * pinned version it does not hold, so a package a wkg lock leaves out (a transitive one) is
 * still installed from the digest it was installed from before.
 */
export function withPins(lock: Lock, pins: readonly PinnedVersion[]): Lock {
  const packages = lock.packages.map((p) => ({ ...p, versions: [...p.versions] }));
  for (const pin of pins) {
    // the lock speaks for a version it lists, under any registry: when it names another registry
    // (wit.toml moved the namespace), the version is resolved again there, not pinned
    const listed = lock.packages.some(
      (p) => p.name === pin.name && p.versions.some((v) => v.version === pin.version),
    );
    if (listed) continue;
    let pkg = packages.find((p) => p.name === pin.name && p.registry === pin.registry);
    if (pkg === undefined) {
      pkg = { name: pin.name, registry: pin.registry, versions: [] };
      packages.push(pkg);
    }
    const { version, digest } = pin;
    pkg.versions.push({ requirement: `=${version}`, version, digest });
  }
  return { version: 1, packages };
}
