/**
 * What a Wasm file says about itself for the artifact config: when it is a binary WIT package,
 * its name and the ids it exports, as oci-wasm's `Component::from_package` lists them: every
 * world `ns:pkg/world@ver`, what each world exports (`wasi:http/incoming-handler@0.2.0`, or a
 * plain function name), and every interface `ns:pkg/iface@ver`, each once. Files that do not
 * decode as a WIT package are described by what they are: a component by its own top-level import
 * and export names (as `wkg oci push` fills them from the component's world), a core module as
 * `os: wasip1` with no `component`.
 */
import { isWitDepsError } from '../../errors.js';
import { componentNames, type WasmKind } from '../../wit/decode/component-names.js';
import { decodeWit } from '../../wit/index.js';
import {
  formatPackageName,
  getInterface,
  getPackage,
  getWorld,
  type PackageId,
  type Resolve,
  type WorldKey,
} from '../../wit/model.js';

export interface WitPackageInfo {
  /** `ns:name@version`, or null when the file is not a WIT package. */
  name: string | null;
  version: string | null;
  exports: string[];
}

/** `ns:pkg/iface@ver` of a named interface of a package, else undefined. */
function interfaceIdOf(resolve: Resolve, key: WorldKey): string | undefined {
  if (key.kind === 'name') return key.name;
  const iface = getInterface(resolve, key.id);
  if (iface.name === undefined || iface.package === undefined) return undefined;
  const { namespace, name, version } = getPackage(resolve, iface.package).name;
  return `${namespace}:${name}/${iface.name}${version === undefined ? '' : `@${version}`}`;
}

/** The `component.exports` of a WIT package's artifact config (see the module comment). */
export function packageExports(resolve: Resolve, id: PackageId): string[] {
  const pkg = getPackage(resolve, id);
  const { namespace, name, version } = pkg.name;
  const qualified = (item: string): string =>
    `${namespace}:${name}/${item}${version === undefined ? '' : `@${version}`}`;
  const out = new Set<string>();
  for (const [worldName, worldId] of pkg.worlds) {
    out.add(qualified(worldName));
    for (const { key } of getWorld(resolve, worldId).exports.values()) {
      const exported = interfaceIdOf(resolve, key);
      if (exported !== undefined) out.add(exported);
    }
  }
  for (const ifaceName of pkg.interfaces.keys()) out.add(qualified(ifaceName));
  return [...out];
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
  return {
    name: formatPackageName(pkg.name),
    version: pkg.name.version ?? null,
    exports: packageExports(decoded.resolve, decoded.package),
  };
}

/** The config fields of a pushed file. */
export interface ArtifactConfigFields {
  exports: string[];
  imports?: string[];
  os?: 'wasip1';
}

/** The config fields of a file that is not a WIT package, by what it is. */
export function configOfKind(kind: WasmKind): ArtifactConfigFields {
  if (kind.kind === 'component') return { exports: kind.exports, imports: kind.imports };
  if (kind.kind === 'module') return { exports: [], os: 'wasip1' };
  return { exports: [] };
}

/** The config fields of a pushed file: a WIT package's exports, or a component's names. */
export function artifactConfigOf(bytes: Uint8Array, info: WitPackageInfo): ArtifactConfigFields {
  if (info.name !== null) return { exports: info.exports };
  try {
    return configOfKind(componentNames(bytes));
  } catch (error) {
    // a file pushed with `--force` need not be a well-formed component
    if (isWitDepsError(error)) return { exports: [] };
    throw error;
  }
}
