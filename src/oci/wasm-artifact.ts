/**
 * The Wasm OCI artifact format (CNCF TAG Runtime wg-wasm, "Wasm OCI Artifact layout"), built and
 * parsed in one module so the two stay in step:
 *
 * - an OCI image manifest whose config has media type `application/vnd.wasm.config.v0+json`;
 * - exactly one layer, `application/wasm`, holding the component (for us: a binary WIT package),
 *   annotated with `org.opencontainers.image.title`;
 * - config JSON `{created, author?, architecture: "wasm", os: "wasip2", layerDigests,
 *   component: {exports, imports, target?}}`; `layerDigests` lists the layer digests in order;
 * - `org.opencontainers.image.*` annotations on the manifest (all optional for consumers).
 */
import type { WitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import { sha256Digest } from './digest.js';
import { encodeJson, type Descriptor, type ImageManifest } from './manifest-format.js';
import { OCI_MANIFEST, WASM_CONFIG, WASM_LAYER } from './media-types.js';

export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_VERSION = 'org.opencontainers.image.version';

/** The Wasm config document. */
export interface WasmConfig {
  created: string;
  author?: string | null;
  architecture: 'wasm';
  os: string;
  layerDigests: string[];
  component?: { exports: string[]; imports: string[]; target?: string | null } | null;
}

export interface BuildArtifactInput {
  /** The layer bytes (a binary WIT package), or the digest and size of a layer pushed from a file. */
  layer: Uint8Array | { digest: string; size: number };
  /** Layer title, e.g. `http.wasm`. */
  title?: string;
  /** Manifest annotations (`org.opencontainers.image.*` and others). */
  annotations?: Record<string, string>;
  /** RFC 3339 creation time; defaults to now. Fixed values make the artifact reproducible. */
  created?: string;
  /** World and interface ids the package exports (`wasi:http/types@0.2.0`, ...). */
  exports?: string[];
  imports?: string[];
  author?: string;
  /** `wasip1` for a core module: its config then has `component: null`. Default `wasip2`. */
  os?: 'wasip1' | 'wasip2';
}

/** Everything needed to push an artifact: blob bytes, descriptors and the manifest bytes. */
export interface BuiltArtifact {
  config: Uint8Array;
  configDescriptor: Descriptor;
  /** The layer bytes, when the input gave them. */
  layer?: Uint8Array;
  layerDescriptor: Descriptor;
  manifest: Uint8Array;
  manifestDigest: string;
}

/** Builds the config, layer descriptor and manifest bytes for a Wasm artifact. */
export function buildWasmArtifact(input: BuildArtifactInput): BuiltArtifact {
  const created = input.created ?? new Date().toISOString();
  const bytes = input.layer instanceof Uint8Array ? input.layer : undefined;
  const layerDescriptor: Descriptor = {
    mediaType: WASM_LAYER,
    digest: bytes === undefined ? (input.layer as { digest: string }).digest : sha256Digest(bytes),
    size: bytes === undefined ? (input.layer as { size: number }).size : bytes.byteLength,
    ...(input.title === undefined ? {} : { annotations: { [ANNOTATION_TITLE]: input.title } }),
  };
  const configDoc: WasmConfig = {
    created,
    ...(input.author === undefined ? {} : { author: input.author }),
    architecture: 'wasm',
    os: input.os ?? 'wasip2',
    layerDigests: [layerDescriptor.digest],
    component:
      input.os === 'wasip1' ? null : { exports: input.exports ?? [], imports: input.imports ?? [] },
  };
  const config = encodeJson(configDoc);
  const configDescriptor: Descriptor = {
    mediaType: WASM_CONFIG,
    digest: sha256Digest(config),
    size: config.byteLength,
  };
  const annotations = { [ANNOTATION_CREATED]: created, ...input.annotations };
  const manifestDoc: ImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: configDescriptor,
    layers: [layerDescriptor],
    annotations,
  };
  const manifest = encodeJson(manifestDoc);
  return {
    config,
    configDescriptor,
    ...(bytes === undefined ? {} : { layer: bytes }),
    layerDescriptor,
    manifest,
    manifestDigest: sha256Digest(manifest),
  };
}

function invalid(message: string, details: Record<string, unknown> = {}): WitDepsError {
  return ociError('artifact-invalid', { problem: message, ...details });
}

/** Checks that a manifest is a Wasm artifact and returns its single layer. */
export function wasmLayerOf(manifest: ImageManifest): Descriptor {
  if (manifest.config.mediaType !== WASM_CONFIG) {
    throw invalid(
      `artifact config has media type \`${manifest.config.mediaType}\`, not \`${WASM_CONFIG}\``,
    );
  }
  const wasmLayers = manifest.layers.filter((l) => l.mediaType === WASM_LAYER);
  if (manifest.layers.length !== 1 || wasmLayers.length !== 1) {
    throw invalid(
      `artifact has ${manifest.layers.length} layers; exactly one \`${WASM_LAYER}\` layer is expected`,
      {
        layers: manifest.layers.map((l) => l.mediaType),
      },
    );
  }
  return wasmLayers[0]!;
}

/** Parses and checks the config JSON of a Wasm artifact. */
export function parseWasmConfig(bytes: Uint8Array): WasmConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw invalid('artifact config is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null)
    throw invalid('artifact config is not a JSON object');
  const c = doc as Record<string, unknown>;
  if (c['architecture'] !== 'wasm')
    throw invalid('artifact config `architecture` is not `wasm`', {
      architecture: c['architecture'],
    });
  if (typeof c['os'] !== 'string') throw invalid('artifact config has no `os`');
  const layerDigests = Array.isArray(c['layerDigests'])
    ? c['layerDigests'].filter((d): d is string => typeof d === 'string')
    : [];
  const out: WasmConfig = {
    created: typeof c['created'] === 'string' ? c['created'] : '',
    architecture: 'wasm',
    os: c['os'],
    layerDigests,
  };
  if (typeof c['author'] === 'string') out.author = c['author'];
  const comp = c['component'];
  if (typeof comp === 'object' && comp !== null) {
    const r = comp as Record<string, unknown>;
    const list = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    out.component = { exports: list(r['exports']), imports: list(r['imports']) };
    if (typeof r['target'] === 'string') out.component.target = r['target'];
  }
  return out;
}
