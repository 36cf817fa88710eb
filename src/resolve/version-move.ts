/**
 * Where `update --wit` and `update --latest` move a version. Pure.
 *
 * - `targetVersion`: the version all WIT references of one package move to. Default: the newest
 *   version compatible with the highest current one (`^current`: `0.2.0` → newest `0.2.x`);
 *   `latest`: the newest release. Prereleases only when the current version is one.
 * - `raiseRequirement`: a `wit.toml` requirement raised to a new version keeping its operator
 *   (`~0.2.3` → `~0.3.0`, `^1.2` → `^2.0.1`, bare `0.2.0` → `0.3.0`), as `cargo upgrade` does; an
 *   exact pin (`=0.2.3`) stays unless `pinned`; a compound or other requirement becomes the bare
 *   (caret) version.
 */
import semver from 'semver';
import { parseRequirement, parseVersion, satisfies } from './requirement.js';
import { latestVersion, versionsOf } from './select.js';

/** The highest of `versions` (SemVer order). */
export function highestVersion(versions: readonly string[]): string | undefined {
  return versionsOf(versions)[0];
}

/** The version `update --wit` moves a package to, or undefined when no tag qualifies. */
export function targetVersion(
  current: readonly string[],
  tags: readonly string[],
  latest: boolean,
): string | undefined {
  const base = highestVersion(current);
  const pre = base !== undefined && (parseVersion(base)?.prerelease.length ?? 0) > 0;
  const candidates = versionsOf(tags).filter(
    (t) => pre || parseVersion(t)?.prerelease.length === 0,
  );
  if (base === undefined) return latestVersion(tags);
  const compatible = latest ? candidates : candidates.filter((t) => compatibleWith(base, t));
  const best = compatible[0];
  // never move down: a current version newer than anything published stays
  return best !== undefined && semver.gt(best, base) ? best : base;
}

/** Caret compatibility with `base`: same major (`1.x`), same minor (`0.2.x`), same patch (`0.0.3`). */
function compatibleWith(base: string, version: string): boolean {
  const v = parseVersion(version);
  const b = parseVersion(base);
  if (v === undefined || b === undefined || v.major !== b.major) return false;
  if (b.major > 0) return true;
  if (v.minor !== b.minor) return false;
  return b.minor > 0 || v.patch === b.patch;
}

/** Digits of `version` kept to the precision of the old requirement (`^1.2` → `^2.0`). */
function precise(version: string, parts: number): string {
  const v = parseVersion(version)!;
  if (v.prerelease.length > 0) return version;
  return [v.major, v.minor, v.patch].slice(0, parts).join('.');
}

/**
 * The requirement raised to `version`, or the old one when it already allows it or is an exact
 * pin and `pinned` is not set.
 */
export function raiseRequirement(requirement: string, version: string, pinned = false): string {
  const req = parseRequirement(requirement);
  if (satisfies(req, version)) return requirement;
  const text = requirement.trim();
  const m = /^(\^|~|=)?\s*(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)(\+[0-9A-Za-z.-]+)?$/.exec(text);
  if (m === null) return version;
  const op = m[1] ?? '';
  if (op === '=' && !pinned) return requirement;
  const parts = m[2]!.split('-')[0]!.split('.').length;
  return `${op}${precise(version, op === '=' ? 3 : parts)}`;
}
