/**
 * A blob saved to a file of the user's (`wit-deps oci pull -o <file>`): the backend's verified
 * stream is written to a temp file next to `path`, checked again, and renamed into place only
 * when it ended cleanly; nothing is left behind on failure. The cache has its own writer
 * (`Cache.ingest`), so this is never used for cache entries.
 */
import { ociError } from './error-text.js';
import type { OciBackend } from './backend.js';
import { writeVerified, type Expected } from '../fs/verified-write.js';

/** A failure of the local file system (it names a path), not of the network. */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as NodeJS.ErrnoException;
  return typeof e.path === 'string' && typeof e.code === 'string';
}

/** Streams blob `expected` of `repository` into `path`, verified; `ERR_FS` naming `path`. */
export async function saveBlob(
  backend: OciBackend,
  repository: string,
  expected: Expected,
  path: string,
): Promise<void> {
  const stream = await backend.openBlob(repository, expected);
  const what = `blob \`${backend.label}${repository === '' ? '' : `/${repository}`}@${expected.digest}\``;
  try {
    await writeVerified(stream, expected, path, what);
  } catch (error) {
    if (!isFileSystemError(error)) throw error;
    throw ociError('output-unwritable', { path, errno: error.code }, { cause: error });
  }
}
