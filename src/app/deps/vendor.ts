/**
 * `wit-deps vendor [dir]`: every package of the resolved lock (direct and transitive) written
 * into OCI image layouts inside the project, as published: the image manifest (the wasm entry of
 * an index), its config and its layer, under their registry digests, so every digest in
 * `wkg.lock` still matches. The layout of each package is `<dir>/<ns>/<name>/` (default
 * `vendor/oci`), one tag per version: the namespace layout that `[registries] <ns> = { layout =
 * "<dir>" }` reads, and a folder `skopeo copy oci:<dir>/<ns>/<name>:<version> docker://...`
 * copies into a registry. Install finds `vendor/oci` by itself (`vendored.ts`): a fresh clone
 * with no cache and no network runs `install --frozen` from it, with no edit to any file.
 *
 * Steps, under the project lock: `install` (with the flags given: `--locked`/`--frozen` make a
 * lock that would change fail; this fills the cache, wit/deps and wkg.lock); then per package, each version's artifact is taken from the existing
 * layout when its layer has the locked digest, else from the package's registry (manifest and
 * config; the layer from the cache); the layout is built in a temporary sibling and swapped in
 * only when it differs (re-running changes nothing); layouts of packages no longer locked go.
 */
import { readFile, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import type { Cache } from '../../cache/store.js';
import { WitDepsError, isWitDepsError } from '../../errors.js';
import { assertConfined } from '../../fs/confine.js';
import { makeDir } from '../../fs/make-dir.js';
import { tempSibling } from '../../fs/temp-name.js';
import { isWitIdentifier } from '../../resolve/package-name.js';
import type { CachedSource } from '../source/cached-source.js';
import {
  installInProject,
  withLockedProject,
  type InstallOptions,
  type InstalledPackage,
} from './install.js';
import type { PackageOrigin, PublishedArtifact } from '../source/package-origin.js';
import { VENDOR_DIR, Vendored, vendoredLayout } from '../source/vendored.js';

/** Options of {@link vendor}. */
export interface VendorOptions extends InstallOptions {
  /** The vendor folder, relative to the project (default `vendor/oci`). */
  dir?: string;
}

/** One vendored package version. */
export interface VendoredPackage {
  id: string;
  digest: string;
  /** Its layout folder, relative to the project. */
  layout: string;
  /** `written` when its layout changed, else `unchanged`. */
  status: 'written' | 'unchanged';
}

/** What `vendor` did. */
export interface VendorResult {
  /** The vendor folder, relative to the project. */
  dir: string;
  packages: VendoredPackage[];
  /** Packages (`ns:name`) whose layouts were removed: no longer locked. */
  removed: string[];
  /** HTTP requests made (install and vendor). */
  requests: number;
  durationMs: number;
}

interface Context {
  dir: string;
  old: Vendored;
  source: CachedSource;
  cache: Cache;
  offline: boolean;
}

/** One version as published: its artifact and the bytes of its config and layer. */
interface Copy {
  artifact: PublishedArtifact;
  config: Uint8Array;
  layer: Uint8Array;
}

/** Reads a locked version's artifact from `from`, checked to hold the locked layer. */
async function readCopy(ctx: Context, pkg: InstalledPackage, from: PackageOrigin): Promise<Copy> {
  if (from.artifact === undefined)
    throw new WitDepsError(
      'ERR_MANIFEST_UNSUPPORTED',
      `\`${pkg.id}\` is not in an OCI repository`,
      {
        hint: 'only packages from OCI registries or layouts can be vendored',
      },
    );
  const artifact = await from.artifact(pkg.version);
  if (artifact.layer.digest !== pkg.digest)
    throw new WitDepsError(
      'ERR_INTEGRITY_MISMATCH',
      `\`${pkg.id}\` has layer \`${artifact.layer.digest}\` in ${from.where} but wkg.lock records \`${pkg.digest}\``,
      {
        hint: `the tag was re-published; if that is expected run \`wit-deps update ${pkg.name}\`, then vendor again`,
        details: { package: pkg.name, expected: pkg.digest, actual: artifact.layer.digest },
      },
    );
  const layer = (await ctx.cache.read(pkg.digest)) ?? (await artifact.read(artifact.layer));
  return { artifact, config: await artifact.read(artifact.config), layer };
}

/**
 * A locked version as published: the existing vendored copy when it is intact and holds the
 * locked layer (no request), else the package's origin (with `--offline`: `ERR_OFFLINE`).
 */
async function copyOf(ctx: Context, pkg: InstalledPackage): Promise<Copy> {
  const old = await ctx.old
    .origin(pkg.name)
    .then((origin) => readCopy(ctx, pkg, origin))
    .catch((error: unknown) => {
      if (isWitDepsError(error)) return undefined; // missing, stale or damaged: fetched again
      throw error;
    });
  if (old !== undefined) return old;
  if (ctx.offline)
    throw new WitDepsError(
      'ERR_OFFLINE',
      `the manifest of \`${pkg.id}\` is not in the vendor folder and --offline was given`,
      {
        hint: 'run `wit-deps vendor` without `--offline`/`--frozen` once to fetch the manifests',
        details: { package: pkg.name, version: pkg.version },
      },
    );
  return readCopy(ctx, pkg, await ctx.source.originOf(pkg.name));
}

/** Writes the versions of one package into a new layout folder `temp`. */
async function buildLayout(ctx: Context, temp: string, versions: InstalledPackage[]) {
  const { LayoutBackend } = await import('../../oci/index.js');
  const layout = new LayoutBackend(temp);
  for (const pkg of versions) {
    const { artifact, config, layer } = await copyOf(ctx, pkg);
    await layout.pushBlob('', artifact.config, { bytes: config });
    await layout.pushBlob('', artifact.layer, { bytes: layer });
    const { bytes, mediaType } = artifact.manifest;
    await layout.pushManifest('', pkg.version, bytes, mediaType);
  }
}

/** Every file of a layout folder (`index.json`, `oci-layout`, blobs) by relative path. */
async function layoutFiles(dir: string): Promise<Map<string, Buffer> | undefined> {
  const files = new Map<string, Buffer>();
  try {
    for (const name of ['oci-layout', 'index.json'])
      files.set(name, await readFile(join(dir, name)));
    const blobs = join(dir, 'blobs', 'sha256');
    for (const hex of await readdir(blobs)) files.set(hex, await readFile(join(blobs, hex)));
  } catch {
    return undefined;
  }
  return files;
}

/** True when two layout folders hold the same files, byte for byte. */
async function sameLayout(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([layoutFiles(a), layoutFiles(b)]);
  if (x === undefined || y === undefined || x.size !== y.size) return false;
  for (const [name, bytes] of x) if (!y.get(name)?.equals(bytes)) return false;
  return true;
}

/** Vendors the versions of one package; returns whether its layout changed. */
async function vendorPackage(ctx: Context, name: string, versions: InstalledPackage[]) {
  const target = vendoredLayout(ctx.dir, name);
  // a committed `vendor/oci/<ns>` that is a symlink out of the folder is refused before writing
  await assertConfined(target, ctx.dir, { what: 'the vendor layout' });
  await makeDir(dirname(target));
  const temp = tempSibling(target);
  try {
    await buildLayout(ctx, temp, versions);
    if (await sameLayout(temp, target)) return false;
    const previous = tempSibling(target);
    const existed = await rename(target, previous).then(
      () => true,
      (error: unknown) => {
        if ((error as { code?: string }).code === 'ENOENT') return false;
        throw error;
      },
    );
    await rename(temp, target);
    if (existed) await rm(previous, { recursive: true, force: true });
    return true;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** Directory names directly in `dir` that are WIT identifiers (not temp folders, not files). */
async function identifierFolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && isWitIdentifier(e.name)).map((e) => e.name);
}

/** Removes the layouts of packages not in `keep` (only folders holding an `oci-layout` file). */
async function dropUnlocked(dir: string, keep: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const ns of await identifierFolders(dir)) {
    for (const pkg of await identifierFolders(join(dir, ns))) {
      const name = `${ns}:${pkg}`;
      const layout = join(dir, ns, pkg);
      if (keep.has(name)) continue;
      const isLayout = await readFile(join(layout, 'oci-layout')).then(
        () => true,
        () => false,
      );
      if (!isLayout) continue;
      await rm(layout, { recursive: true, force: true });
      removed.push(name);
    }
    await rmdir(join(dir, ns)).catch(() => undefined); // only when empty
  }
  return removed.sort();
}

