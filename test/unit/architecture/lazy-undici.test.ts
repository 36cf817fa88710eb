/**
 * undici is about half of the CLI's module loading time, so it is loaded on the first HTTP
 * request (a dynamic import in `oci/http/transport.ts`), never at startup: no source file may
 * import a value from it statically (type imports are erased and cost nothing).
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSources, SRC, staticValueImports } from '../../support/source-imports.js';

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
    expect(staticValueImports(text)).toEqual(['undici', 'undici', 'undici']);
  });

  it('has no static value import of undici in src/', () => {
    const found = listSources(SRC).flatMap((file) =>
      staticValueImports(readFileSync(file, 'utf8'))
        .filter((spec) => spec === 'undici')
        .map(() => relative(SRC, file).split(sep).join('/')),
    );
    expect(found).toEqual([]);
    const transport = readFileSync(join(SRC, 'oci/http/transport.ts'), 'utf8');
    expect(transport).toContain("import('undici')");
  });
});
