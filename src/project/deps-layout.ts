/**
 * The `wit/deps` layout: one folder `<ns>-<name>-<version>` per package version holding
 * `package.wit` (wkg's layout, read by wit-parser's `push_dir`), plus a marker file
 * `.wit-deps.json` that says wit-deps wrote the folder (WIT parsers ignore files that are not
 * `.wit`, `.wat` or `.wasm`). Folders without a marker are the user's and are never touched.
 * Pure: no `node:*`.
 */
import { isWitIdentifier } from '../resolve/package-name.js';
import { parseVersion } from '../resolve/requirement.js';

/** The marker's file name inside each managed folder. */
export const MARKER_FILE = '.wit-deps.json';
/** The WIT file wit-deps writes in each folder. */
export const PACKAGE_FILE = 'package.wit';

/** What a marker records. */
export interface FolderMarker {
  /** `ns:name@version`. */
  id: string;
  /** The lock digest of the layer the folder was printed from. */
  digest: string;
  /** sha256 of each file written, by file name, for `verify`. */
  files: Record<string, string>;
}

/** The marker text (stable key order, trailing newline). */
export function serializeMarker(marker: FolderMarker): string {
  const files = Object.fromEntries(
    Object.entries(marker.files).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return (
    JSON.stringify(
      { generator: 'wit-deps', id: marker.id, digest: marker.digest, files },
      null,
      2,
    ) + '\n'
  );
}

/**
 * A file name inside a folder: one plain segment (no separator, no control character), not `.`,
 * `..` or the marker itself, at most 255 characters.
 */
function isFileName(name: string): boolean {
  if (name === '.' || name === '..' || name === MARKER_FILE || name.length > 255) return false;
  // eslint-disable-next-line no-control-regex
  return /^[^/\\\x00-\x1f\x7f]+$/.test(name);
}

/** `ns:name@version` (a SemVer version) or `ns:name` (a path package without a version). */
function isPackageId(id: string): boolean {
  const at = id.indexOf('@');
  const name = at < 0 ? id : id.slice(0, at);
  const labels = name.split(':');
  if (labels.length !== 2 || !labels.every(isWitIdentifier)) return false;
  return at < 0 || parseVersion(id.slice(at + 1)) !== undefined;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses a marker; undefined when the text is not a wit-deps marker. A marker is validated before
 * anything in it is used: the id is a WIT package id with a SemVer version, the digest a sha256,
 * every file a plain name with a text hash; anything else (a crafted marker in a committed
 * wit/deps listing `../../../dev/zero`) makes the folder count as not ours.
 */
export function parseMarker(text: string): FolderMarker | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as Record<string, unknown>;
  const { id, digest } = d;
  if (d['generator'] !== 'wit-deps' || typeof id !== 'string' || typeof digest !== 'string')
    return undefined;
  if (!isPackageId(id) || !DIGEST.test(digest)) return undefined;
  const files: Record<string, string> = {};
  if (typeof d['files'] === 'object' && d['files'] !== null)
    for (const [k, v] of Object.entries(d['files'] as Record<string, unknown>)) {
      // `verify` reads these files: a name that leaves the folder makes the marker not ours
      if (!isFileName(k) || typeof v !== 'string') return undefined;
      files[k] = v;
    }
  return { id, digest, files };
}
