/**
 * The `wit-deps oci ...` use cases: pull, push, inspect, tags. Each opens the backend a
 * reference names (a registry or an `oci-layout:` folder) through the same routing as installs
 * (`route.ts`), does its work and returns a result object for the CLI to render. Progress goes
 * out through `onEvent`.
 */
import { basename, resolve } from 'node:path';
import { WitDepsError } from '../../errors.js';
import {
  markTags,
  OciClients,
  parseReference,
  parseWasmConfig,
  pushWitPackage,
  resolveManifest,
  saveBlob,
  wasmLayerOf,
  manifestSelector,
  formatReference,
  type MarkedTag,
  type OciBackend,
  type OciReference,
  type PushBlobOutcome,
} from '../../oci/index.js';
import { ANNOTATION_TITLE, ANNOTATION_VERSION } from '../../oci/wasm-artifact.js';
import {
  checkIdentity,
  checkPushable,
  checkTagFree,
  plainFileName,
  pullTarget,
  pullToSink,
  writeNew,
  type ByteSink,
} from './pull-push-guards.js';
import { openBackend, routeReference } from '../source/route.js';
import {
  networkOptions,
  type NetworkContext,
  type NetworkFlags,
} from '../source/network-settings.js';

export type { OciEvent } from '../../oci/index.js';

export interface OciRequest extends NetworkContext {
  ref: string;
  cwd: string;
  flags?: NetworkFlags;
}

async function withBackend<T>(
  request: OciRequest,
  parseOptions: { allowBare?: boolean },
  work: (backend: OciBackend, repository: string, ref: OciReference) => Promise<T>,
): Promise<T & { requests: number }> {
  const ref = parseReference(request.ref, parseOptions);
  const registry = ref.kind === 'registry' ? ref.registry : undefined;
  const clients = new OciClients(networkOptions(request.flags ?? {}, request, registry));
  try {
    const route = routeReference(ref, request.cwd);
    const { backend, repository } = await openBackend(route, () => Promise.resolve(clients));
    const result = await work(backend, repository, ref);
    return { ...result, requests: clients.requestCount };
  } finally {
    await clients.close();
  }
}

/** The sink of `-o -` (the CLI passes its stdout). */
function stdoutOf(sink: ByteSink | undefined): ByteSink {
  if (sink !== undefined) return sink;
  throw new WitDepsError('ERR_USAGE', '`-o -` needs an output stream', {
    hint: 'name a file with `-o <file>`',
  });
}

/** A file name for a pulled layer: its title annotation when it is a plain file name, else `<repo>.wasm`. */
function defaultOutput(title: string | undefined, ref: OciReference): string {
  const plain = plainFileName(title);
  if (plain !== undefined) return plain;
  const last = ref.kind === 'registry' ? (ref.repository.split('/').pop() ?? 'package') : 'package';
  return `${last}.wasm`;
}

export interface PullResult {
  reference: string;
  manifestDigest: string;
  layerDigest: string;
  size: number;
  path: string;
  requests: number;
}

/**
 * Pulls the Wasm layer of `ref` into a file (streamed and verified; nothing left on failure). An
 * existing file is replaced only with `force`.
 */
export function ociPull(
  request: OciRequest & { output?: string; force?: boolean; stdout?: ByteSink },
): Promise<PullResult> {
  return withBackend(request, {}, async (backend, repository, ref) => {
    const resolved = await resolveManifest(backend, repository, manifestSelector(ref));
    const layer = wasmLayerOf(resolved.manifest);
    const name = defaultOutput(layer.annotations?.[ANNOTATION_TITLE], ref);
    const target = await pullTarget(request.cwd, request.output, name);
    const fetchTo = (temp: string): Promise<void> => saveBlob(backend, repository, layer, temp);
    if (target.kind === 'stdout') await pullToSink(fetchTo, stdoutOf(request.stdout));
    else await writeNew(target.path, request.force === true, fetchTo);
    const path = target.kind === 'stdout' ? '-' : target.path;
    return {
      reference: formatReference(ref),
      manifestDigest: resolved.digest,
      layerDigest: layer.digest,
      size: layer.size,
      path,
    };
  });
}

export interface BlobResult {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  path: string;
  requests: number;
}

/**
 * Saves one blob of the artifact `ref` names (its config or a layer, found by `digest` in the
 * manifest, so its size is known and checked) into a file, streamed and verified, as `pull` does.
 */
export function ociBlob(
  request: OciRequest & { digest: string; output?: string; force?: boolean },
): Promise<BlobResult> {
  return withBackend(request, {}, async (backend, repository, ref) => {
    const resolved = await resolveManifest(backend, repository, manifestSelector(ref));
    const m = resolved.manifest;
    const blob = [m.config, ...m.layers].find((d) => d.digest === request.digest);
    if (blob === undefined) {
      throw new WitDepsError(
        'ERR_INVALID_REFERENCE',
        `blob \`${request.digest.slice(0, 80)}\` is neither the config nor a layer of \`${formatReference(ref)}\``,
        {
          hint: `run \`wit-deps oci inspect ${formatReference(ref)}\` to see its digests`,
          details: { reference: formatReference(ref), digest: request.digest.slice(0, 80) },
        },
      );
    }
    const title = plainFileName(blob.annotations?.[ANNOTATION_TITLE]);
    const fallback = blob.digest.replace(':', '-');
    const path = resolve(request.cwd, request.output ?? title ?? fallback);
    await writeNew(path, request.force === true, (temp) =>
      saveBlob(backend, repository, blob, temp),
    );
    return {
      reference: formatReference(ref),
      digest: blob.digest,
      mediaType: blob.mediaType,
      size: blob.size,
      path,
    };
  });
}

