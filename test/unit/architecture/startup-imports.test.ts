/**
 * Startup time of the CLI is mostly module loading, so what a command loads before it runs is kept
 * small: the program (flags, `--help`, `--version`) loads no use case, each command loads its
 * `app/` module in its action, and a use case loads the heavy parts (the OCI client, the WIT text
 * parser, the WIT codec) only on the path that needs them. This test follows the static value
 * imports of src/ (dynamic `import()` and `import type` do not count) from each entry point and
 * fails when a module that should load lazily is reached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SRC, staticValueImports } from '../../support/source-imports.js';

/** Every module an entry point loads before it runs: src files (`app/deps/install.ts`) and packages. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i]!;
    for (const spec of staticValueImports(readFileSync(join(SRC, from), 'utf8'))) {
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const file = resolve(SRC, dirname(from), spec).replace(/\.js$/, '.ts');
      if (!existsSync(file)) throw new Error(`${from}: cannot find ${spec}`);
      const key = relative(SRC, file).split(sep).join('/');
      if (!seen.has(key)) queue.push(key);
      seen.add(key);
    }
  }
  return seen;
}

function matching(closure: Set<string>, patterns: readonly RegExp[]): string[] {
  return [...closure].filter((m) => patterns.some((p) => p.test(m))).sort();
}

// oci/reference.ts and oci/digest.ts are small pure parsers (registry/metadata.ts validates the
// hosts and prefixes a .well-known answer names with them), and oci/error-text.ts is the pure
// table their errors are rendered from; the client is everything else in oci/.
const NETWORK = [
  /^oci\/(?!reference\.ts$|digest\.ts$|error-text\.ts$)/,
  /^registry\/credential/,
  /^undici$/,
];
const WIT_TEXT = [
  /^wit\/text\//,
  /^wit\/resolve\//,
  /^wit\/encode\//,
  /^wit\/(parse|outline)\.ts$/,
];
const WIT_CODEC = [/^wit\/decode\//, /^wit\/print\//, /^wit\/index\.ts$/];

describe('startup imports', () => {
  it('follows static value imports only', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "import {\n  c,\n  type C,\n} from './c.js';",
      "export * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
    ].join('\n');
    expect(staticValueImports(text)).toEqual(['./a.js', './c.js', './d.js', './e.js']);
  });

  it('loads no use case, package parser or toolchain for --version and --help', () => {
    const closure = staticClosure('cli/main.ts');
    expect(closure).toContain('cli/commands/install.ts');
    expect(closure).toContain('commander');
    // redact.ts: the error renderer masks secrets in everything it prints (a leaf, no imports);
    // app/source/network-flags.ts: the one check of the network flags (a leaf over errors.ts)
    const allowed =
      /^(cli\/.*|errors\.ts|version\.ts|redact\.ts|app\/source\/network-flags\.ts|commander)$/;
    expect([...closure].filter((m) => !allowed.test(m))).toEqual([]);
  });

  it('loads no OCI client, TOML parser, resolver or WIT text parser for `wit print`', () => {
    const closure = staticClosure('app/wit/print.ts');
    expect(closure).toContain('wit/decode/decode.ts');
    expect(closure).toContain('wit/print/printer.ts');
    const heavy = [...NETWORK, ...WIT_TEXT, /^smol-toml$/, /^semver$/, /^resolve\//, /^project\//];
    expect(matching(closure, heavy)).toEqual([]);
  });

  it("loads no WIT toolchain to find a no-op install's WIT in the cache", () => {
    const closure = staticClosure('app/deps/post-install-check.ts');
    expect(closure).toContain('app/wit/folder.ts');
    expect(matching(closure, [...NETWORK, ...WIT_TEXT, ...WIT_CODEC])).toEqual([]);
  });

  it.each(['app/deps/install.ts', 'app/deps/add-remove.ts'])(
    'loads no OCI client and no WIT toolchain before %s runs',
    (entry) => {
      const closure = staticClosure(entry);
      expect(closure).toContain('resolve/driver.ts');
      expect(closure).toContain('smol-toml');
      expect(matching(closure, [...NETWORK, ...WIT_TEXT, ...WIT_CODEC])).toEqual([]);
    },
  );
});
