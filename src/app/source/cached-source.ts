/**
 * The resolver's {@link PackageSource}: the cache policy over any {@link PackageOrigin}
 * (`package-origin.ts`), with the origin of each package chosen by routing (`route.ts`).
 *
 * - Tag lists: `--offline` and `--prefer-offline` take a cached list of any age; otherwise the
 *   origin is asked (and the answer cached). Keys are the logical registry plus the package, so
 *   a cached list is found without discovery.
 * - Package facts: a version whose lock digest is in the cache is described from the cache
 *   without touching the network (the facts record of that id and digest, or else the decoded
 *   blob): this is what makes a locked, warm install request-free. Next, with no cache entry:
 *   an intact `wit/deps` folder written from that digest (`folder-facts.ts`: a committed
 *   wit/deps needs no cache), then the project's vendor folder (`vendored.ts`), both without a
 *   request. Otherwise a version wkg.lock pins is fetched by its digest alone (one blob request,
 *   no manifest: `PackageOrigin.fetchDigest`); any other version is located (its manifest), its
 *   digest checked against a pin, its content handed to the cache (`Cache.ingest`: temp +
 *   verify + rename) unless already there. Every layer, from wherever, is decoded and checked
 *   to be the package asked for.
 * - A cached layer that fails its digest check when it is read (resolving, or printing its
 *   folder: {@link CachedSource.packageBytes}) is removed and fetched again in the same run;
 *   with `--offline` that is `ERR_OFFLINE`. A full disk while storing a layer is `ERR_FS`.
 * - Packages are decoded once per run ({@link DecodedStore}, shared with the write phase).
 * - The registry is only routed (discovery, clients) when a request is actually needed, and the
 *   OCI client and the WIT decoder are only loaded then: a locked install with a warm cache
 *   loads neither.
 * - Path dependencies are read from disk by {@link PathPackages} (no registry involved).
 */
import type { Cache } from '../../cache/store.js';
import { WitDepsError } from '../../errors.js';
import type { OciClients, OciEvent } from '../../oci/index.js';
import type { Discovery } from '../../registry/discovery.js';
import type { PackageSourceRef } from '../../registry/locate.js';
import type { PackageSource } from '../../resolve/driver.js';
import type { Need, PackageFacts, PathFacts } from '../../resolve/graph.js';
import { closestNames } from '../../resolve/suggest.js';
import { DecodedStore, missingFromCache } from './decoded-store.js';
import type { PackageContent, PackageOrigin } from './package-origin.js';
import { folderFacts } from './folder-facts.js';
import { cachedVersions, offlineNoMatch } from './offline-versions.js';
import { PathPackages } from './path-packages.js';
import { registryChangeError, type LockedRegistryOf } from './registry-change.js';
import { openBackend, routePackage, type OpenedRoute, type Route } from './route.js';
import { Vendored } from './vendored.js';
import {
  MAX_PACKAGE_LAYER_BYTES,
  corruptLayer,
  corruptOfflineError,
  lockMismatch,
  notFound,
  offlineError,
  storeFailure,
  tooLarge,
} from './source-errors.js';

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
  | { kind: 'cache-hit'; id: string }
  /** The first network step for package `name` is about to start (before any answer). */
  | { kind: 'resolving'; name: string; registry: string }
  /** `--offline` resolved a package against the versions the cache holds (lowest first). */
  | { kind: 'offline-versions'; name: string; versions: string[] }
  /** A registry request, retry or warning of the OCI client, as it happens. */
  | { kind: 'network'; event: OciEvent };

