/**
 * What a Wasm file says about itself for the artifact config: when it is a binary WIT package,
 * its name and the ids it exports (every world `ns:pkg/world@ver` and every interface
 * `ns:pkg/iface@ver`, as oci-wasm's `Component::from_package` lists them). Files that do not
 * decode as a WIT package (components, core modules) are still pushed, with no exports listed.
 */
import { isWitDepsError } from '../errors.js';
import { decodeWit } from '../wit/index.js';
import { formatPackageName } from '../wit/model.js';

export interface WitPackageInfo {
  /** `ns:name@version`, or null when the file is not a WIT package. */
  name: string | null;
  version: string | null;
  exports: string[];
}

/** Reads the package name and exported ids of a binary WIT package. */
export function witPackageInfo(bytes: Uint8Array): WitPackageInfo {
  let decoded;
  try {
    decoded = decodeWit(bytes);
  } catch (error) {
    if (isWitDepsError(error)) return { name: null, version: null, exports: [] };
    throw error;
  }
  const pkg = decoded.resolve.packages[decoded.package];
  if (pkg === undefined) return { name: null, version: null, exports: [] };
  const { namespace, name, version } = pkg.name;
  const id = (item: string): string =>
    `${namespace}:${name}/${item}${version === undefined ? '' : `@${version}`}`;
  return {
    name: formatPackageName(pkg.name),
    version: version ?? null,
    exports: [...[...pkg.worlds.keys()].map(id), ...[...pkg.interfaces.keys()].map(id)],
  };
}
