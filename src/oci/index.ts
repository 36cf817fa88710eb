/**
 * The public surface of the OCI layer, for app/ and for the dependency manager. See docs/oci.md.
 */
export type {
  BlobSource,
  FetchedManifest,
  OciBackend,
  PushBlobOptions,
  PushBlobOutcome,
} from './backend.js';
export type { Credential, CredentialProvider } from './auth/credential.js';
export { RegistryClient, type RegistryClientOptions } from './client.js';
export { LayoutBackend } from './layout.js';
export { OciClients, isInsecure, type OciOptions } from './open.js';
export { DEFAULT_RETRY, type RetryPolicy, type RetryClock } from './http/retry.js';
export type { OciEvent } from './request-pipeline.js';
export {
  parseReference,
  formatReference,
  manifestSelector,
  type OciReference,
  type RegistryReference,
  type LayoutReference,
} from './reference.js';
export { markTags, type MarkedTag } from './tags.js';
export type { Descriptor, ImageManifest, ImageIndex } from './manifest-format.js';
export {
  buildWasmArtifact,
  parseWasmConfig,
  wasmLayerOf,
  type WasmConfig,
  type BuildArtifactInput,
} from './wasm-artifact.js';
export {
  resolveManifest,
  pullWitPackage,
  pushWitPackage,
  type ResolvedManifest,
  type PulledWitPackage,
  type PushedWitPackage,
} from './wit-package.js';
export { sha256Digest, isSha256Digest } from './digest.js';
export { saveBlob } from './save-blob.js';
