/**
 * A locked digest that differs from what the registry now serves usually means the tag was
 * re-published. When the package's registry itself changed since wkg.lock was written (its lock
 * entry names one registry, the mapping now gives another, or an OCI layout), that is the cause
 * to report instead: the other registry simply holds other bytes.
 */
import { WitDepsError } from '../../errors.js';
import type { Lock } from '../../resolve/lock.js';

/** The registry wkg.lock records for `name` at `digest` (`{ registry: undefined }`: none). */
export type LockedRegistryOf = (
  name: string,
  digest: string,
) => { registry: string | undefined } | undefined;

/** {@link LockedRegistryOf} over a lock. */
export function lockedRegistryOf(lock: Lock): LockedRegistryOf {
  return (name, digest) => {
    const pkg = lock.packages.find(
      (p) => p.name === name && p.versions.some((v) => v.digest === digest),
    );
    return pkg === undefined ? undefined : { registry: pkg.registry };
  };
}

const named = (registry: string | undefined): string =>
  registry === undefined ? 'no registry (an OCI layout)' : `registry \`${registry}\``;

/**
 * `ERR_INTEGRITY_MISMATCH` saying the registry changed, when it did; undefined otherwise.
 * `current` is the package's logical registry now (undefined for a layout), `where` the place
 * it was read from.
 */
export function registryChangeError(
  id: string,
  name: string,
  details: { locked: string; actual: string; where: string },
  locked: { registry: string | undefined } | undefined,
  current: string | undefined,
): WitDepsError | undefined {
  if (locked === undefined || locked.registry === current) return undefined;
  return new WitDepsError(
    'ERR_INTEGRITY_MISMATCH',
    `\`${id}\`: wkg.lock records it from ${named(locked.registry)}, but wit.toml (or config.toml) now maps it to ${details.where}, which has digest \`${details.actual}\`, not \`${details.locked}\``,
    {
      hint: `the package's registry changed since wkg.lock was written: run \`wit-deps update ${name}\` to lock it from the new one, or restore the old mapping under \`[registries]\` in wit.toml`,
      details: {
        package: name,
        expected: details.locked,
        actual: details.actual,
        lockedRegistry: locked.registry ?? null,
        registry: current ?? null,
      },
    },
  );
}
