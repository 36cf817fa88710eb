/**
 * The folder loading rules of wit-parser's `push_dir`, over an in-memory file list: the `*.wit`
 * files directly in the folder form the main package; `deps/` entries, in sorted order, are each
 * one dependency: a folder (its `*.wit` files), a `*.wit` file, or a `*.wasm` binary package.
 * Other files are ignored. The file system walk lives in `src/app/`.
 */
import type { WitSource } from '../text/source.js';

/** One file of a WIT folder, path relative to the folder with `/` separators. */
export interface FolderFile {
  path: string;
  text?: string;
  bytes?: Uint8Array;
}

export interface FolderSources {
  main: WitSource[];
  /** Text dependencies in `deps/` order. */
  deps: WitSource[][];
  /** Binary dependencies (`deps/*.wasm`), to be decoded and merged first. */
  binaryDeps: { path: string; bytes: Uint8Array }[];
}

const byPath = (a: { path: string }, b: { path: string }): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** Splits a WIT folder's files into the main package and its `deps/` entries. */
export function splitWitFolder(files: FolderFile[], displayRoot = ''): FolderSources {
  const prefix = displayRoot === '' ? '' : `${displayRoot.replace(/\/$/, '')}/`;
  const text = (f: FolderFile): WitSource => ({ path: prefix + f.path, text: f.text ?? '' });
  const main = files
    .filter((f) => !f.path.includes('/') && f.path.endsWith('.wit'))
    .sort(byPath)
    .map(text);
  const entries = new Map<string, FolderFile[]>();
  for (const f of files) {
    if (!f.path.startsWith('deps/')) continue;
    const rest = f.path.slice(5);
    const entry = rest.split('/')[0]!;
    if (!entries.has(entry)) entries.set(entry, []);
    entries.get(entry)!.push(f);
  }
  const deps: WitSource[][] = [];
  const binaryDeps: FolderSources['binaryDeps'] = [];
  for (const name of [...entries.keys()].sort()) {
    const group = entries.get(name)!;
    const single = group.length === 1 && group[0]!.path === `deps/${name}` ? group[0] : undefined;
    if (single !== undefined) {
      if (name.endsWith('.wit')) deps.push([text(single)]);
      else if (name.endsWith('.wasm') && single.bytes !== undefined)
        binaryDeps.push({ path: prefix + single.path, bytes: single.bytes });
      continue;
    }
    const witFiles = group
      .filter((f) => f.path.split('/').length === 3 && f.path.endsWith('.wit'))
      .sort(byPath);
    if (witFiles.length > 0) deps.push(witFiles.map(text));
  }
  return { main, deps, binaryDeps };
}
