/**
 * The `wit/deps` layout: one folder `<ns>-<name>-<version>` per package version holding
 * `package.wit` (wkg's layout, read by wit-parser's `push_dir`), plus a marker file
 * `.wit-deps.json` that says wit-deps wrote the folder (WIT parsers ignore files that are not
 * `.wit`, `.wat` or `.wasm`). Folders without a marker are the user's and are never touched.
 * Pure: no `node:*`.
 */

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

/** A file name inside a folder: no separator, not `.`/`..`, not the marker itself. */
function isFileName(name: string): boolean {
  return name !== '.' && name !== '..' && name !== MARKER_FILE && /^[^/\\\0]+$/.test(name);
}

/**
 * Parses a marker; undefined when the text is not a wit-deps marker (also when it lists a file
 * outside its folder: a crafted marker in a committed wit/deps must not make `verify` read
 * `../../../dev/zero`).
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
  if (
    d['generator'] !== 'wit-deps' ||
    typeof d['id'] !== 'string' ||
    typeof d['digest'] !== 'string'
  )
    return undefined;
  const files: Record<string, string> = {};
  if (typeof d['files'] === 'object' && d['files'] !== null)
    for (const [k, v] of Object.entries(d['files'] as Record<string, unknown>)) {
      // `verify` reads these files: a name that leaves the folder makes the marker not ours
      if (!isFileName(k)) return undefined;
      if (typeof v === 'string') files[k] = v;
    }
  return { id: d['id'], digest: d['digest'], files };
}
