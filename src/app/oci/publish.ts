/**
 * `wit-deps publish [dir]`: builds the project's own WIT package and pushes it as a Wasm OCI
 * artifact to where `install` would look for it.
 *
 * 1. The package: the `package` header of the project's WIT folder, resolved against its `deps/`
 *    (as `wit build` does) with every `@unstable` feature kept, so gated items stay in the binary
 *    as wkg publishes them. `[package] name`/`version` in wit.toml, when set, must agree with it.
 * 2. The place: the same routing as `install` (`[registries]`, config.toml, `.well-known`), so the
 *    two never disagree; `--registry host[/prefix]` overrides it.
 * 3. The artifact: `component.exports` as oci-wasm lists a package's; annotations from
 *    `[package]` (description, license, authors, homepage, source, revision), the version, and
 *    `created` from `SOURCE_DATE_EPOCH`, else the commit time of a clean git checkout, else now:
 *    the same input and time give the same manifest digest.
 * 4. The tag: an existing version tag is never moved (`ERR_TAG_EXISTS`, the digest shown) unless
 *    `force`; the same manifest again is a no-op. `dryRun` pushes nothing.
 */
import { WitDepsError } from '../../errors.js';
import {
  buildWasmArtifact,
  OciClients,
  pushWitPackage,
  type BuildArtifactInput,
  type OciBackend,
} from '../../oci/index.js';
import { ANNOTATION_CREATED } from '../../oci/wasm-artifact.js';
import { encodeWitPackage } from '../../wit/encode/index.js';
import { formatPackageName, getPackage } from '../../wit/model.js';
import { VERSION } from '../../version.js';
import { cleanRevision } from './git-revision.js';
import { checkTagFree } from './pull-push-guards.js';
import { networkOptions, type NetworkFlags } from '../source/network-settings.js';
import { packageIdentity, publishAnnotations, publishTime } from './publish-meta.js';
import { openBackend, type OpenedRoute } from '../source/route.js';
import type { ProjectSources, ProjectSourceOptions } from '../project/project-sources.js';
import { withProject } from '../project/project-handle.js';
import { loadWit } from '../wit/text.js';
import { packageExports } from './wit-package-info.js';

export interface PublishRequest extends ProjectSourceOptions {
  /** `host[:port][/prefix]`: push here instead of where the package's namespace is mapped. */
  registry?: string;
  force?: boolean;
  dryRun?: boolean;
  network?: NetworkFlags;
  /** Told about an existing tag (`publish` warns). */
  onWarning?: (text: string) => void;
}

export interface PublishResult {
  package: string;
  reference: string;
  manifestDigest: string;
  layerDigest: string;
  configDigest: string;
  size: number;
  config: unknown;
  annotations: Record<string, string>;
  /** `pushed`; `unchanged` when the tag already held this manifest; `dry-run`. */
  status: 'pushed' | 'unchanged' | 'dry-run';
  requests: number;
}

/** The encoded package and its artifact input. */
async function buildPackage(session: ProjectSources, env: PublishRequest['env']) {
  const { project } = session;
  const { resolve, package: id } = await loadWit({
    path: project.witDir,
    cwd: project.root,
    allFeatures: true,
  });
  const pkg = getPackage(resolve, id);
  const identity = packageIdentity(pkg.name, project.manifest?.package, project.witDir);
  const layer = encodeWitPackage(resolve, id, { producersVersion: VERSION });
  const revision = await cleanRevision(project.root);
  const meta = project.manifest?.package?.meta ?? {};
  const input: BuildArtifactInput = {
    layer,
    title: `${identity.name.replace(':', '_')}.wasm`,
    created: publishTime(env, revision),
    exports: packageExports(resolve, id),
    annotations: publishAnnotations(meta, identity.version, revision),
  };
  return { identity, input, layer, name: formatPackageName(pkg.name) };
}

/** `--registry host[/prefix]`: the repository `<prefix>/<ns>/<name>` on that host. */
function overrideRoute(registry: string, name: string): { host: string; repository: string } {
  const [host = '', ...prefix] = registry.replace(/\/+$/, '').split('/');
  if (host === '' || prefix.some((p) => p === '')) {
    throw new WitDepsError('ERR_USAGE', `\`--registry ${registry}\` is not \`host[/prefix]\``, {
      hint: 'write e.g. `--registry ghcr.io/acme`',
    });
  }
  return { host, repository: [...prefix, ...name.split(':')].join('/') };
}