/** Groups installed packages by name, versions in order. */
function byName(packages: readonly InstalledPackage[]): Map<string, InstalledPackage[]> {
  const out = new Map<string, InstalledPackage[]>();
  for (const p of [...packages].sort((a, b) => (a.id < b.id ? -1 : 1)))
    out.set(p.name, [...(out.get(p.name) ?? []), p]);
  return out;
}

/** Runs `wit-deps vendor`; see the module comment. */
export async function vendor(options: VendorOptions): Promise<VendorResult> {
  const started = performance.now();
  return withLockedProject(options, async (handle) => {
    const installed = await installInProject(handle, options);
    const afterInstall = handle.requests();
    const session = await handle.sources();
    const { root, cache } = session.project;
    const dir = resolvePath(root, options.dir ?? VENDOR_DIR);
    await assertConfined(dir, root, { what: 'the vendor folder' });
    await makeDir(dir);
    const offline = options.offline === true || options.frozen === true;
    const ctx: Context = { dir, old: new Vendored(dir), source: session.source, cache, offline };
    const packages: VendoredPackage[] = [];
    const groups = byName(installed.packages);
    for (const [name, versions] of groups) {
      const changed = await vendorPackage(ctx, name, versions).catch((error: unknown) => {
        if (isWitDepsError(error)) throw error;
        throw new WitDepsError('ERR_FS', `\`${name}\` could not be vendored into \`${dir}\``, {
          hint: 'check that the vendor folder is writable',
          cause: error,
        });
      });
      const layout = relative(root, vendoredLayout(dir, name));
      for (const p of versions)
        packages.push({
          id: p.id,
          digest: p.digest,
          layout,
          status: changed ? 'written' : 'unchanged',
        });
    }
    const removed = await dropUnlocked(dir, new Set(groups.keys()));
    return {
      dir: relative(root, dir),
      packages,
      removed,
      requests: installed.requests + handle.requests() - afterInstall,
      durationMs: Math.round(performance.now() - started),
    };
  });
}
