/**
 * The resolver's {@link PackageSource} over registries, OCI layouts and the shared cache.
 *
 * - Tag lists: `--offline` and `--prefer-offline` take a cached list of any age; otherwise the
 *   backend is asked (and the answer cached). Keys are the logical registry plus the package, so
 *   a cached list is found without discovery.
 * - Package facts: a version whose lock digest is in the cache is decoded from the cache without
 *   touching the network (this is what makes a locked, warm install request-free). Otherwise the
 *   manifest is fetched, the wasm layer checked against the lock, streamed into the cache
 *   (verified, temp + rename) unless already there, and decoded.
 * - A cached layer that fails its digest check when it is read (resolving, or printing its
 *   folder: {@link RegistrySource.packageBytes}) is removed and fetched again in the same run;
 *   with `--offline` that is `ERR_OFFLINE`. A full disk while storing a layer is `ERR_FS`.
 * - The registry is only resolved (discovery, clients) when a request is actually needed, and the
 *   OCI client and the WIT decoder are only loaded then: a locked install with a warm cache
 *   loads neither.
 * - Path dependencies are read from disk by {@link PathPackages} (no registry involved).
 */
import { resolve as resolvePath } from 'node:path';
import type { BlobRead, Cache } from '../cache/store.js';
import { closestNames } from '../resolve/suggest.js';
import { registryChangeError, type LockedRegistryOf } from './registry-change.js';
import { WitDepsError, isWitDepsError } from '../errors.js';
import { checkIdentity, decodeChecked } from './checked-decode.js';
import type { LayoutBackend, OciBackend, OciClients } from '../oci/index.js';
import type { Discovery } from '../registry/discovery.js';
import { repositoryOf, type PackageSourceRef } from '../registry/locate.js';
import type { PackageSource } from '../resolve/driver.js';
import type { Need, PackageFacts, PathFacts } from '../resolve/graph.js';
import { parsePackageName } from '../resolve/package-name.js';
import type { DecodedPackage } from '../wit/index.js';
import { PathPackages } from './path-packages.js';

/** The largest WIT package layer installed (wasi:http is 44 KB); it is read into memory to decode. */
export const MAX_PACKAGE_LAYER_BYTES = 64 * 1024 * 1024;

/**
 * Progress events of the fetch phase. Each package described is bracketed by `package-start` and
 * `package-done` (so a progress display can count done/known while the graph is discovered).
 */
export type FetchEvent =
  | { kind: 'package-start'; id: string }
  | { kind: 'package-done'; id: string }
  | { kind: 'tags'; name: string; cached: boolean }
  | { kind: 'manifest'; id: string }
  | { kind: 'download'; id: string; bytes: number }
  | { kind: 'cache-hit'; id: string };

/** What the source needs. */
export interface RegistrySourceOptions {
  locate: (name: string) => PackageSourceRef;
  discovery: Discovery;
  /** The network clients, created (and their module loaded) on the first call. */
  clients: () => Promise<OciClients>;
  /** Told which OCI host serves a logical registry, before its client is created. */
  noteHost?: (registry: string, host: string) => void;
  cache: Cache;
  cwd: string;
  offline: boolean;
  preferOffline: boolean;
  onEvent?: (event: FetchEvent) => void;
  /** The registry wkg.lock records for a locked digest (a changed registry explains a mismatch). */
  lockedRegistry?: LockedRegistryOf;
}

interface Target {
  backend: OciBackend;
  repository: string;
  where: string;
}

function offlineError(what: string, name: string): WitDepsError {
  return new WitDepsError(
    'ERR_OFFLINE',
    `${what} of \`${name}\` is not in the cache and --offline was given`,
    {
      hint: 'run the command once without `--offline`/`--frozen` to fill the cache (with a lock: `wit-deps install`), then retry offline',
      details: { package: name },
    },
  );
}

/** `--offline` and a cached layer that failed its digest check (it was removed). */
function corruptOfflineError(id: string, digest: string, reason: string): WitDepsError {
  return new WitDepsError(
    'ERR_OFFLINE',
    `\`${id}\`: the cached layer \`${digest}\` was corrupt (${reason}) and was removed, and --offline was given`,
    {
      hint: 'run `wit-deps install` without `--offline`/`--frozen` to fetch it again',
      details: { package: id, digest },
    },
  );
}

/** A package source reading the cache first and the registries when needed. */
export class RegistrySource implements PackageSource {
  /** Decoded packages by layer digest, for the write phase. */
  readonly decoded = new Map<string, DecodedPackage>();
  private readonly targets = new Map<string, Promise<Target>>();
  private readonly layouts = new Map<string, LayoutBackend>();
  /** The registry packages described, by layer digest, so a corrupt cache entry can be fetched again. */
  private readonly described = new Map<string, { name: string; version: string; need: Need }>();
  /** The path packages read while resolving. */
  readonly paths: PathPackages;

