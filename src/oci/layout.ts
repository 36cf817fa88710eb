/**
 * The OCI image layout (opencontainers/image-spec `image-layout.md`) as a second backend: a
 * folder with `oci-layout` (`{"imageLayoutVersion":"1.0.0"}`), `index.json` (an OCI index whose
 * entries carry the tag in `org.opencontainers.image.ref.name`) and `blobs/sha256/<hex>`.
 * It reads layouts written by skopeo (`skopeo copy ... oci:<dir>:<tag>`) and writes layouts
 * skopeo reads. A layout holds one repository: the `repository` arguments are ignored.
 * Every write is temp file + rename; `index.json` is rewritten whole.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type WitDepsError, hasErrno } from '../errors.js';
import { ociError } from './error-text.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { makeDir } from '../fs/make-dir.js';
import { writeVerified, type Expected } from '../fs/verified-write.js';
import type { BlobSource, FetchedManifest, OciBackend, PushBlobOutcome } from './backend.js';
import { digestHex, isSha256Digest, sha256Digest } from './digest.js';
import { LayoutReader } from './layout-read.js';
import { MAX_IN_MEMORY_BLOB, MAX_MANIFEST_BYTES } from './limits.js';
import { encodeJson, parseManifest, type Descriptor, type ImageIndex } from './manifest-format.js';
import { OCI_INDEX } from './media-types.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';
const LAYOUT_FILE = '{"imageLayoutVersion":"1.0.0"}';

function layoutError(dir: string, message: string): WitDepsError {
  return ociError('layout-invalid', { dir, problem: message });
}

/** An OCI image layout folder as an {@link OciBackend}. */
export class LayoutBackend implements OciBackend {
  readonly dir: string;
  readonly label: string;
  readonly #reader: LayoutReader;

  constructor(dir: string) {
    this.dir = dir;
    this.label = `oci-layout:${dir}`;
    this.#reader = new LayoutReader(dir);
  }

  #blobPath(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digestHex(digest));
  }

  async readIndex(): Promise<ImageIndex> {
    let bytes: Uint8Array;
    try {
      bytes = await this.#reader.index();
    } catch (error) {
      if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) throw await this.#missingIndex();
      throw error;
    }
    const parsed = (() => {
      try {
        return parseManifest(bytes, OCI_INDEX);
      } catch (cause) {
        throw ociError('layout-index-invalid', { dir: this.dir }, { cause });
      }
    })();
    if (parsed.kind !== 'index') throw layoutError(this.dir, '`index.json` is not an index');
    return parsed.index;
  }

  async #writeIndex(index: ImageIndex): Promise<void> {
    await makeDir(join(this.dir, 'blobs', 'sha256'));
    await writeFileAtomic(join(this.dir, 'oci-layout'), LAYOUT_FILE, { makeParent: false });
    await writeFileAtomic(join(this.dir, 'index.json'), encodeJson(index), { makeParent: false });
  }

  /**
   * The error for a missing `index.json`: a folder that does not exist is a repository that
   * does not exist (`ERR_REGISTRY_NOT_FOUND`, so a namespace layout reports an unknown package as
   * not found); an existing folder without an index is an invalid layout.
   */
  async #missingIndex(): Promise<WitDepsError> {
    const exists = await stat(this.dir).then(
      () => true,
      () => false,
    );
    if (exists) return layoutError(this.dir, 'has no `index.json`');
    return ociError('layout-missing', { dir: this.dir });
  }

  async #indexOrEmpty(): Promise<ImageIndex> {
    try {
      await stat(join(this.dir, 'index.json'));
    } catch (error) {
      if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR'))
        return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
      throw error;
    }
    return this.readIndex();
  }

  async listTags(_repository: string): Promise<string[]> {
    const index = await this.readIndex();
    return index.manifests
      .map((d) => d.annotations?.[REF_NAME])
      .filter((t): t is string => t !== undefined);
  }

  async #find(reference: string): Promise<Descriptor | undefined> {
    const index = await this.readIndex();
    if (isSha256Digest(reference)) {
      const listed = index.manifests.find((d) => d.digest === reference);
      if (listed) return listed;
      const size = await this.#blobSize(reference);
      return size === undefined
        ? undefined
        : { mediaType: 'application/octet-stream', digest: reference, size };
    }
    return index.manifests.find((d) => d.annotations?.[REF_NAME] === reference);
  }

  async #blobSize(digest: string): Promise<number | undefined> {
    try {
      return (await stat(this.#blobPath(digest))).size;
    } catch (error) {
      if (hasErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  async getManifest(_repository: string, reference: string): Promise<FetchedManifest> {
    const descriptor = await this.#find(reference);
    if (descriptor === undefined) {
      throw ociError('layout-no-manifest', { dir: this.dir, reference });
    }
    const bytes = await this.#reader.blobBytes(descriptor, MAX_MANIFEST_BYTES, 'manifest');
    const parsed = parseManifest(
      bytes,
      descriptor.mediaType === 'application/octet-stream' ? undefined : descriptor.mediaType,
    );
    return { digest: descriptor.digest, mediaType: parsed.mediaType, bytes, parsed };
  }

  async headManifest(_repository: string, reference: string): Promise<Descriptor | undefined> {
    return this.#find(reference);
  }

  openBlob(_repository: string, descriptor: Expected): Promise<Readable> {
    return this.#reader.blobStream(descriptor);
  }

  async fetchBlobBytes(_repository: string, descriptor: Expected): Promise<Uint8Array> {
    return this.#reader.blobBytes(descriptor, MAX_IN_MEMORY_BLOB, 'blob');
  }

  async fetchBlobByDigest(_repository: string, digest: string, cap: number): Promise<Uint8Array> {
    if (!isSha256Digest(digest)) throw layoutError(this.dir, `cannot hold \`${digest}\``);
    const size = await this.#blobSize(digest);
    if (size === undefined) throw ociError('layout-no-blob', { dir: this.dir, digest });
    return this.#reader.blobBytes({ digest, size }, cap, 'blob');
  }

  async hasBlob(_repository: string, digest: string): Promise<boolean> {
    return (await this.#blobSize(digest)) !== undefined;
  }

  async pushBlob(
    _repository: string,
    descriptor: Expected,
    source: BlobSource,
  ): Promise<PushBlobOutcome> {
    if ((await this.#blobSize(descriptor.digest)) === descriptor.size) return 'exists';
    const what = `blob \`${descriptor.digest}\``;
    const stream =
      'bytes' in source
        ? Readable.from([Buffer.from(source.bytes)])
        : createReadStream(source.path);
    await writeVerified(stream, descriptor, this.#blobPath(descriptor.digest), what);
    return 'uploaded';
  }

  async pushManifest(
    _repository: string,
    tag: string | undefined,
    bytes: Uint8Array,
    mediaType: string,
  ): Promise<string> {
    const digest = sha256Digest(bytes);
    const index = await this.#indexOrEmpty();
    await this.pushBlob('', { digest, size: bytes.byteLength }, { bytes });
    const entry: Descriptor = { mediaType, digest, size: bytes.byteLength };
    if (tag !== undefined) entry.annotations = { [REF_NAME]: tag };
    const others = index.manifests.filter((d) =>
      tag === undefined ? d.digest !== digest : d.annotations?.[REF_NAME] !== tag,
    );
    await this.#writeIndex({
      ...index,
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [...others, entry],
    });
    return digest;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
