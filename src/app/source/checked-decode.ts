/**
 * The one way a registry blob becomes a decoded package: decode it, then check that the package
 * it holds is the one asked for (the lock entry, or the tag requested). A registry serving
 * `evil:pkg@6.6.6` under `wasi/random:0.2.0`, or a lock entry whose digest or version was edited
 * to point at another package, fails with `ERR_ARTIFACT_MISMATCH` naming both, whether the bytes
 * come from the network or the cache.
 */
import { WitDepsError, isWitDepsError } from '../../errors.js';
import type { DecodedPackage } from '../../wit/index.js';

/** Decodes `bytes` (the layer `digest`) and checks it is the package `id` (`ns:name@version`). */
export async function decodeChecked(
  id: string,
  digest: string,
  bytes: Uint8Array,
): Promise<DecodedPackage> {
  const { decodeWit } = await import('../../wit/index.js');
  let decoded: DecodedPackage;
  try {
    decoded = decodeWit(bytes);
  } catch (error) {
    if (isWitDepsError(error))
      throw new WitDepsError(
        error.code,
        `package \`${id}\` (${digest}) does not decode: ${error.message}`,
        {
          hint: 'the registry artifact is not a binary WIT package; report it to its publisher',
          cause: error,
          details: { package: id, digest },
        },
      );
    throw error;
  }
  checkIdentity(id, digest, decoded);
  return decoded;
}

/** @throws {WitDepsError} `ERR_ARTIFACT_MISMATCH` when the decoded package is not `id`. */
export function checkIdentity(id: string, digest: string, decoded: DecodedPackage): void {
  const own = decoded.resolve.packages[decoded.package]?.name;
  const found =
    own === undefined
      ? '(no package)'
      : `${own.namespace}:${own.name}${own.version === undefined ? '' : `@${own.version}`}`;
  if (found === id) return;
  throw new WitDepsError(
    'ERR_ARTIFACT_MISMATCH',
    `\`${id}\` (${digest}) holds the package \`${found}\`, not \`${id}\``,
    {
      hint: 'the registry tag or the wkg.lock entry points at another package; check wkg.lock (`git diff wkg.lock`) and the registry mapping, then run `wit-deps update <package>`',
      details: { expected: id, found, digest },
    },
  );
}
