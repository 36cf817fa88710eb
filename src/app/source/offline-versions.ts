/**
 * `--offline` without a lock, from the shared cache (as pnpm's store serves it): the versions of a
 * package the cache holds (version facts, `Cache.readVersionDigest`, whose layer is still there)
 * stand in for its tag list, and a version is found by its fact instead of a manifest request.
 */
import type { Cache } from '../../cache/store.js';
import { WitDepsError } from '../../errors.js';
import type { Need } from '../../resolve/graph.js';
import { parseRequirement, satisfies } from '../../resolve/requirement.js';
import { versionsOf } from '../../resolve/select.js';

/** The versions of `repository` (`registry|name`) whose layer is in the cache, lowest first. */
export async function cachedVersions(cache: Cache, repository: string): Promise<string[]> {
  const known = await cache.knownVersions(repository);
  const present: string[] = [];
  for (const [version, digest] of known) if (await cache.has(digest)) present.push(version);
  return versionsOf(present).reverse();
}

/**
 * `ERR_OFFLINE` when no version in `versions` satisfies the requirement of `need` (so the
 * resolver's "no version matches" does not hide that the registry was not asked).
 */
export function offlineNoMatch(
  name: string,
  need: Need,
  versions: readonly string[],
): WitDepsError | undefined {
  let matches: boolean;
  try {
    const requirement = parseRequirement(need.requirement);
    matches = versions.some((v) => satisfies(requirement, v));
  } catch {
    return undefined; // the resolver reports a bad requirement
  }
  if (matches) return undefined;
  return new WitDepsError(
    'ERR_OFFLINE',
    `no cached version of \`${name}\` satisfies \`${need.requirement}\` (required by ${need.requiredBy}) and --offline was given; cached versions: ${versions.join(', ')}`,
    {
      hint: 'run the command once without `--offline` to fetch it, or require one of the cached versions',
      details: { package: name, requirement: need.requirement, cached: [...versions] },
    },
  );
}
