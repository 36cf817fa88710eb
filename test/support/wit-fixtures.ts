/**
 * Reads WIT corpus fixtures from `fixtures/`: a case input (one `.wit` file, or a folder with an
 * optional `deps/`) as the in-memory file list the pure loader takes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FolderFile } from '../../src/wit/resolve/deps.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** Every file under `dir`, as relative paths with text (and bytes for `.wasm`). */
export function readFolder(dir: string): FolderFile[] {
  const out: FolderFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const path = relative(dir, full).split(sep).join('/');
        const bytes = readFileSync(full);
        out.push(
          path.endsWith('.wasm')
            ? { path, bytes: new Uint8Array(bytes) }
            : { path, text: bytes.toString('utf8') },
        );
      }
    }
  };
  walk(dir);
  return out;
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface CorpusCase {
  name: string;
  inputKind?: string;
  input?: string;
  [key: string]: unknown;
}

/** The manifest's cases of one corpus folder. */
export function corpusCases(folder: string): CorpusCase[] {
  const manifest = JSON.parse(readFileSync(join(FIXTURES, 'corpus/manifest.json'), 'utf8')) as {
    folders: Record<string, { cases: CorpusCase[] }>;
  };
  return manifest.folders[folder]!.cases;
}

/** Known failures: one case name per line, `#` comments. */
export function knownFailures(file: string): Set<string> {
  const text = readFileSync(join(FIXTURES, '..', 'test/conformance', file), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l !== ''),
  );
}
