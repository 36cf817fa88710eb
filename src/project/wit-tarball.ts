/**
 * Pure: reads an (already gunzipped) tar archive the way the Rust `wit-deps` tool unpacks a
 * `deps.toml` URL, but never writes what it reads: it answers the WIT files to install.
 *
 * Selection (after stripping `prefix`, component by component): `<f>.wit`, `wit/<f>.wit` or
 * `<top>/wit/<f>.wit` are the package's files; `deps/<id>/<f>.wit`, `wit/deps/<id>/<f>.wit` or
 * `<top>/wit/deps/<id>/<f>.wit` are hoisted as the transitive dependency `<id>`, unless `<id>` is
 * one the manifest names itself. Other entries are skipped.
 *
 * Safety (every entry, selected or not): a path that is absolute, has a drive letter, a `..`
 * component, a backslash or a NUL is refused (`ERR_ARCHIVE_UNSAFE`), as is a bad header checksum.
 * A selected entry must be a regular file: a symbolic link, hard link, device or FIFO there is
 * refused (elsewhere it is skipped: GitHub archives of whole repositories hold links). Limits:
 * {@link TARBALL_LIMITS} entries and bytes per WIT file.
 */
import { projectError } from './error-text.js';
import { checkIdentifier } from './deps-toml.js';

export const TARBALL_LIMITS = {
  /** Entries of one archive (headers of every kind). */
  entries: 100_000,
  /** Bytes of one WIT file. */
  witFile: 8 * 1024 * 1024,
};

/** The WIT files of one unpacked archive. */
export interface WitTarball {
  /** File name → bytes: the package itself. */
  files: Map<string, Uint8Array>;
  /** Identifier → its files: transitive packages from the archive's `deps/` folders. */
  deps: Map<string, Map<string, Uint8Array>>;
}

const BLOCK = 512;
const decoder = new TextDecoder();

function unsafe(what: string, where: string): never {
  throw projectError('archive-unsafe', { archive: where, problem: what });
}

function text(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return decoder.decode(end === -1 ? field : field.subarray(0, end));
}

function octal(bytes: Uint8Array, start: number, length: number, where: string): number {
  const field = text(bytes, start, length).trim();
  if (!/^[0-7]*$/.test(field) || (bytes[start] ?? 0) & 0x80)
    unsafe('a tar header number is not octal', where);
  return field === '' ? 0 : parseInt(field, 8);
}

function checksumOk(header: Uint8Array, where: string): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
  return sum === octal(header, 148, 8, where);
}

/** The `path` record of a pax extended header, if any. */
function paxPath(body: Uint8Array): string | undefined {
  let at = 0;
  let path: string | undefined;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    const length = parseInt(decoder.decode(body.subarray(at, space)), 10);
    if (space === -1 || !Number.isInteger(length) || length <= 0) break;
    const record = decoder.decode(body.subarray(space + 1, at + length - 1));
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    at += length;
  }
  return path;
}

/** The components of an entry path: refused when it could leave the target. */
function components(path: string, where: string): string[] {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || /[\\\0]/.test(path))
    unsafe(`entry \`${path}\` has an absolute or unsafe path`, where);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) unsafe(`entry \`${path}\` climbs out of the archive (\`..\`)`, where);
  return parts;
}

const isWit = (name: string): boolean => {
  const dot = name.lastIndexOf('.');
  return dot > 0 && name.slice(dot + 1).toLowerCase() === 'wit';
};

/** Where a selected entry goes: the package (`id` undefined) or a transitive package. */
function select(
  parts: string[],
  prefix: string[],
  pinned: ReadonlySet<string>,
): { id?: string; name: string } | undefined {
  if (prefix.some((p, i) => parts[i] !== p)) return undefined;
  const r = parts.slice(prefix.length);
  const last = r[r.length - 1] ?? '';
  if (!isWit(last)) return undefined;
  const root =
    r.length === 1 || (r.length === 2 && r[0] === 'wit') || (r.length === 3 && r[1] === 'wit');
  if (root) return { name: last };
  const id =
    r.length === 3 && r[0] === 'deps'
      ? r[1]
      : r.length === 4 && r[0] === 'wit' && r[1] === 'deps'
        ? r[2]
        : r.length === 5 && r[1] === 'wit' && r[2] === 'deps'
          ? r[3]
          : undefined;
  return id === undefined || pinned.has(id) ? undefined : { id, name: last };
}

interface Header {
  path: string;
  type: string;
  size: number;
}

function readHeader(bytes: Uint8Array, at: number, where: string): Header | undefined {
  const header = bytes.subarray(at, at + BLOCK);
  if (header.length < BLOCK) unsafe('the archive ends inside a header', where);
  if (header.every((b) => b === 0)) return undefined;
  if (!checksumOk(header, where)) unsafe('a tar header has a bad checksum', where);
  const ustar = text(header, 257, 6) === 'ustar';
  const prefix = ustar ? text(header, 345, 155) : '';
  const name = text(header, 0, 100);
  const path = prefix === '' ? name : `${prefix}/${name}`;
  return { path, type: String.fromCharCode(header[156] ?? 0), size: octal(header, 124, 12, where) };
}

/**
 * The WIT files `tar` holds, selected as the Rust tool selects them.
 * @throws {WitDepsError} `ERR_ARCHIVE_UNSAFE` (see the module comment), `ERR_LIMIT_EXCEEDED`.
 */
export function readWitTarball(
  tar: Uint8Array,
  options: { prefix: string; pinned: ReadonlySet<string>; where: string },
): WitTarball {
  const { where, pinned } = options;
  const prefix = components(options.prefix, where);
  const out: WitTarball = { files: new Map(), deps: new Map() };
  let at = 0;
  let longName: string | undefined;
  for (let count = 0; ; count++) {
    if (count >= TARBALL_LIMITS.entries)
      throw projectError('archive-too-many-entries', {
        archive: where,
        limit: TARBALL_LIMITS.entries,
      });
    const h = readHeader(tar, at, where);
    if (h === undefined) break;
    const body = tar.subarray(at + BLOCK, at + BLOCK + h.size);
    if (body.length < h.size) unsafe('the archive ends inside an entry', where);
    at += BLOCK + Math.ceil(h.size / BLOCK) * BLOCK;
    if (h.type === 'x' || h.type === 'L') {
      longName = h.type === 'x' ? paxPath(body) : text(body, 0, body.length);
      continue;
    }
    if (h.type === 'g' || h.type === 'K') continue;
    const path = longName ?? h.path;
    longName = undefined;
    const parts = components(path, where);
    const target = select(parts, prefix, pinned);
    if (target === undefined || h.type === '5') continue;
    if (!['0', '\0', '7'].includes(h.type))
      unsafe(`entry \`${path}\` is a link or a device, not a file`, where);
    if (h.size > TARBALL_LIMITS.witFile)
      throw projectError('archive-file-too-large', {
        archive: where,
        path,
        limit: TARBALL_LIMITS.witFile,
      });
    if (target.id === undefined) {
      out.files.set(target.name, body.slice());
    } else {
      checkIdentifier(target.id, where);
      const files = out.deps.get(target.id) ?? new Map<string, Uint8Array>();
      files.set(target.name, body.slice());
      out.deps.set(target.id, files);
    }
  }
  return out;
}