/** What the source needs. */
export interface CachedSourceOptions {
  locate: (name: string) => PackageSourceRef;
  discovery: Discovery;
  /** The network clients, created (and their module loaded) on the first call. */
  clients: () => Promise<OciClients>;
  /** Told which OCI host serves a logical registry, before its client is created. */
  noteHost?: (registry: string, host: string) => void;
  cache: Cache;
  cwd: string;
  /**
   * The project's `wit/deps`: an intact folder of a locked version gives its facts
   * (`folder-facts.ts`) when `wkg.lock` itself records that digest for it (`lockRecords`), or
   * with `--offline`. A digest pinned only by the folder's own marker is otherwise checked
   * against the registry, as the marker cannot vouch for itself.
   */
  depsDir?: string;
  /** True when wkg.lock records `digest` for `name@version` at its registry (not only a marker). */
  lockRecords?: (name: string, version: string, digest: string) => boolean;
  /** The project's vendor folder (`vendored.ts`), read before the network; none when undefined. */
  vendorDir?: string;
  offline: boolean;
  preferOffline: boolean;
  onEvent?: ((event: FetchEvent) => void) | undefined;
  /** The registry wkg.lock records for a locked digest (a changed registry explains a mismatch). */
  lockedRegistry?: LockedRegistryOf;
}

/** A package source reading the cache first and the package's origin when needed. */
export class CachedSource implements PackageSource {
  /** Decoded packages by layer digest, for the write phase (it reads through this source). */
  readonly packages = new DecodedStore((id, digest) => this.packageBytes(id, digest));
  private readonly origins = new Map<string, Promise<PackageOrigin>>();
  /** The registry packages described, by layer digest, so a corrupt cache entry can be fetched again. */
  private readonly described = new Map<string, { name: string; version: string; need: Need }>();
  /** The path packages read while resolving. */
  readonly paths: PathPackages;
  private readonly vendored: Vendored | undefined;
  private readonly announced = new Set<string>();

  constructor(private readonly options: CachedSourceOptions) {
    this.paths = new PathPackages(options.cwd);
    this.vendored = options.vendorDir === undefined ? undefined : new Vendored(options.vendorDir);
  }

  describePath(name: string, path: string): Promise<PathFacts> {
    return this.paths.describe(name, path);
  }

  /** Where package `name` lives, opened: the place `install` reads it from (and `publish` pushes to). */
  async openRoute(name: string): Promise<{ route: Route; opened: OpenedRoute }> {
    const { cwd, discovery, clients, noteHost } = this.options;
    const ref = this.options.locate(name);
    const route = await routePackage(name, ref, { cwd, discovery });
    if (route.kind === 'registry') noteHost?.(ref.registry, route.host);
    return { route, opened: await openBackend(route, clients) };
  }

  private async openOrigin(name: string): Promise<PackageOrigin> {
    const { route, opened } = await this.openRoute(name);
    const { OciOrigin } = await import('./oci-origin.js');
    return new OciOrigin(opened, route.where);
  }

  /** The origin of package `name` (routed once per run), for `vendor`. */
  originOf(name: string): Promise<PackageOrigin> {
    let origin = this.origins.get(name);
    if (origin === undefined) this.origins.set(name, (origin = this.openOrigin(name)));
    return origin;
  }

  /** Tells (once per package) that `name` is about to be fetched from its registry. */
  private announce(name: string): void {
    if (this.announced.has(name)) return;
    this.announced.add(name);
    const ref = this.options.locate(name);
    if (ref.kind === 'layout') return;
    const registry =
      ref.kind === 'oci' ? ref.oci.registry : (ref.metadata?.registry ?? ref.registry);
    this.options.onEvent?.({ kind: 'resolving', name, registry });
  }

  private tagKey(name: string): string {
    return `${this.options.locate(name).registry}|${name}`;
  }

  async listTags(name: string, need: Need): Promise<readonly string[]> {
    const { cache, offline, preferOffline, onEvent } = this.options;
    if (offline) {
      const known = await this.offlineVersions(name, need);
      if (known !== undefined) return known;
    }
    if (offline || preferOffline) {
      const cached = await cache.readTags(this.tagKey(name), Number.POSITIVE_INFINITY);
      if (cached !== undefined) {
        onEvent?.({ kind: 'tags', name, cached: true });
        return cached;
      }
      const vendored = offline ? await this.vendored?.tags(name) : undefined;
      if (vendored !== undefined) {
        onEvent?.({ kind: 'tags', name, cached: true });
        return vendored;
      }
      if (offline) throw offlineError('the version list', name);
    }
    this.announce(name);
    const origin = await this.originOf(name);
    let tags: string[];
    try {
      tags = await origin.listVersions();
    } catch (error) {
      throw notFound(error, name, need, origin.where, {
        similar: closestNames(name, await cache.knownPackageNames()),
      });
    }
    onEvent?.({ kind: 'tags', name, cached: false });
    await cache.writeTags(this.tagKey(name), tags);
    return tags;
  }