/** Parses `key=value` annotations. */
export function parseAnnotations(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new WitDepsError(
        'ERR_INVALID_ANNOTATION',
        `annotation \`${pair}\` is not \`key=value\``,
        {
          hint: 'write it as `--annotation org.opencontainers.image.version=1.0.0`',
        },
      );
    }
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export interface PushResult {
  reference: string;
  /** `ns:name@version` when the file is a binary WIT package, else null. */
  package: string | null;
  manifestDigest: string;
  layerDigest: string;
  configDigest: string;
  size: number;
  blobs: { config: PushBlobOutcome; layer: PushBlobOutcome };
  requests: number;
}

/**
 * Pushes a `.wasm` file as a Wasm OCI artifact under the reference's tag. Without `force` the file
 * must be a WIT package or a component, a WIT package must be the one the reference names, and
 * an existing tag is not moved to other content (`./oci-guards.ts`). A large file is never held in
 * memory: it is hashed and then uploaded as a stream.
 */
export async function ociPush(
  request: OciRequest & { file: string; annotations?: readonly string[]; force?: boolean },
): Promise<PushResult> {
  const annotations = parseAnnotations(request.annotations ?? []);
  const path = resolve(request.cwd, request.file);
  // the WIT decoder is loaded by push only: pull, tags, inspect and blob need none of it
  const { readPushFile } = await import('./push-file.js');
  const pushFile = await readPushFile(path, request.file);
  const { layer, info } = pushFile;
  return withBackend(request, {}, async (backend, repository, ref) => {
    if (ref.tag === undefined) {
      throw new WitDepsError(
        'ERR_INVALID_REFERENCE',
        `reference \`${request.ref}\` names no tag to push to`,
        {
          hint: 'add a tag: `host/repository:1.0.0`',
        },
      );
    }
    if (request.force !== true) {
      checkPushable(request.file, pushFile.preamble, info);
      checkIdentity(request.file, ref, info);
      const digest = layer instanceof Uint8Array ? layer : layer.digest;
      await checkTagFree(backend, repository, formatReference(ref), ref.tag, digest);
    }
    if (info.version !== null) annotations[ANNOTATION_VERSION] ??= info.version;
    const pushed = await pushWitPackage(
      backend,
      repository,
      ref.tag,
      { layer, title: basename(path), annotations, ...pushFile.config },
      layer instanceof Uint8Array ? {} : { layerSource: { path } },
    );
    return {
      reference: formatReference(ref),
      package: info.name,
      ...pushed,
      blobs: pushed.blobs as PushResult['blobs'],
    };
  });
}

export interface InspectResult {
  reference: string;
  digest: string;
  mediaType: string;
  indexDigest?: string;
  manifest: unknown;
  /** The manifest bytes as served (`--raw`; the CLI leaves them out of `--json`). */
  raw: Uint8Array;
  configDescriptor: { mediaType: string; digest: string; size: number };
  /** The Wasm config; for another config, its JSON as it is, or its text when it is not JSON. */
  config: unknown;
  /** The config blob as served (`--config`). */
  configRaw: Uint8Array;
  annotations: Record<string, string>;
  layers: { mediaType: string; digest: string; size: number; title?: string }[];
  requests: number;
}

/** Shows a manifest (following an index), its config and annotations. */
export function ociInspect(request: OciRequest): Promise<InspectResult> {
  return withBackend(request, {}, async (backend, repository, ref) => {
    const resolved = await resolveManifest(backend, repository, manifestSelector(ref));
    const m = resolved.manifest;
    const configBytes = await backend.fetchBlobBytes(repository, m.config);
    const result: InspectResult = {
      reference: formatReference(ref),
      digest: resolved.digest,
      mediaType: resolved.mediaType,
      ...(resolved.indexDigest === undefined ? {} : { indexDigest: resolved.indexDigest }),
      manifest: JSON.parse(new TextDecoder().decode(resolved.bytes)) as unknown,
      configDescriptor: {
        mediaType: m.config.mediaType,
        digest: m.config.digest,
        size: m.config.size,
      },
      config: configOf(configBytes),
      annotations: m.annotations ?? {},
      layers: m.layers.map((l) => ({
        mediaType: l.mediaType,
        digest: l.digest,
        size: l.size,
        ...(l.annotations?.[ANNOTATION_TITLE] === undefined
          ? {}
          : { title: l.annotations[ANNOTATION_TITLE] }),
      })),
      raw: resolved.bytes,
      configRaw: configBytes,
      requests: 0,
    };
    return result;
  });
}

/** A Wasm config parsed and checked; any other config as it is (JSON, else text). */
function configOf(bytes: Uint8Array): unknown {
  try {
    return parseWasmConfig(bytes);
  } catch {
    const text = new TextDecoder().decode(bytes);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
}

export interface TagsResult {
  repository: string;
  tags: MarkedTag[];
  requests: number;
}

/** Lists the tags of a repository, semver versions first (sorted), other tags marked. */
export function ociTags(request: OciRequest): Promise<TagsResult> {
  return withBackend(request, { allowBare: true }, async (backend, repository, ref) => {
    const tags = await backend.listTags(repository);
    const name =
      ref.kind === 'registry' ? `${ref.registry}/${ref.repository}` : `oci-layout:${ref.dir}`;
    return { repository: name, tags: markTags(tags) };
  });
}
