/**
 * Wasm WIT packages over any {@link OciBackend}: pull (resolve the manifest, follow an index to
 * its `wasm` entry, check the artifact shape, fetch the verified layer) and push (config and
 * layer blobs first, then the manifest). This is the interface the dependency manager uses.
 */
import { ociError } from './error-text.js';
import type { BlobSource, FetchedManifest, OciBackend } from './backend.js';
import { selectWasmEntry, type Descriptor, type ImageManifest } from './manifest-format.js';
import { OCI_MANIFEST } from './media-types.js';
import {
  buildWasmArtifact,
  parseWasmConfig,
  wasmLayerOf,
  type BuildArtifactInput,
  type WasmConfig,
} from './wasm-artifact.js';

/** A manifest that is known to be a single image manifest (an index was followed). */
export interface ResolvedManifest {
  /** Digest of the image manifest itself (the one to pin in a lock). */
  digest: string;
  manifest: ImageManifest;
  bytes: Uint8Array;
  mediaType: string;
  /** Set when `reference` named an index: the index's digest. */
  indexDigest?: string;
}

/** Indexes followed at most (an index whose wasm entry is itself an index is followed once). */
const MAX_INDEX_DEPTH = 2;

/** Fetches `reference` and, for an index, its `wasm` platform entry. */
export async function resolveManifest(
  backend: OciBackend,
  repository: string,
  reference: string,
  depth = 0,
): Promise<ResolvedManifest> {
  const first: FetchedManifest = await backend.getManifest(repository, reference);
  if (first.parsed.kind === 'manifest') {
    return {
      digest: first.digest,
      manifest: first.parsed.manifest,
      bytes: first.bytes,
      mediaType: first.mediaType,
    };
  }
  if (depth >= MAX_INDEX_DEPTH) {
    throw ociError('index-too-deep', { reference, limit: MAX_INDEX_DEPTH });
  }
  const entry = selectWasmEntry(first.parsed.index);
  const inner = await resolveManifest(backend, repository, entry.digest, depth + 1);
  return { ...inner, indexDigest: first.digest };
}

export interface PulledWitPackage {
  bytes: Uint8Array;
  manifestDigest: string;
  layerDigest: string;
  layer: Descriptor;
  manifest: ImageManifest;
  config: WasmConfig;
}

/** Pulls a Wasm WIT package: the layer bytes, verified, with the digests to lock. */
export async function pullWitPackage(
  backend: OciBackend,
  repository: string,
  reference: string,
): Promise<PulledWitPackage> {
  const resolved = await resolveManifest(backend, repository, reference);
  const layer = wasmLayerOf(resolved.manifest);
  const [configBytes, bytes] = await Promise.all([
    backend.fetchBlobBytes(repository, resolved.manifest.config),
    backend.fetchBlobBytes(repository, layer),
  ]);
  return {
    bytes,
    manifestDigest: resolved.digest,
    layerDigest: layer.digest,
    layer,
    manifest: resolved.manifest,
    config: parseWasmConfig(configBytes),
  };
}

export interface PushedWitPackage {
  manifestDigest: string;
  layerDigest: string;
  configDigest: string;
  /** What happened to each blob: uploaded, already there, or mounted. */
  blobs: { config: string; layer: string };
  size: number;
}

/** Builds and pushes a Wasm WIT package artifact under `tag`. */
export async function pushWitPackage(
  backend: OciBackend,
  repository: string,
  tag: string,
  input: BuildArtifactInput,
  options: { mountFrom?: string; layerSource?: BlobSource } = {},
): Promise<PushedWitPackage> {
  const artifact = buildWasmArtifact(input);
  const mount = options.mountFrom === undefined ? {} : { mountFrom: options.mountFrom };
  const config = await backend.pushBlob(repository, artifact.configDescriptor, {
    bytes: artifact.config,
  });
  const source = options.layerSource ?? (artifact.layer && { bytes: artifact.layer });
  if (source === undefined)
    throw new TypeError('pushWitPackage: no layer bytes and no layerSource');
  const layer = await backend.pushBlob(repository, artifact.layerDescriptor, source, mount);
  const manifestDigest = await backend.pushManifest(
    repository,
    tag,
    artifact.manifest,
    OCI_MANIFEST,
  );
  return {
    manifestDigest,
    layerDigest: artifact.layerDescriptor.digest,
    configDigest: artifact.configDescriptor.digest,
    blobs: { config, layer },
    size: artifact.layerDescriptor.size,
  };
}
