/**
 * Everything an install-family command reads from a project and its environment: `wit.toml`,
 * `wkg.lock`, `wkg.toml` overrides, the wasm-pkg config, the cache, and the root dependencies
 * built from them: manifest dependencies, the foreign references of the project's own `wit/*.wit`
 * (exact `=version`, as wkg takes them), then overrides (a path override replaces the package, a
 * version override sets its requirement). A WIT reference to a path dependency is satisfied by it.
 * Nothing is written: an install killed while committing is finished before, by `withProject`
 * (`project-handle.ts`).
 */
import { cacheDir } from '../../cache/location.js';
import { Cache } from '../../cache/store.js';
import { readLockFile } from '../../project/lock-file-io.js';
import { parseManifest, type Manifest } from '../../project/manifest.js';
import { readWkgOverrides } from '../../project/manifest-io.js';
import type { WkgOverride } from '../../project/wkg-toml.js';
import { witReferences, type WitReference } from '../../project/wit-references.js';
import { readWitSources } from '../../project/wit-sources-io.js';
import type { WasmPkgConfig } from '../../registry/config.js';
import { loadWasmPkgConfig } from '../../registry/config-io.js';
import { locatePackage, type LocateInput, type PackageSourceRef } from '../../registry/locate.js';
import { parseMirrorsTable, type RegistryEntry } from '../../registry/registries-conf.js';
import type { RootDependency } from '../../resolve/graph.js';
import type { Lock } from '../../resolve/lock.js';
import { locateProject, noProject } from './project-location.js';

export { locateProject, locateWitDir, type ProjectLocation } from './project-location.js';

/** Options shared by the install-family commands. */
export interface ProjectOptions {
  /** Where the command runs (after `-C`): the project root is searched from here up. */
  cwd: string;
  /** `-d/--wit-dir`: the WIT folder, relative to `cwd`; it must lie inside the project root. */
  witDir?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** `--cache-dir`. */
  cacheDir?: string;
  /** `--config` (the wasm-pkg config file). */
  config?: string;
  /**
   * No wit.toml, WIT files or wkg.toml overrides is no error (`add` looking up versions before it
   * writes wit.toml); otherwise it is `ERR_MANIFEST_NOT_FOUND`.
   */
  projectOptional?: boolean;
  /** Ctrl-C: stops network requests and waits for the project lock. */
  signal?: AbortSignal;
  /** Texts to use instead of the files on disk (`update --wit` resolves its edits before writing). */
  pending?: { manifestText?: string; witSources?: { path: string; text: string }[] };
}

/** What was read. */
export interface ProjectInputs {
  root: string;
  manifest: Manifest | undefined;
  manifestText: string | undefined;
  lock: Lock;
  lockText: string | undefined;
  /** The wasm-pkg config (per-registry auth and protocol). */
  config: WasmPkgConfig;
  overrides: WkgOverride[];
  roots: RootDependency[];
  /** The project's WIT folder and its `deps/`. */
  witDir: string;
  depsDir: string;
  cache: Cache;
  locate: (name: string) => PackageSourceRef;
  /** Logical registry for the lock (undefined for layouts). */
  registryOf: (name: string) => string | undefined;
  /** `[mirrors]` of wit.toml (they beat registries.conf entries of the same prefix). */
  mirrors: RegistryEntry[];
}

/** The root dependencies of a project. */
export function rootDependencies(
  manifest: Manifest | undefined,
  overrides: readonly WkgOverride[],
  references: readonly WitReference[] = [],
): RootDependency[] {
  const roots: RootDependency[] = (manifest?.dependencies ?? []).map((d) =>
    d.path === undefined
      ? {
          name: d.name,
          requirement: d.requirement,
          origin: { kind: 'manifest', label: 'wit.toml' },
        }
      : {
          name: d.name,
          requirement: undefined,
          path: d.path,
          origin: { kind: 'manifest', label: 'wit.toml' },
        },
  );
  for (const r of references)
    roots.push({
      name: r.name,
      requirement: r.version === undefined ? '*' : `=${r.version}`,
      origin: { kind: 'wit', label: r.files.join(', ') },
    });
  for (const o of overrides) {
    const origin = { kind: 'override', label: 'wkg.toml' } as const;
    if (o.path !== undefined) {
      const kept = roots.filter((r) => r.name !== o.name);
      roots.length = 0;
      roots.push(...kept, { name: o.name, requirement: undefined, path: o.path, origin });
    } else if (o.requirement !== undefined) {
      const existing = roots.find((r) => r.name === o.name && r.path === undefined);
      if (existing !== undefined) {
        existing.requirement = o.requirement;
        existing.origin = origin;
      } else roots.push({ name: o.name, requirement: o.requirement, origin });
    }
  }
  // the project's WIT naturally references its path dependencies: the path package satisfies them
  const paths = new Set(roots.flatMap((r) => (r.path === undefined ? [] : [r.name])));
  return roots.filter((r) => r.origin.kind !== 'wit' || !paths.has(r.name));
}

/** Reads a project and its environment. */
export async function readProject(options: ProjectOptions): Promise<ProjectInputs> {
  const location = await locateProject(options);
  const { root, witDir, depsDir } = location;
  // a bad --cache-dir is a usage error before any finding about the project
  const cache = new Cache(cacheDir(options.env, options.cacheDir, root));
  const pendingManifest = options.pending?.manifestText;
  const manifestFile =
    pendingManifest === undefined
      ? location.manifestFile
      : { text: pendingManifest, manifest: parseManifest(pendingManifest) };
  const manifest = manifestFile?.manifest;
  const [lockFile, overrides, config] = await Promise.all([
    readLockFile(root),
    readWkgOverrides(root),
    loadWasmPkgConfig(options.env, options.config, root),
  ]);
  const sources = options.pending?.witSources ?? (await readWitSources(witDir, root));
  const empty = manifest === undefined && sources.length === 0 && overrides.length === 0;
  if (empty && options.projectOptional !== true) throw noProject(location);
  const locateInput: LocateInput = {
    manifestRegistries: manifest?.registries ?? new Map(),
    dependencyRegistries: new Map(
      (manifest?.dependencies ?? []).flatMap((d) =>
        d.registry === undefined ? [] : [[d.name, d.registry] as const],
      ),
    ),
    config: config.config,
    builtins: config.builtins,
  };
  const locate = (name: string): PackageSourceRef => locatePackage(name, locateInput);
  return {
    root,
    manifest,
    manifestText: manifestFile?.text,
    config: config.config,
    lock: lockFile.lock,
    lockText: lockFile.text,
    overrides,
    roots: rootDependencies(manifest, overrides, witReferences(sources)),
    witDir,
    depsDir,
    cache,
    mirrors: manifest?.mirrors === undefined ? [] : parseMirrorsTable(manifest.mirrors),
    locate,
    registryOf: (name) => {
      const ref = locate(name);
      return ref.kind === 'layout' ? undefined : ref.registry;
    },
  };
}
