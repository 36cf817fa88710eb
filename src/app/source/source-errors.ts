/**
 * The errors of the cache policy (`cached-source.ts`): what is missing with `--offline`, a
 * package or version that does not exist (naming the requirement and who required it), a layer
 * larger than a WIT package may be, a tag re-published under a locked digest, and failures while
 * storing a layer (a corrupt download, a full disk), each naming the package.
 */
import { WitDepsError, isWitDepsError } from '../../errors.js';
import type { Need } from '../../resolve/graph.js';

/** The largest WIT package layer installed (wasi:http is 44 KB); it is read into memory to decode. */
export const MAX_PACKAGE_LAYER_BYTES = 64 * 1024 * 1024;

/**
 * Something `--offline` needs is not in the cache; `modified` says why its committed wit/deps
 * folder could not stand in (a file that differs from its marker, named).
 */
export function offlineError(
  what: string,
  name: string,
  modified?: string,
  cached?: readonly string[],
): WitDepsError {
  const why = modified === undefined ? '' : ` (${modified})`;
  const known =
    cached === undefined || cached.length === 0 ? '' : `; cached versions: ${cached.join(', ')}`;
  return new WitDepsError(
    'ERR_OFFLINE',
    `${what} of \`${name}\` is not in the cache and --offline was given${why}${known}`,
    {
      hint:
        modified === undefined
          ? `run the command once without \`--offline\`/\`--frozen\` to fill the cache (with a lock: \`wit-deps install\`), then retry offline${known === '' ? '' : ', or require one of the cached versions'}`
          : 'restore the folder (`git checkout -- wit/deps`), or run `wit-deps install` without `--offline`/`--frozen` to write it again',
      details: { package: name, ...(modified === undefined ? {} : { modified }) },
    },
  );
}

/** `--offline` and a cached layer that failed its digest check (it was removed). */
export function corruptOfflineError(id: string, digest: string, reason: string): WitDepsError {
  return new WitDepsError(
    'ERR_OFFLINE',
    `\`${id}\`: the cached layer \`${digest}\` was corrupt (${reason}) and was removed, and --offline was given`,
    {
      hint: 'run `wit-deps install` without `--offline`/`--frozen` to fetch it again',
      details: { package: id, digest },
    },
  );
}

/** A layer announced larger than {@link MAX_PACKAGE_LAYER_BYTES}. */
export function tooLarge(name: string, version: string, where: string, size: number): WitDepsError {
  return new WitDepsError(
    'ERR_LIMIT_EXCEEDED',
    `\`${name}@${version}\` in ${where} has a ${size}-byte layer, more than a WIT package may be (${MAX_PACKAGE_LAYER_BYTES})`,
    {
      hint: 'the artifact is not a WIT package; check the registry mapping of its namespace',
      details: { package: name, version, size },
    },
  );
}

/** A version whose digest is not the one the lock records (the tag was re-published). */
export function lockMismatch(
  name: string,
  version: string,
  where: string,
  digests: { expected: string; actual: string },
): WitDepsError {
  const { expected, actual } = digests;
  return new WitDepsError(
    'ERR_INTEGRITY_MISMATCH',
    `\`${name}@${version}\` has digest \`${actual}\` in ${where} but wkg.lock records \`${expected}\``,
    {
      hint: `the tag was re-published; if that is expected run \`wit-deps update ${name}\``,
      details: { package: name, version, expected, actual },
    },
  );
}

/** A layer that could not be written into the cache (a full disk): names the package and the cache. */
export function storeFailure(error: unknown, id: string): unknown {
  if (!isWitDepsError(error) || error.code !== 'ERR_FS') return error;
  return new WitDepsError(
    'ERR_FS',
    `\`${id}\` could not be stored in the cache: ${error.message}`,
    {
      hint: `${error.hint ?? 'check the cache folder'}; \`--cache-dir <dir>\` (or \`WIT_DEPS_CACHE_DIR\`) moves the cache to another disk`,
      cause: error,
      details: { ...error.details, package: id },
    },
  );
}

/** Names the package in an integrity failure of its layer (nothing was stored). */
export function corruptLayer(
  error: unknown,
  name: string,
  version: string,
  where: string,
): unknown {
  if (!isWitDepsError(error) || error.code !== 'ERR_INTEGRITY_MISMATCH') return error;
  const id = `${name}@${version}`;
  return new WitDepsError(
    'ERR_INTEGRITY_MISMATCH',
    `\`${id}\` from ${where}: the downloaded layer does not match its digest (${error.message})`,
    {
      hint: 'nothing was installed or cached; run `wit-deps install` again, and report it to the registry operator if it persists',
      cause: error,
      details: { ...error.details, package: name, version },
    },
  );
}

/** A missing package (with the known names close to it) or a missing version of one. */
export function notFound(
  error: unknown,
  name: string,
  need: Need,
  where: string,
  more: { version?: string; similar?: string[] },
): unknown {
  if (!isWitDepsError(error) || error.code !== 'ERR_REGISTRY_NOT_FOUND') return error;
  const { version, similar = [] } = more;
  const subject =
    version === undefined ? `package \`${name}\`` : `version \`${version}\` of \`${name}\``;
  const didYouMean =
    similar.length === 0 ? '' : `did you mean ${similar.map((s) => `\`${s}\``).join(' or ')}? `;
  return new WitDepsError(
    'ERR_RESOLVE_NOT_FOUND',
    `${subject} was not found in ${where} (required by ${need.requiredBy} as \`${need.requirement}\`)`,
    {
      hint: `${didYouMean}check the package name, or map its namespace to the right registry in wit.toml \`[registries]\``,
      cause: error,
      details: {
        package: name,
        requirement: need.requirement,
        requiredBy: need.requiredBy,
        ...(version === undefined ? {} : { version }),
        ...(similar.length === 0 ? {} : { similar }),
      },
    },
  );
}
