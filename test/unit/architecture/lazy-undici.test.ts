/**
 * undici is about half of the CLI's module loading time, so it is loaded on the first HTTP
 * request (a dynamic import in `oci/http/transport.ts`), never at startup: no source file may
 * import a value from it statically (type imports are erased and cost nothing).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Static imports/re-exports of a package that load it at run time (not `import type`). */
export function valueImports(text: string, pkg: string): string[] {
  const statement = /^\s*(import|export)\s+(?!type\b)([^;'"]*?\bfrom\s*)?['"]([^'"]+)['"]/gm;
  return [...text.matchAll(statement)].filter((m) => m[3] === pkg).map((m) => m[0].trim());
}

describe('undici is loaded lazily', () => {
  it('recognises value imports and ignores type imports', () => {
    const text = [
      "import type { Dispatcher } from 'undici';",
      "import type * as Undici from 'undici';",
      "import { request } from 'undici';",
      "export { Agent } from 'undici';",
      "import 'undici';",
      "const lib = await import('undici');",
    ].join('\n');
    expect(valueImports(text, 'undici')).toEqual([
      "import { request } from 'undici'",
      "export { Agent } from 'undici'",
      "import 'undici'",
    ]);
  });

  it('has no static value import of undici in src/', () => {
    const found = sources(SRC).flatMap((file) =>
      valueImports(readFileSync(file, 'utf8'), 'undici').map(
        (s) => `${relative(SRC, file).split(sep).join('/')}: ${s}`,
      ),
    );
    expect(found).toEqual([]);
    const transport = readFileSync(join(SRC, 'oci/http/transport.ts'), 'utf8');
    expect(transport).toContain("import('undici')");
  });
});
