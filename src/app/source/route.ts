/**
 * Routing: where a package (or an OCI reference) lives, as one {@link Route}, and the one place
 * that turns a route into an OCI backend. Both the install family (`cached-source.ts`, via
 * {@link routePackage}) and the `wit-deps oci` commands (`oci.ts`, via {@link routeReference})
 * go through {@link openBackend}, so a registry host always gets the session's client (shared
 * connections, credentials, insecure marks) and a layout folder always the same reader.
 *
 * - A package name is first located by the configuration precedence (`registry/locate.ts`); a
 *   registry *name* then becomes an OCI host and prefix through inline metadata or `.well-known`
 *   discovery, and the repository is `<prefix><ns>/<name>`. A namespace layout holds one layout
 *   folder per package: `<layout>/<ns>/<name>`, resolved against the project.
 * - An OCI reference names its host and repository, or an `oci-layout:` folder (against `cwd`).
 *
 * The OCI client is loaded only when a backend is opened (a warm, locked install opens none).
 */
import { resolve as resolvePath } from 'node:path';
import { WitDepsError, isWitDepsError } from '../../errors.js';
import type { OciBackend, OciClients } from '../../oci/index.js';
import type { OciReference } from '../../oci/reference.js';
import type { Discovery } from '../../registry/discovery.js';
import { repositoryOf, type PackageSourceRef } from '../../registry/locate.js';
import { parsePackageName } from '../../resolve/package-name.js';
import { isKnownWargRegistry, wargFromDiscovery, wargRegistryError } from './warg.js';

/** Where a package or reference lives: an OCI host and repository, or an OCI layout folder. */
export type Route =
  | {
      kind: 'registry';
      /** The OCI host (`host[:port]`). */
      host: string;
      repository: string;
      /** The logical registry (`wasi.dev`) when routed from a package name. */
      registry?: string;
      /** For messages: `registry \`wasi.dev\` (ghcr.io/webassembly/wasi/http)`. */
      where: string;
    }
  | { kind: 'layout'; dir: string; where: string };

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

/**
 * The route of package `name`, located as `ref`: discovery runs only for a registry name without
 * inline metadata. Layout folders resolve against `cwd` (the project root).
 */
export async function routePackage(
  name: string,
  ref: PackageSourceRef,
  context: { cwd: string; discovery: Discovery },
): Promise<Route> {
  if (ref.kind === 'layout') {
    const { namespace, name: pkg } = parsePackageName(name);
    const dir = resolvePath(context.cwd, ref.layout, namespace, pkg);
    return { kind: 'layout', dir, where: `layout \`${dir}\`` };
  }
  if (ref.kind === 'registry' && ref.metadata === undefined && isKnownWargRegistry(ref.registry))
    throw wargRegistryError(name, ref.registry, ref.from);
  const meta =
    ref.kind === 'oci'
      ? ref.oci
      : (ref.metadata ??
        (await context.discovery.resolve(ref.registry).catch((e: unknown): never => {
          throw wargFromDiscovery(e, name, ref) ?? discoveryFor(e, name);
        })));
  const repository = repositoryOf(name, meta);
  return {
    kind: 'registry',
    host: meta.registry,
    repository,
    registry: ref.registry,
    where: `registry \`${ref.registry}\` (${meta.registry}/${repository})`,
  };
}

/** The route of an OCI reference; an `oci-layout:` folder resolves against `cwd`. */
export function routeReference(ref: OciReference, cwd: string): Route {
  if (ref.kind === 'layout') {
    const dir = resolvePath(cwd, ref.dir);
    return { kind: 'layout', dir, where: `layout \`${dir}\`` };
  }
  const where = `registry \`${ref.registry}\` (${ref.registry}/${ref.repository})`;
  return { kind: 'registry', host: ref.registry, repository: ref.repository, where };
}

/** The backend and repository argument of a route (a layout holds one repository: `''`). */
export interface OpenedRoute {
  backend: OciBackend;
  repository: string;
}

/**
 * Opens the backend of a route: the registry backend of `clients()` for its host (created with
 * its module on first use; it reads through the host's mirrors), or a layout folder reader.
 */
export async function openBackend(
  route: Route,
  clients: () => Promise<OciClients>,
): Promise<OpenedRoute> {
  switch (route.kind) {
    case 'layout': {
      const { LayoutBackend } = await import('../../oci/index.js');
      return { backend: new LayoutBackend(route.dir), repository: '' };
    }
    case 'registry':
      // the host's mirrors (registries.conf, `[mirrors]`) are read through first
      return { backend: (await clients()).backend(route.host), repository: route.repository };
  }
}
