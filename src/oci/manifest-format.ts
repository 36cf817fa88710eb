/**
 * OCI manifests and indexes: parse the raw bytes (kept, because the digest covers them),
 * validate the shape, and pick an index entry for the Wasm platform.
 * Sources: opencontainers/image-spec `manifest.md`, `image-index.md`, `descriptor.md`.
 */
import type { WitDepsError } from '../errors.js';
import { ociError } from './error-text.js';
import { isSha256Digest } from './digest.js';
import { isImageManifestType, isIndexType, OCI_INDEX, OCI_MANIFEST } from './media-types.js';

/** A content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
  platform?: { architecture: string; os: string; [key: string]: unknown };
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | { kind: 'manifest'; mediaType: string; manifest: ImageManifest }
  | { kind: 'index'; mediaType: string; index: ImageIndex };

/** The largest manifest read (the distribution spec asks registries to accept 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function bad(message: string, details: Record<string, unknown> = {}): WitDepsError {
  return ociError('manifest-malformed', { problem: message, ...details });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw bad(`manifest ${where} annotations are not a string map`);
  }
  return value as Record<string, string>;
}

/** Validates one descriptor. */
export function parseDescriptor(value: unknown, where: string): Descriptor {
  if (!isRecord(value)) throw bad(`manifest ${where} is not an object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string') throw bad(`manifest ${where} has no \`mediaType\``);
  if (typeof digest !== 'string' || !isSha256Digest(digest)) {
    throw bad(`manifest ${where} has an invalid digest`, { digest });
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw bad(`manifest ${where} has an invalid size`, { size });
  }
  const out: Descriptor = { mediaType, digest, size };
  const annotations = stringMap(value['annotations'], where);
  if (annotations !== undefined) out.annotations = annotations;
  if (typeof value['artifactType'] === 'string') out.artifactType = value['artifactType'];
  const platform = value['platform'];
  if (
    isRecord(platform) &&
    typeof platform['architecture'] === 'string' &&
    typeof platform['os'] === 'string'
  ) {
    out.platform = platform as Descriptor['platform'] & object;
  }
  return out;
}

function decodeDocument(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.byteLength > MAX_MANIFEST_BYTES) {
    throw ociError('response-too-large', { subject: 'manifest', limit: MAX_MANIFEST_BYTES });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw bad('manifest is not valid JSON', { cause: String(cause) });
  }
  if (!isRecord(doc) || doc['schemaVersion'] !== 2)
    throw bad('manifest does not have `schemaVersion` 2');
  return doc;
}

function indexOf(
  doc: Record<string, unknown>,
  mediaType: string,
  declared: boolean,
): ParsedManifest {
  if (!Array.isArray(doc['manifests'])) throw bad('index has no `manifests` list');
  const manifests = doc['manifests'].map((d, i) => parseDescriptor(d, `manifests[${i}]`));
  const index: ImageIndex = { schemaVersion: 2, manifests, ...(declared ? { mediaType } : {}) };
  const annotations = stringMap(doc['annotations'], 'top-level');
  if (annotations) index.annotations = annotations;
  return { kind: 'index', mediaType, index };
}

function imageOf(
  doc: Record<string, unknown>,
  mediaType: string,
  declared: boolean,
): ParsedManifest {
  if (!Array.isArray(doc['layers'])) throw bad('manifest has no `layers` list');
  const manifest: ImageManifest = {
    schemaVersion: 2,
    config: parseDescriptor(doc['config'], 'config'),
    layers: doc['layers'].map((d, i) => parseDescriptor(d, `layers[${i}]`)),
    ...(declared ? { mediaType } : {}),
  };
  if (typeof doc['artifactType'] === 'string') manifest.artifactType = doc['artifactType'];
  if (doc['subject'] !== undefined) manifest.subject = parseDescriptor(doc['subject'], 'subject');
  const annotations = stringMap(doc['annotations'], 'top-level');
  if (annotations) manifest.annotations = annotations;
  return { kind: 'manifest', mediaType, manifest };
}

/**
 * Parses manifest bytes. `contentType` is the response's media type when known; it decides the
 * kind when the document has no `mediaType`, and must agree with it when it has one.
 */
export function parseManifest(bytes: Uint8Array, contentType?: string): ParsedManifest {
  const doc = decodeDocument(bytes);
  // a generic JSON content type says nothing about the kind
  const served = contentType === 'application/json' ? undefined : contentType;
  const declared = typeof doc['mediaType'] === 'string' ? doc['mediaType'] : undefined;
  if (declared !== undefined && served !== undefined && declared !== served) {
    throw bad(`manifest declares \`${declared}\` but was served as \`${served}\``);
  }
  const mediaType =
    declared ?? served ?? (Array.isArray(doc['manifests']) ? OCI_INDEX : OCI_MANIFEST);
  if (isIndexType(mediaType)) return indexOf(doc, mediaType, declared !== undefined);
  if (isImageManifestType(mediaType)) return imageOf(doc, mediaType, declared !== undefined);
  throw ociError('media-type-unsupported', { mediaType });
}

/**
 * The index entry for a Wasm artifact: platform `wasm`/`wasip2` (or any `wasm` platform),
 * else an entry whose `artifactType` is the Wasm config type, else the only entry when it names
 * no platform (an entry for another platform, `linux/amd64`, is a container image).
 */
export function selectWasmEntry(index: ImageIndex): Descriptor {
  const entries = index.manifests;
  const only = entries.length === 1 ? entries[0] : undefined;
  const pick =
    entries.find((d) => d.platform?.architecture === 'wasm' && d.platform.os === 'wasip2') ??
    entries.find((d) => d.platform?.architecture === 'wasm') ??
    entries.find((d) => d.artifactType === 'application/vnd.wasm.config.v0+json') ??
    (only?.platform === undefined ? only : undefined);
  if (pick === undefined) {
    throw ociError('index-no-wasm', {
      platforms: entries.map((d) =>
        d.platform === undefined ? null : `${d.platform.os}/${d.platform.architecture}`,
      ),
    });
  }
  return pick;
}

/** Serialises a manifest the way it is pushed: compact JSON, in field order. */
export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}
