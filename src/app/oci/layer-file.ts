/**
 * A large `.wasm` file pushed by `oci push` without reading it into memory: its sha256 and size
 * from one streamed pass, its first bytes, and, for a component, its top-level import and export
 * names read section by section (each other section is skipped by its size; only the import and
 * export sections, at most {@link MAX_NAME_SECTION} bytes each, are read). Memory stays at a read
 * buffer whatever the file size; the upload then streams the file (`oci/upload.ts`).
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { WitDepsError } from '../../errors.js';
import {
  addSectionNames,
  NAME_SECTIONS,
  wasmKindOf,
  type WasmKind,
} from '../../wit/decode/component-names.js';

/** The largest import or export section read from a file. */
export const MAX_NAME_SECTION = 16 * 1024 * 1024;

/** Bytes read at a time by {@link fileDigest}, into one buffer reused for the whole file. */
const DIGEST_READ = 1024 * 1024;

/**
 * The sha256 digest and size of a file, read through one reused buffer (a read stream hands out
 * a fresh 64 KiB buffer per read: 200 MiB of garbage that V8 collects only tens of MB late).
 */
export async function fileDigest(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(DIGEST_READ);
  const handle = await open(path, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, DIGEST_READ, size);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

async function readAt(handle: FileHandle, offset: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

function truncated(offset: number, what: string): WitDepsError {
  return new WitDepsError(
    'ERR_WIT_DECODE',
    `${what} runs past the end of the file at byte ${offset}`,
    {
      hint: 'check that the file is a complete component',
    },
  );
}

/** A section header at `offset`: its id, body size and header length (id + LEB128 u32). */
function sectionHeader(
  bytes: Uint8Array,
  offset: number,
): { id: number; size: number; length: number } {
  let size = 0;
  for (let i = 1; i < Math.min(bytes.length, 6); i++) {
    const byte = bytes[i]!;
    size += (byte & 0x7f) * 2 ** (7 * (i - 1));
    if ((byte & 0x80) === 0) return { id: bytes[0]!, size, length: i + 1 };
  }
  throw truncated(offset, 'a section header');
}

/** The first bytes of the file and what it is, with a component's names. */
export async function fileWasmKind(
  path: string,
  size: number,
): Promise<{ preamble: Uint8Array; kind: WasmKind }> {
  const handle = await open(path, 'r');
  try {
    const preamble = await readAt(handle, 0, 8);
    const kind = wasmKindOf(preamble);
    if (kind !== 'component') return { preamble, kind: { kind } };
    const names = { imports: new Set<string>(), exports: new Set<string>() };
    for (let offset = 8; offset < size;) {
      const header = sectionHeader(await readAt(handle, offset, 6), offset);
      const body = offset + header.length;
      if (body + header.size > size) throw truncated(offset, `section ${header.id}`);
      if (NAME_SECTIONS.has(header.id)) {
        if (header.size > MAX_NAME_SECTION) {
          throw new WitDepsError(
            'ERR_LIMIT_EXCEEDED',
            `section ${header.id} at byte ${offset} is ${header.size} bytes, more than ${MAX_NAME_SECTION}`,
          );
        }
        addSectionNames(header.id, await readAt(handle, body, header.size), body, names);
      }
      offset = body + header.size;
    }
    return {
      preamble,
      kind: { kind: 'component', imports: [...names.imports], exports: [...names.exports] },
    };
  } finally {
    await handle.close();
  }
}