/** Where to push: the install routing, or the `--registry` override (with its own client). */
async function target(
  request: PublishRequest,
  session: ProjectSources,
  name: string,
): Promise<{
  opened: OpenedRoute;
  display: string;
  close: () => Promise<void>;
  count: () => number;
}> {
  if (request.registry === undefined) {
    const { route, opened } = await session.source.openRoute(name);
    const display = route.kind === 'registry' ? `${route.host}/${route.repository}` : route.dir;
    return { opened, display, close: () => Promise.resolve(), count: () => 0 };
  }
  const { host, repository } = overrideRoute(request.registry, name);
  const context = { env: request.env, ...(request.signal ? { signal: request.signal } : {}) };
  const clients = new OciClients(networkOptions(request.network ?? {}, context, host));
  const opened = await openBackend(
    { kind: 'registry', host, repository, where: `${host}/${repository}` },
    () => Promise.resolve(clients),
  );
  return {
    opened,
    display: `${host}/${repository}`,
    close: () => clients.close(),
    count: () => clients.requestCount,
  };
}

/**
 * Refuses to move an existing tag: other content is `checkTagFree`'s `ERR_TAG_EXISTS`; the same
 * layer under another manifest (other annotations or time) is refused too. Returns whether the
 * tag already holds exactly `manifestDigest`.
 */
async function checkVersionTag(
  backend: OciBackend,
  repository: string,
  reference: string,
  tag: string,
  built: { layer: Uint8Array; manifestDigest: string },
  warn: (text: string) => void,
): Promise<boolean> {
  const existing = await backend.headManifest(repository, tag).catch((error: unknown) => {
    if (error instanceof WitDepsError && error.code === 'ERR_REGISTRY_NOT_FOUND') return undefined;
    throw error;
  });
  if (existing === undefined) return false;
  if (existing.digest === built.manifestDigest) return true;
  warn(`tag \`${reference}\` already exists (manifest \`${existing.digest}\`)`);
  await checkTagFree(backend, repository, reference, tag, built.layer);
  throw new WitDepsError(
    'ERR_TAG_EXISTS',
    `tag \`${reference}\` already exists with the same package under another manifest (\`${existing.digest}\`)`,
    {
      hint: 'publish a new version, set `SOURCE_DATE_EPOCH` to the first publish time, or pass `--force` to move the tag',
      details: { reference, digest: existing.digest },
    },
  );
}

/** Builds and publishes the project's WIT package (see the module comment). */
export async function publish(request: PublishRequest): Promise<PublishResult> {
  return withProject(request, { mode: 'read' }, async (handle) => {
    const session = await handle.sources();
    const { identity, input, layer, name } = await buildPackage(session, request.env);
    const built = buildWasmArtifact(input);
    const where = await target(request, session, identity.name);
    try {
      const { backend, repository } = where.opened;
      const reference = `${where.display}:${identity.version}`;
      const warn = request.onWarning ?? (() => undefined);
      const same =
        request.force === true
          ? false
          : await checkVersionTag(
              backend,
              repository,
              reference,
              identity.version,
              { layer, manifestDigest: built.manifestDigest },
              warn,
            );
      if (request.dryRun !== true && !same) {
        await pushWitPackage(backend, repository, identity.version, input);
      }
      return {
        package: name,
        reference,
        manifestDigest: built.manifestDigest,
        layerDigest: built.layerDescriptor.digest,
        configDigest: built.configDescriptor.digest,
        size: built.layerDescriptor.size,
        config: JSON.parse(new TextDecoder().decode(built.config)) as unknown,
        annotations: { [ANNOTATION_CREATED]: input.created ?? '', ...input.annotations },
        status: request.dryRun === true ? 'dry-run' : same ? 'unchanged' : 'pushed',
        requests: handle.requests() + where.count(),
      };
    } finally {
      await where.close();
    }
  });
}
