/**
 * Version selection: the highest published version that satisfies a requirement.
 *
 * Only tags that parse as strict SemVer 2.0 count (others, such as `latest` or the `sha256-…`
 * signature tags, are ignored). Prereleases are candidates only when the requirement names a
 * prerelease of the same major.minor.patch (Rust semver's rule, see `requirement.ts`).
 */
import semver from 'semver';
import { parseVersion, satisfies, type Requirement } from './requirement.js';

/** The versions among `tags`, highest first, without duplicates. */
export function versionsOf(tags: readonly string[]): string[] {
  const parsed = new Map<string, semver.SemVer>();
  for (const tag of tags) {
    const v = parseVersion(tag);
    if (v !== undefined) parsed.set(tag, v);
  }
  return [...parsed.entries()].sort((a, b) => semver.rcompare(a[1], b[1])).map(([tag]) => tag);
}

/** The highest tag satisfying `requirement`, or undefined. */
export function selectVersion(
  requirement: Requirement,
  tags: readonly string[],
): string | undefined {
  return versionsOf(tags).find((tag) => satisfies(requirement, tag));
}

/** The highest stable version among `tags` (the "latest" column of `outdated`), or undefined. */
export function latestVersion(tags: readonly string[]): string | undefined {
  return versionsOf(tags).find((tag) => parseVersion(tag)?.prerelease.length === 0);
}

/**
 * The exact version a requirement pins (`=1.2.3`, `=1.2.3-rc.1`), or undefined when it is a
 * range. Such requirements need no tag list.
 */
export function pinnedVersion(requirement: Requirement): string | undefined {
  const [only, ...rest] = requirement.comparators;
  if (only === undefined || rest.length > 0 || only.op !== '=') return undefined;
  if (only.minor === undefined || only.patch === undefined) return undefined;
  const base = `${only.major}.${only.minor}.${only.patch}`;
  return only.pre === '' ? base : `${base}-${only.pre}`;
}
