/**
 * Reading the project's own sources for the architecture tests: where `src/` is, every `.ts` file
 * below a folder, and the static value imports of a file (what loads a module at run time).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The project's `src/` folder. */
export const SRC = join(import.meta.dirname, '../../src');

/** Every `.ts` file below `dir` (absolute paths). */
export function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Specifiers of the static imports and re-exports that load a module at run time: dynamic
 * `import()` and `import type` do not count.
 */
export function staticValueImports(text: string): string[] {
  const statement = /^\s*(?:import|export)\s+(?!type\b)(?:[^;'"]*?\bfrom\s*)?['"]([^'"]+)['"]/gm;
  return [...text.matchAll(statement)].map((m) => m[1]!);
}