  /**
   * With `--offline`, the versions the cache holds (version facts with their layer) and the
   * vendored ones, or undefined when it holds none (the cached tag list is then used).
   */
  private async offlineVersions(name: string, need: Need): Promise<string[] | undefined> {
    const cached = await cachedVersions(this.options.cache, this.tagKey(name));
    const vendored = (await this.vendored?.tags(name)) ?? [];
    if (cached.length === 0) return undefined;
    const versions = [...new Set([...cached, ...vendored])];
    const refused = offlineNoMatch(name, need, versions);
    if (refused !== undefined) throw refused;
    this.options.onEvent?.({ kind: 'offline-versions', name, versions: cached });
    return versions;
  }

  /** Records which layer `name@version` resolved to, for a later `--offline` without a lock. */
  private async noteVersion(name: string, version: string, digest: string): Promise<void> {
    const key = this.tagKey(name);
    const { cache } = this.options;
    // a fact not written (a read-only shared cache) only costs a later offline install
    if ((await cache.readVersionDigest(key, version)) !== digest)
      await cache.writeVersionDigest(key, version, digest).catch(() => undefined);
  }

  async describe(name: string, version: string, need: Need): Promise<PackageFacts> {
    const id = `${name}@${version}`;
    this.options.onEvent?.({ kind: 'package-start', id });
    const facts = await this.describeFresh(id, name, version, need);
    this.described.set(facts.digest, { name, version, need });
    this.options.onEvent?.({ kind: 'package-done', id });
    return facts;
  }

  /** The facts of a locked version from the cache alone, or undefined when it must be fetched. */
  private async describeCached(id: string, digest: string): Promise<PackageFacts | undefined> {
    const { cache, offline, onEvent } = this.options;
    const known = await cache.readFacts(id, digest);
    if (known !== undefined && (await cache.has(digest))) {
      onEvent?.({ kind: 'cache-hit', id });
      return { digest, dependencies: known };
    }
    const found = await cache.load(digest);
    if (found.state === 'ok') {
      onEvent?.({ kind: 'cache-hit', id });
      return this.remember(id, await this.facts(id, digest, found.bytes));
    }
    if (found.state === 'corrupt' && offline) throw corruptOfflineError(id, digest, found.reason);
    return undefined;
  }