  constructor(private readonly options: RegistrySourceOptions) {
    this.paths = new PathPackages(options.cwd);
  }

  describePath(name: string, path: string): Promise<PathFacts> {
    return this.paths.describe(name, path);
  }

  private async target(name: string): Promise<Target> {
    const ref = this.options.locate(name);
    if (ref.kind === 'layout') {
      const { namespace, name: pkg } = parsePackageName(name);
      const dir = resolvePath(this.options.cwd, ref.layout, namespace, pkg);
      let backend = this.layouts.get(dir);
      if (backend === undefined) {
        const oci = await import('../oci/index.js');
        backend = this.layouts.get(dir) ?? new oci.LayoutBackend(dir);
        this.layouts.set(dir, backend);
      }
      return { backend, repository: '', where: `layout \`${dir}\`` };
    }
    const meta =
      ref.kind === 'oci'
        ? ref.oci
        : (ref.metadata ??
          (await this.options.discovery.resolve(ref.registry).catch((e: unknown): never => {
            throw discoveryFor(e, name);
          })));
    const repository = repositoryOf(name, meta);
    this.options.noteHost?.(ref.registry, meta.registry);
    return {
      backend: (await this.options.clients()).registry(meta.registry),
      repository,
      where: `registry \`${ref.registry}\` (${meta.registry}/${repository})`,
    };
  }

  private targetOf(name: string): Promise<Target> {
    let t = this.targets.get(name);
    if (t === undefined) this.targets.set(name, (t = this.target(name)));
    return t;
  }

  private tagKey(name: string): string {
    return `${this.options.locate(name).registry}|${name}`;
  }

  async listTags(name: string, need: Need): Promise<readonly string[]> {
    const { cache, offline, preferOffline, onEvent } = this.options;
    if (offline || preferOffline) {
      const cached = await cache.readTags(this.tagKey(name), Number.POSITIVE_INFINITY);
      if (cached !== undefined) {
        onEvent?.({ kind: 'tags', name, cached: true });
        return cached;
      }
      if (offline) throw offlineError('the version list', name);
    }
    const target = await this.targetOf(name);
    let tags: string[];
    try {
      tags = await target.backend.listTags(target.repository);
    } catch (error) {
      throw notFound(error, name, need, target.where, {
        similar: closestNames(name, await cache.knownPackageNames()),
      });
    }
    onEvent?.({ kind: 'tags', name, cached: false });
    await cache.writeTags(this.tagKey(name), tags);
    return tags;
  }

  async describe(name: string, version: string, need: Need): Promise<PackageFacts> {
    const id = `${name}@${version}`;
    this.options.onEvent?.({ kind: 'package-start', id });
    const facts = await this.describeFresh(id, name, version, need);
    this.described.set(facts.digest, { name, version, need });
    this.options.onEvent?.({ kind: 'package-done', id });
    return facts;
  }

  private async describeFresh(
    id: string,
    name: string,
    version: string,
    need: Need,
  ): Promise<PackageFacts> {
    if (need.lockedDigest !== undefined) {
      const known = await this.options.cache.readFacts(id, need.lockedDigest);
      if (known !== undefined && (await this.options.cache.has(need.lockedDigest))) {
        this.options.onEvent?.({ kind: 'cache-hit', id });
        return { digest: need.lockedDigest, dependencies: known };
      }
      const found = await this.options.cache.load(need.lockedDigest);
      if (found.state === 'ok') {
        this.options.onEvent?.({ kind: 'cache-hit', id });
        return this.remember(id, await this.facts(id, need.lockedDigest, found.bytes));
      }
      if (found.state === 'corrupt' && this.options.offline)
        throw corruptOfflineError(id, need.lockedDigest, found.reason);
    }
    if (this.options.offline) throw offlineError(`version ${version}`, name);
    const digest = await this.download(name, version, need);
    const bytes = await this.options.cache.read(digest);
    if (bytes === undefined)
      throw new WitDepsError(
        'ERR_CACHE',
        `\`${id}\` vanished from the cache right after it was written`,
        { hint: 'check the cache folder (`--cache-dir`)' },
      );
    return this.remember(id, await this.facts(id, digest, bytes));
  }

  /**
   * The verified layer of a described registry package, for the write phase. A cache entry found
   * corrupt is removed and fetched again from its registry in the same run (with `--offline`,
   * `ERR_OFFLINE`), so one install recovers from a damaged cache.
   */
  async packageBytes(id: string, digest: string): Promise<Uint8Array> {
    const { cache, offline } = this.options;
    const found = await cache.load(digest);
    if (found.state === 'ok') return found.bytes;
    const described = this.described.get(digest);
    if (found.state === 'corrupt' && offline) throw corruptOfflineError(id, digest, found.reason);
    if (described === undefined || offline) throw missingFromCache(id, digest, found);
    const { name, version, need } = described;
    await this.download(name, version, { ...need, lockedDigest: digest });
    const again = await cache.load(digest);
    if (again.state !== 'ok') throw missingFromCache(id, digest, again);
    return again.bytes;
  }

