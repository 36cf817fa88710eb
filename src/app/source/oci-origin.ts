/**
 * A {@link PackageOrigin} over an OCI backend: a registry repository or an OCI image layout
 * folder. Versions are the repository's tags; a version's content is the wasm layer of the Wasm
 * OCI artifact its tag names (an index is followed to its wasm entry), streamed and verified by
 * the backend. The OCI modules are loaded by the first request.
 */
import type { OpenedRoute } from './route.js';
import type { PackageContent, PackageOrigin, PublishedArtifact } from './package-origin.js';

/** An OCI repository (or layout) as a package origin. */
export class OciOrigin implements PackageOrigin {
  constructor(
    private readonly opened: OpenedRoute,
    readonly where: string,
  ) {}

  listVersions(): Promise<string[]> {
    return this.opened.backend.listTags(this.opened.repository);
  }

  fetchDigest(digest: string, cap: number): Promise<Uint8Array> {
    return this.opened.backend.fetchBlobByDigest(this.opened.repository, digest, cap);
  }

  async artifact(version: string): Promise<PublishedArtifact> {
    const { backend, repository } = this.opened;
    const { resolveManifest, wasmLayerOf } = await import('../../oci/index.js');
    const { bytes, mediaType, digest, manifest } = await resolveManifest(
      backend,
      repository,
      version,
    );
    return {
      manifest: { bytes, mediaType, digest },
      config: manifest.config,
      layer: wasmLayerOf(manifest),
      read: (blob) => backend.fetchBlobBytes(repository, blob),
    };
  }

  async locate(version: string): Promise<PackageContent> {
    const { backend, repository } = this.opened;
    const { resolveManifest, wasmLayerOf } = await import('../../oci/index.js');
    const manifest = await resolveManifest(backend, repository, version);
    const layer = wasmLayerOf(manifest.manifest);
    return {
      digest: layer.digest,
      size: layer.size,
      open: () => backend.openBlob(repository, layer),
    };
  }
}
