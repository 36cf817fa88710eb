/**
 * Pure: the deterministic tar the Rust `wit-deps` tool hashes for `wit/deps.lock`. Its digests
 * are not of the download but of a tar of the installed folder's top-level `*.wit` files, built
 * by `async-tar` in `HeaderMode::Deterministic`; the lock stays byte-compatible only if these
 * bytes are the same, so every header field is written exactly as that builder writes it:
 *
 * - entries sorted by file name as bytes (a `BTreeSet<OsString>`), each named `wit/<file>`;
 * - a GNU header (`ustar ` magic, version ` \0`), mode `0644` (`0755` when the owner may execute
 *   the file), uid and gid 0, mtime 0, device major and minor `0`, empty user and group names;
 * - numbers in octal, right-aligned with leading zeros and one trailing NUL (the checksum too);
 * - content padded with zeros to 512 bytes, and 1024 zero bytes at the end.
 *
 * Checked against deps.lock files the Rust tool wrote (test/unit/project/wit-tar.test.ts).
 */
import { projectError } from './error-text.js';

/** One file of the tar. */
export interface WitTarFile {
  /** The file name (no folder). */
  name: string;
  bytes: Uint8Array;
  /** The owner's execute bit is set: mode `0755`. */
  executable?: boolean;
}

const BLOCK = 512;
const encoder = new TextEncoder();

/** Writes `value` in octal into `field`: leading zeros, the last byte NUL. */
function octal(header: Uint8Array, offset: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, '0');
  if (digits.length > length - 1) {
    throw projectError('tar-field-overflow', { length, value });
  }
  header.set(encoder.encode(digits), offset);
  header[offset + length - 1] = 0;
}

/** The 512-byte GNU header of one regular file. */
function headerOf(path: Uint8Array, size: number, executable: boolean): Uint8Array {
  const header = new Uint8Array(BLOCK);
  header.set(path, 0);
  octal(header, 100, 8, executable ? 0o755 : 0o644);
  octal(header, 108, 8, 0); // uid
  octal(header, 116, 8, 0); // gid
  octal(header, 124, 12, size);
  octal(header, 136, 12, 0); // mtime
  header[156] = 0x30; // '0': a regular file
  header.set(encoder.encode('ustar '), 257);
  header.set(encoder.encode(' \0'), 263);
  octal(header, 329, 8, 0); // device major
  octal(header, 337, 8, 0); // device minor
  header.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  let sum = 0;
  for (const byte of header) sum += byte;
  octal(header, 148, 8, sum);
  return header;
}

/** Byte order of UTF-8 names, as Rust sorts `OsString`s. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** The deterministic tar of `files`, as the Rust tool builds it for its lock digests. */
export function witTar(files: readonly WitTarFile[]): Uint8Array {
  const named = files.map((f) => ({ ...f, key: encoder.encode(f.name) }));
  named.sort((a, b) => compareBytes(a.key, b.key));
  const parts: Uint8Array[] = [];
  for (const file of named) {
    const path = encoder.encode(`wit/${file.name}`);
    if (path.length > 100) {
      throw projectError('tar-name-too-long', { name: file.name });
    }
    parts.push(headerOf(path, file.bytes.length, file.executable === true), file.bytes);
    const pad = (BLOCK - (file.bytes.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
