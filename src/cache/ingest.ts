/**
 * The one writer of cache blob files (`Cache.ingest`): a stream goes through a verifying stream
 * (size and sha256) into a temp file next to the blob, `<hex>.<pid>-<nonce>.tmp` (the pid lets
 * `Cache.sweepOrphans` remove what a killed writer left), renamed into place only when it ended
 * cleanly and matched; the temp file is removed on any failure. A failure of the file side (a
 * full disk) is `ERR_FS` naming the blob's path. It is `fs/verified-write.ts`'s `writeVerified`,
 * loaded only here, when a blob is actually written (a warm install never loads it).
 */
import type { Readable } from 'node:stream';

/** What a blob must be. */
export interface ExpectedBlob {
  digest: string;
  size: number;
}

/** Writes `source` to `path` via a temp file, verified against `expected`; see the module comment. */
export async function writeBlobFile(
  source: Readable,
  expected: ExpectedBlob,
  path: string,
  what: string,
): Promise<void> {
  const { writeVerified } = await import('../fs/verified-write.js');
  await writeVerified(source, expected, path, what);
}
