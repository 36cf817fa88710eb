/**
 * The file of `wit-deps oci push`, described for its artifact: read whole when small (a WIT
 * package is decoded for its name, version and exports), described in streamed passes when large
 * (`./layer-file.ts`). Loaded by `ociPush` only, with the WIT decoder it needs.
 */
import { readFile, stat } from 'node:fs/promises';
import { isWitDepsError, WitDepsError } from '../../errors.js';
import { fileDigest, fileWasmKind } from './layer-file.js';
import {
  artifactConfigOf,
  configOfKind,
  witPackageInfo,
  type ArtifactConfigFields,
  type WitPackageInfo,
} from './wit-package-info.js';

/** Files up to this size are read into memory to push; larger ones are streamed. */
export const IN_MEMORY_PUSH = 16 * 1024 * 1024;

/** What a file to push is: its layer (bytes, or digest and size), first bytes, and config fields. */
export interface PushFile {
  layer: Uint8Array | { digest: string; size: number };
  preamble: Uint8Array;
  info: WitPackageInfo;
  config: ArtifactConfigFields;
}

function unreadable(file: string, cause: unknown): WitDepsError {
  return new WitDepsError('ERR_FS', `file \`${file}\` could not be read`, {
    cause,
    hint: 'check the path of the .wasm file',
  });
}

/**
 * Reads a small file whole; describes a large one in streamed passes (`./layer-file.ts`): a file
 * larger than the WIT decode limit cannot be a WIT package, so only its component names matter.
 */
export async function readPushFile(path: string, file: string): Promise<PushFile> {
  const { size } = await stat(path).catch((cause: unknown) => {
    throw unreadable(file, cause);
  });
  if (size <= IN_MEMORY_PUSH) {
    const bytes = await readFile(path).catch((cause: unknown) => {
      throw unreadable(file, cause);
    });
    const info = witPackageInfo(bytes);
    return {
      layer: bytes,
      preamble: bytes.subarray(0, 8),
      info,
      config: artifactConfigOf(bytes, info),
    };
  }
  const [layer, described] = await Promise.all([
    fileDigest(path),
    fileWasmKind(path, size).catch((error: unknown) => {
      // a file pushed with `--force` need not be a well-formed component
      if (!isWitDepsError(error)) throw unreadable(file, error);
      return { preamble: new Uint8Array(), kind: { kind: 'other' } as const };
    }),
  ]);
  const info: WitPackageInfo = { name: null, version: null, exports: [] };
  return { layer, preamble: described.preamble, info, config: configOfKind(described.kind) };
}
