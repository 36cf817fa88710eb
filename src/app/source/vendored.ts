/**
 * The project's vendor folder, `vendor/oci/` (written by `wit-deps vendor`): one OCI image layout
 * per package at `vendor/oci/<ns>/<name>/`, tagged with its versions, holding each locked version
 * as published (manifest, config and layer). It is the layout that `[registries] <ns> = { layout =
 * "vendor/oci" }` reads, and install finds it at this fixed place without any configuration: the
 * cache policy (`cached-source.ts`) takes a locked version from it when its layer has the locked
 * digest (no request), and with `--offline` any version and tag list it holds. What it reads
 * there is as untrusted as a registry: the layout reader checks every file, the policy checks the
 * digest against the lock and decodes the package to check its name and version.
 */
import { join } from 'node:path';
import { isWitDepsError } from '../../errors.js';
import { parsePackageName } from '../../resolve/package-name.js';
import type { PackageContent, PackageOrigin } from './package-origin.js';

/** The vendor folder, relative to the project root. */
export const VENDOR_DIR = join('vendor', 'oci');

/** The layout folder of package `name` (`ns:pkg`) under `vendorDir`. */
export function vendoredLayout(vendorDir: string, name: string): string {
  const { namespace, name: pkg } = parsePackageName(name);
  return join(vendorDir, namespace, pkg);
}

/** True for the errors of a package or version the vendor folder does not hold. */
function isAbsent(error: unknown): boolean {
  return isWitDepsError(error) && error.code === 'ERR_REGISTRY_NOT_FOUND';
}

/** The vendored copies of the packages of one project, read on demand. */
export class Vendored {
  readonly #origins = new Map<string, Promise<PackageOrigin>>();

  constructor(readonly dir: string) {}

  /** The vendored layout of `name` as an origin (its folder may not exist). */
  origin(name: string): Promise<PackageOrigin> {
    let origin = this.#origins.get(name);
    if (origin === undefined) {
      const dir = vendoredLayout(this.dir, name);
      origin = Promise.all([import('./oci-origin.js'), import('../../oci/index.js')]).then(
        ([{ OciOrigin }, { LayoutBackend }]) =>
          new OciOrigin({ backend: new LayoutBackend(dir), repository: '' }, `layout \`${dir}\``),
      );
      this.#origins.set(name, origin);
    }
    return origin;
  }

  /** The vendored tags of `name`, or undefined when it is not vendored. */
  async tags(name: string): Promise<string[] | undefined> {
    try {
      return await (await this.origin(name)).listVersions();
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
  }

  /**
   * The vendored content of `name@version` (and where it is, for messages), or undefined when it
   * is not vendored or, given `digest`, has another digest (a vendor folder older than the lock).
   */
  async locate(
    name: string,
    version: string,
    digest: string | undefined,
  ): Promise<{ content: PackageContent; where: string } | undefined> {
    const origin = await this.origin(name);
    let content: PackageContent;
    try {
      content = await origin.locate(version);
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
    if (digest !== undefined && content.digest !== digest) return undefined;
    return { content, where: origin.where };
  }
}