  private async remember(id: string, facts: PackageFacts): Promise<PackageFacts> {
    await this.options.cache.writeFacts(id, facts.digest, facts.dependencies);
    return facts;
  }

  private async download(name: string, version: string, need: Need): Promise<string> {
    const id = `${name}@${version}`;
    const target = await this.targetOf(name);
    let layerDigest: string;
    let layer;
    try {
      const { resolveManifest, wasmLayerOf } = await import('../oci/index.js');
      const manifest = await resolveManifest(target.backend, target.repository, version);
      layer = wasmLayerOf(manifest.manifest);
      layerDigest = layer.digest;
    } catch (error) {
      throw notFound(error, name, need, target.where, { version });
    }
    this.options.onEvent?.({ kind: 'manifest', id });
    if (layer.size > MAX_PACKAGE_LAYER_BYTES)
      throw new WitDepsError(
        'ERR_LIMIT_EXCEEDED',
        `\`${id}\` in ${target.where} has a ${layer.size}-byte layer, more than a WIT package may be (${MAX_PACKAGE_LAYER_BYTES})`,
        {
          hint: 'the artifact is not a WIT package; check the registry mapping of its namespace',
          details: { package: name, version, size: layer.size },
        },
      );
    if (need.lockedDigest !== undefined && need.lockedDigest !== layerDigest) {
      const [locked, actual, where] = [need.lockedDigest, layerDigest, target.where];
      const lockedFrom = this.options.lockedRegistry?.(name, locked);
      const current = this.options.locate(name);
      const moved = registryChangeError(
        id,
        name,
        { locked, actual, where },
        lockedFrom,
        current.kind === 'layout' ? undefined : current.registry,
      );
      if (moved !== undefined) throw moved;
      throw new WitDepsError(
        'ERR_INTEGRITY_MISMATCH',
        `\`${id}\` has digest \`${layerDigest}\` in ${target.where} but wkg.lock records \`${need.lockedDigest}\``,
        {
          hint: `the tag was re-published; if that is expected run \`wit-deps update ${name}\``,
          details: { package: name, version, expected: need.lockedDigest, actual: layerDigest },
        },
      );
    }
    const { cache } = this.options;
    if (!(await cache.has(layerDigest))) {
      const path = await cache.blobTarget(layerDigest);
      try {
        await target.backend.fetchBlobTo(target.repository, layer, path);
      } catch (error) {
        throw storeFailure(corruptLayer(error, name, version, target.where), id);
      }
      this.options.onEvent?.({ kind: 'download', id, bytes: layer.size });
    }
    return layerDigest;
  }

  private async facts(id: string, digest: string, bytes: Uint8Array): Promise<PackageFacts> {
    let decoded = this.decoded.get(digest);
    if (decoded === undefined) {
      decoded = await decodeChecked(id, digest, bytes);
      this.decoded.set(digest, decoded);
    } else checkIdentity(id, digest, decoded);
    const dependencies: { name: string; version: string }[] = [];
    decoded.resolve.packages.forEach((pkg, index) => {
      if (index === decoded.package || pkg.name.version === undefined) return;
      dependencies.push({
        name: `${pkg.name.namespace}:${pkg.name.name}`,
        version: pkg.name.version,
      });
    });
    return { digest, dependencies };
  }
}

/** A layer that is not in the cache when the write phase needs it. */
function missingFromCache(id: string, digest: string, found: BlobRead): WitDepsError {
  const why = found.state === 'corrupt' ? ` (it was corrupt: ${found.reason})` : '';
  return new WitDepsError('ERR_CACHE', `\`${id}\` (${digest}) is missing from the cache${why}`, {
    hint: 'run `wit-deps install` again; the cache entry was removed or corrupted meanwhile',
    details: { package: id, digest },
  });
}

/** A layer that could not be written into the cache (a full disk): names the package and the cache. */
function storeFailure(error: unknown, id: string): unknown {
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
function corruptLayer(error: unknown, name: string, version: string, where: string): unknown {
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
function notFound(
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

/** A failed discovery names the package that needed it and the `[registries]` line to add. */
function discoveryFor(error: unknown, name: string): unknown {
  if (!isWitDepsError(error) || error.code !== 'ERR_DISCOVERY_FAILED') return error;
  const { namespace } = parsePackageName(name);
  const generic = error.hint === undefined || error.hint.startsWith('map the namespace');
  const first = generic ? '' : `${error.hint}, or `;
  return new WitDepsError(error.code, `\`${name}\`: ${error.message}`, {
    hint: `${first}add \`${namespace} = { oci = "<host>", prefix = "<prefix>/" }\` under \`[registries]\` in wit.toml to skip discovery`,
    cause: error,
    details: { ...error.details, package: name },
  });
}
