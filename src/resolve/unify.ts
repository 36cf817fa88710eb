/**
 * Version unification, as cargo does it: all the requirements on one package are settled
 * together. When one version satisfies every requirement it is the only one installed (a locked
 * version first, then an exactly pinned one, then the highest tag); only when no single version
 * can are the requirements split over several versions, each chosen version taking as many of
 * the remaining requirements as it satisfies (fewest versions, greedily). Pure.
 *
 * A tag list is needed only when the locked and pinned versions do not settle every
 * requirement: an exact `=x.y.z` on the package decides alone, since a version satisfying every
 * requirement must then be that one.
 */
import semver from 'semver';
import { satisfies, type Requirement } from './requirement.js';
import { pinnedVersion, versionsOf } from './select.js';

/** One distinct requirement on a package, with the version the lock holds for it (if any). */
export interface Demand {
  text: string;
  requirement: Requirement;
  /** The locked version for this requirement (already ignored when the package is unlocked). */
  locked: string | undefined;
}

/**
 * What the requirements on a package settle on: the version of each requirement (by text; a
 * text missing means no candidate satisfies it), or a request for the package's tag list.
 */
export type Assignment = { kind: 'tags' } | { kind: 'assigned'; versions: Map<string, string> };

function descending(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort((a, b) => semver.rcompare(a, b));
}

/** Locked versions first (highest first), then the others (highest first), no duplicates. */
function candidates(locked: readonly string[], others: Iterable<string>): string[] {
  const rest = descending(others).filter((v) => !locked.includes(v));
  return [...locked, ...rest];
}

function allTo(demands: readonly Demand[], version: string): Assignment {
  return { kind: 'assigned', versions: new Map(demands.map((d) => [d.text, version])) };
}

/**
 * Splits the demands over the candidates: repeatedly the candidate satisfying most of the
 * remaining demands (the earlier one on a tie) takes them. Demands no candidate satisfies are
 * left out of the result.
 */
function partition(demands: readonly Demand[], order: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let remaining = [...demands];
  while (remaining.length > 0) {
    let best: string | undefined;
    let bestCount = 0;
    for (const v of order) {
      const count = remaining.filter((d) => satisfies(d.requirement, v)).length;
      if (count > bestCount) [best, bestCount] = [v, count];
    }
    if (best === undefined) break;
    const chosen = best;
    for (const d of remaining) if (satisfies(d.requirement, chosen)) out.set(d.text, chosen);
    remaining = remaining.filter((d) => !out.has(d.text));
  }
  return out;
}

/**
 * Assigns a version to every requirement on one package. `tags` is the package's tag list, or
 * undefined when it has not been fetched (then `{ kind: 'tags' }` when it is needed).
 */
export function assignVersions(
  demands: readonly Demand[],
  tags: readonly string[] | undefined,
): Assignment {
  const satisfiesAll = (v: string): boolean => demands.every((d) => satisfies(d.requirement, v));
  const locked = descending(demands.flatMap((d) => (d.locked === undefined ? [] : [d.locked])));
  const pins = demands.flatMap((d) => {
    const pin = pinnedVersion(d.requirement);
    return pin === undefined ? [] : [pin];
  });
  const early = candidates(locked, pins);
  const single = early.find(satisfiesAll);
  if (single !== undefined) return allTo(demands, single);
  if (pins.length > 0) {
    // an exact requirement that does not satisfy the others: no one version can
    const split = partition(demands, early);
    if (split.size === demands.length) return { kind: 'assigned', versions: split };
  }
  if (tags === undefined) return { kind: 'tags' };
  const order = candidates(locked, [...pins, ...versionsOf(tags)]);
  const best = order.find(satisfiesAll);
  if (best !== undefined) return allTo(demands, best);
  return { kind: 'assigned', versions: partition(demands, order) };
}
