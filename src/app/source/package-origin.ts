/**
 * The narrow seam between the cache policy (`cached-source.ts`) and where packages come from.
 * A {@link PackageOrigin} is one package's home, already routed (`route.ts`): it lists the
 * versions there and locates one version's content; it knows nothing of the cache, the lock,
 * `--offline`, progress events or the resolver. Implementations:
 *
 * - `oci-origin.ts`: a repository of an OCI registry, or an OCI image layout folder (tags are
 *   versions; a version's content is the `application/wasm` layer of its Wasm OCI artifact).
 * - A tarball-URL source (the Rust `wit-deps` tool's `deps.toml`) can implement it too:
 *   `listVersions` answers the one version its URL provides, `locate` downloads the tarball,
 *   turns the WIT it holds into a binary WIT package and returns its digest and size with
 *   `open` answering those bytes.
 *
 * Contract, which the cache policy relies on:
 * - A package or version that does not exist is `ERR_REGISTRY_NOT_FOUND` (the policy names the
 *   requirement and who required it); other failures are `WitDepsError`s passed through.
 * - `locate` reads no content, only what names it (a manifest): the policy checks the digest
 *   against the lock and skips `open` when the cache holds it already.
 * - `open` answers bytes matching `digest` and `size`, or a stream that fails before it ends
 *   when they do not (`ERR_INTEGRITY_MISMATCH`). The cache verifies again when it stores them.
 * - `fetchDigest` (optional) answers the content named by a lock digest without reading any
 *   manifest (one request): at most `cap` bytes whose sha256 is `digest`. A locked version's
 *   digest is checked, the package's identity (name and version) is checked by the policy's
 *   decode as for any other bytes; `ERR_REGISTRY_NOT_FOUND` when the origin does not hold it
 *   (the policy then locates the version to say what the origin has instead).
 */
import type { Readable } from 'node:stream';

/** One version's content: a binary WIT package, named by its sha256. */
export interface PackageContent {
  /** `sha256:<hex>` of the package bytes: what the lock records and the cache is keyed by. */
  digest: string;
  /** The size of the package bytes. */
  size: number;
  /** The verified bytes, or a verifying stream of them. */
  open(): Promise<Readable | Uint8Array>;
}

/** A version as published in an OCI repository: its image manifest and the blobs it names. */
export interface PublishedArtifact {
  manifest: { bytes: Uint8Array; mediaType: string; digest: string };
  config: { digest: string; size: number };
  layer: { digest: string; size: number };
  /** Reads a blob of the artifact into memory, verified. */
  read(blob: { digest: string; size: number }): Promise<Uint8Array>;
}

/** Where one package lives; see the module comment. */
export interface PackageOrigin {
  /** For messages: `registry \`wasi.dev\` (ghcr.io/webassembly/wasi/http)`, `layout \`<dir>\``. */
  readonly where: string;
  /** The version tags, as the origin lists them (the resolver keeps those that parse). */
  listVersions(): Promise<string[]>;
  /** The content of `version`, without reading it. */
  locate(version: string): Promise<PackageContent>;
  /** The bytes of `digest` (a locked version), without a manifest; see the module comment. */
  fetchDigest?(digest: string, cap: number): Promise<Uint8Array>;
  /** An OCI origin's artifact of `version` (an index followed to its wasm manifest), for `vendor`. */
  artifact?(version: string): Promise<PublishedArtifact>;
}