  private async describeFresh(
    id: string,
    name: string,
    version: string,
    need: Need,
  ): Promise<PackageFacts> {
    let modified: string | undefined;
    if (need.lockedDigest !== undefined) {
      const cached = await this.describeCached(id, need.lockedDigest);
      if (cached !== undefined) return cached;
      const { depsDir, onEvent, offline, lockRecords } = this.options;
      const trusted = offline || lockRecords?.(name, version, need.lockedDigest) === true;
      const folder =
        depsDir && trusted && (await folderFacts(depsDir, name, version, need.lockedDigest));
      if (folder && 'dependencies' in folder) {
        onEvent?.({ kind: 'cache-hit', id });
        return { digest: need.lockedDigest, dependencies: folder.dependencies };
      }
      modified = folder ? folder.problem : undefined;
    }
    if (need.lockedDigest === undefined && this.options.offline) {
      // no lock: the version fact another install recorded in the shared cache
      const known = await this.options.cache.readVersionDigest(this.tagKey(name), version);
      const cached = known === undefined ? undefined : await this.describeCached(id, known);
      if (cached !== undefined) return cached;
    }
    let digest = await this.fromVendor(name, version, need);
    if (digest === undefined) {
      if (this.options.offline) {
        const cached = await cachedVersions(this.options.cache, this.tagKey(name));
        throw offlineError(`version ${version}`, name, modified, cached);
      }
      digest = await this.download(name, version, need);
    }
    await this.noteVersion(name, version, digest);
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
   * corrupt is removed and fetched again from its origin in the same run (with `--offline`,
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

  /**
   * A version from the vendor folder into the cache: a version wkg.lock records when the vendored
   * layer has the locked digest, any vendored version with `--offline` (a pinned one only with
   * the pinned digest); undefined when not vendored.
   */
  private async fromVendor(name: string, version: string, need: Need): Promise<string | undefined> {
    const locked = need.lockedDigest;
    const { offline, lockRecords } = this.options;
    const recorded = locked !== undefined && lockRecords?.(name, version, locked) === true;
    if (this.vendored === undefined || !(offline || recorded)) return;
    const found = await this.vendored.locate(name, version, locked);
    if (found === undefined) return;
    return this.store(name, version, found.where, found.content);
  }

  /**
   * A locked version fetched by its lock digest alone (one blob request, no manifest); undefined
   * when the origin cannot or does not hold that blob (the manifest then says what it has).
   */
  private async byLockedDigest(
    name: string,
    version: string,
    origin: PackageOrigin,
    digest: string,
  ): Promise<string | undefined> {
    const { cache, onEvent } = this.options;
    if (origin.fetchDigest === undefined) return;
    if (await cache.has(digest)) return digest;
    let bytes: Uint8Array;
    try {
      bytes = await origin.fetchDigest(digest, MAX_PACKAGE_LAYER_BYTES);
    } catch (error) {
      if (error instanceof WitDepsError && error.code === 'ERR_REGISTRY_NOT_FOUND') return;
      throw corruptLayer(error, name, version, origin.where);
    }
    const size = bytes.byteLength;
    const id = `${name}@${version}`;
    await cache.ingest({ digest, size }, bytes).catch((error: unknown) => {
      throw storeFailure(corruptLayer(error, name, version, origin.where), id);
    });
    onEvent?.({ kind: 'download', id, bytes: size });
    return digest;
  }

  /** Locates the version, checks it against the limits and the lock, and caches its content. */
  private async download(name: string, version: string, need: Need): Promise<string> {
    this.announce(name);
    const origin = await this.originOf(name);
    if (need.lockedDigest !== undefined) {
      const fetched = await this.byLockedDigest(name, version, origin, need.lockedDigest);
      if (fetched !== undefined) return fetched;
    }
    let content;
    try {
      content = await origin.locate(version);
    } catch (error) {
      throw notFound(error, name, need, origin.where, { version });
    }
    this.options.onEvent?.({ kind: 'manifest', id: `${name}@${version}` });
    if (need.lockedDigest !== undefined && need.lockedDigest !== content.digest) {
      const [locked, where, actual] = [need.lockedDigest, origin.where, content.digest];
      const current = this.options.locate(name);
      const moved = registryChangeError(
        `${name}@${version}`,
        name,
        { locked, actual, where },
        this.options.lockedRegistry?.(name, locked),
        current.kind === 'layout' ? undefined : current.registry,
      );
      throw moved ?? lockMismatch(name, version, where, { expected: locked, actual });
    }
    return this.store(name, version, origin.where, content);
  }

  /** Checks located content against the size limit and stores it in the cache unless there. */
  private async store(
    name: string,
    version: string,
    where: string,
    content: PackageContent,
  ): Promise<string> {
    const id = `${name}@${version}`;
    if (content.size > MAX_PACKAGE_LAYER_BYTES) throw tooLarge(name, version, where, content.size);
    const { digest, size } = content;
    const { cache } = this.options;
    if (!(await cache.has(digest))) {
      try {
        await cache.ingest({ digest, size }, await content.open());
      } catch (error) {
        throw storeFailure(corruptLayer(error, name, version, where), id);
      }
      this.options.onEvent?.({ kind: 'download', id, bytes: size });
    }
    return digest;
  }

  private async facts(id: string, digest: string, bytes: Uint8Array): Promise<PackageFacts> {
    const decoded = await this.packages.get(id, digest, bytes);
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
