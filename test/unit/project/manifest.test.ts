import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { parseManifest } from '../../../src/project/manifest.js';
import { addDependency, removeDependency } from '../../../src/project/manifest-edit.js';

const DESIGN_EXAMPLE = `# wit.toml
[package]                          # optional
name = "acme:shop"
version = "0.3.1"
wit = "wit"

[dependencies]
"wasi:http" = "0.2.0"              # Cargo-style requirement
"wasi:cli" = { version = "=0.2.3" }
"acme:billing" = { path = "../billing/wit" }
"acme:ledger" = { version = "^1.4", registry = "registry.acme.io" }

[registries]
acme = "registry.acme.io"
wasi = { oci = "ghcr.io", prefix = "webassembly/" }
local = { layout = "vendor/oci" }
`;

function error(fn: () => unknown): WitDepsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WitDepsError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('parseManifest', () => {
  it("reads DESIGN.md's example", () => {
    const m = parseManifest(DESIGN_EXAMPLE);
    expect(m.package).toEqual({ name: 'acme:shop', version: '0.3.1', wit: 'wit' });
    expect(m.dependencies).toEqual([
      { name: 'wasi:http', requirement: '0.2.0' },
      { name: 'wasi:cli', requirement: '=0.2.3' },
      { name: 'acme:billing', path: '../billing/wit' },
      { name: 'acme:ledger', requirement: '^1.4', registry: 'registry.acme.io' },
    ]);
    expect([...m.registries]).toEqual([
      ['acme', { kind: 'name', registry: 'registry.acme.io' }],
      ['wasi', { kind: 'oci', oci: 'ghcr.io', prefix: 'webassembly/', insecure: false }],
      ['local', { kind: 'layout', layout: 'vendor/oci' }],
    ]);
  });

  it('accepts an empty file', () => {
    expect(parseManifest('').dependencies).toEqual([]);
  });

  it('reports TOML syntax errors with line and column', () => {
    const e = error(() => parseManifest('[dependencies]\n"wasi:http" = \n'));
    expect(e.code).toBe('ERR_MANIFEST_PARSE');
    expect(e.message).toMatch(/^wit\.toml:2:\d+: /);
    expect(e.details).toMatchObject({ line: 2 });
  });

  it('calls a string that runs into the end of its line unterminated', () => {
    const e = error(() => parseManifest('[dependencies]\n"wasi:http" = "^0.2.0\n'));
    expect(e.message).toBe('wit.toml:2:22: unterminated string (the closing quote is missing)');
  });

  it('names a key or table defined twice, and a table header missing its `]`', () => {
    const cases: [string, string][] = [
      [
        '[dependencies]\n"wasi:http" = "1"\n"wasi:http" = "2"\n',
        'wit.toml:3:1: key `"wasi:http"` is defined twice',
      ],
      ['[package]\nname = "a:b"\n[package]\n', 'wit.toml:3:2: table `[package]` is defined twice'],
      [
        '[dependencies]\n"a:b" = { version = "1", version = "2" }\n',
        'wit.toml:2:26: key `version` is defined twice',
      ],
      [
        '[dependencies\n"a:b" = "1"\n',
        'wit.toml:1:14: the table header `[dependencies` is missing `]`',
      ],
    ];
    for (const [text, message] of cases) {
      const e = error(() => parseManifest(text));
      expect(e.code).toBe('ERR_MANIFEST_PARSE');
      expect(e.message).toBe(message);
    }
  });

  it('renders a TOML syntax error with the line and a caret under the place', () => {
    const e = error(() => parseManifest('[dependencies]\n"wasi:http" = "1"\n"wasi:http" = "2"\n'));
    expect(e.details['rendered']).toBe(
      [
        'wit.toml:3:1: key `"wasi:http"` is defined twice',
        '     --> wit.toml:3:1',
        '      |',
        '    3 | "wasi:http" = "2"',
        '      | ^',
      ].join('\n'),
    );
  });

  const INVALID: [string, string][] = [
    [
      '[dependencies]\n"wasi:http" = { verison = "1" }\n',
      '`dependencies."wasi:http".verison` in wit.toml:2 is not a known key',
    ],
    [
      '[dependencies]\n"wasi_http" = "1"\n',
      '`dependencies.wasi_http` in wit.toml:2 `wasi_http` is not a valid package name',
    ],
    ['[dependencies]\n"Wasi:http" = "1"\n', 'is not a valid package name'],
    ['[dependencies]\n"wasi:../x" = "1"\n', 'is not a valid package name'],
    [
      '[dependencies]\n"wasi:http" = "1.2.3 - 2"\n',
      "expected comma after patch version number, found '-'",
    ],
    [
      '[dependencies]\n"wasi:http" = { path = "x", version = "1" }\n',
      'has `path` together with `version`',
    ],
    ['[dependencies]\n"wasi:http" = {}\n', 'needs `version` or `path`'],
    ['[dependencies]\n"wasi:http" = 2\n', 'must be a requirement string or a table, not a number'],
    ['[registries]\nwasi = { oci = "ghcr.io", prefix = "webassembly" }\n', 'must end with `/`'],
    ['[registries]\nwasi = { prefix = "a/" }\n', 'needs `oci` or `layout`'],
    [
      '[registries]\nwasi = { layout = "x", oci = "y" }\n',
      '`registries.wasi` in wit.toml:2 has both `oci` and `layout`',
    ],
    [
      '[registries]\nwasi = { oci = "http://127.0.0.1:5000" }\n',
      '`registries.wasi.oci` in wit.toml:2 `http://127.0.0.1:5000` is not a valid registry host: it has a scheme',
    ],
    [
      '[registries]\nwasi = { oci = "ghcr.io", prefix = "/" }\n',
      '`registries.wasi.prefix` in wit.toml:2 `/` must not start with `/`',
    ],
    ['[registries]\nwasi = { oci = "ghcr.io", prefix = "a//" }\n', '`a//` has an empty part'],
    [
      '[registries]\nwasi = { oci = "ghcr.io", prefix = "Org/" }\n',
      '`Org/` has `Org`, which is not a repository name part',
    ],
    ['[package]\nname = "x"\n', '`x` is not a valid package name'],
    ['[package]\nversion = "1.0"\n', 'is not a semver version'],
    ['[dependency]\n', '`dependency` in wit.toml:1 is not a known key'],
  ];
  it('suggests `insecure = true` for an http:// oci host, and keeps a valid nested prefix', () => {
    const e = error(() => parseManifest('[registries]\nwasi = { oci = "http://reg.local" }\n'));
    expect(e.hint).toContain('`insecure = true`');
    const m = parseManifest('[registries]\nwasi = { oci = "ghcr.io", prefix = "org/team-a/" }\n');
    expect(m.registries.get('wasi')).toMatchObject({ prefix: 'org/team-a/' });
  });

  for (const [text, message] of INVALID) {
    it(`rejects ${JSON.stringify(text.split('\n')[1] ?? text)}`, () => {
      const e = error(() => parseManifest(text));
      expect(e.code).toBe('ERR_MANIFEST_INVALID');
      expect(e.message).toContain(message);
      expect(e.hint).toBeTruthy();
    });
  }
});

describe('manifest edits', () => {
  it('adds to [dependencies] after the last entry, keeping comments and order', () => {
    const out = addDependency(DESIGN_EXAMPLE, 'wasi:io', '^0.2');
    expect(out).toBe(
      DESIGN_EXAMPLE.replace(
        '"acme:ledger" = { version = "^1.4", registry = "registry.acme.io" }\n',
        '"acme:ledger" = { version = "^1.4", registry = "registry.acme.io" }\n"wasi:io" = "^0.2"\n',
      ),
    );
    expect(parseManifest(out).dependencies.map((d) => d.name)).toEqual([
      'wasi:http',
      'wasi:cli',
      'acme:billing',
      'acme:ledger',
      'wasi:io',
    ]);
  });

  it('replaces an existing entry in place', () => {
    const out = addDependency(DESIGN_EXAMPLE, 'wasi:cli', { version: '^0.2.6' });
    expect(out).toContain('\n"wasi:cli" = { version = "^0.2.6" }\n"acme:billing"');
    expect(out.split('\n').length).toBe(DESIGN_EXAMPLE.split('\n').length);
  });

  it("keeps a replaced entry's trailing comment at its column", () => {
    const out = addDependency(DESIGN_EXAMPLE, 'wasi:http', '^0.2.3');
    expect(out).toContain('\n"wasi:http" = "^0.2.3"             # Cargo-style requirement\n');
    const long = addDependency(DESIGN_EXAMPLE, 'wasi:http', {
      version: '^0.2.3',
      registry: 'r.example.com',
    });
    expect(long).toContain(
      '\n"wasi:http" = { version = "^0.2.3", registry = "r.example.com" } # Cargo-style requirement\n',
    );
    const hashInString = '[dependencies]\n"a:b" = { path = "x#y" }  # note\n';
    expect(addDependency(hashInString, 'a:b', '1.0.0')).toBe(
      '[dependencies]\n"a:b" = "1.0.0"           # note\n',
    );
  });

  it('creates [dependencies] when missing and keeps CRLF files CRLF', () => {
    expect(addDependency('', 'wasi:http', '0.2.0')).toBe('[dependencies]\n"wasi:http" = "0.2.0"\n');
    const crlf = '[package]\r\nname = "a:b"\r\n';
    expect(addDependency(crlf, 'wasi:http', '0.2.0')).toBe(
      '[package]\r\nname = "a:b"\r\n\r\n[dependencies]\r\n"wasi:http" = "0.2.0"\r\n',
    );
  });

  it('writes a path dependency as a table, quoting the path as TOML needs', () => {
    const out = addDependency('', 'acme:billing', { path: '../billing/wit' });
    expect(out).toBe('[dependencies]\n"acme:billing" = { path = "../billing/wit" }\n');
    const odd = addDependency(out, 'acme:odd', { path: 'C:\\wit "x"' });
    expect(parseManifest(odd).dependencies).toEqual([
      { name: 'acme:billing', path: '../billing/wit' },
      { name: 'acme:odd', path: 'C:\\wit "x"' },
    ]);
  });

  it('removes entries and sub-tables', () => {
    const out = removeDependency(DESIGN_EXAMPLE, 'wasi:cli');
    expect(out.removed).toBe(true);
    expect(out.text).toBe(DESIGN_EXAMPLE.replace('"wasi:cli" = { version = "=0.2.3" }\n', ''));
    const table =
      '[dependencies."wasi:http"]\nversion = "0.2.0"\n\n[registries]\nwasi = "wasi.dev"\n';
    const gone = removeDependency(table, 'wasi:http');
    expect(gone.removed).toBe(true);
    expect(gone.text).toBe('[registries]\nwasi = "wasi.dev"\n');
    expect(removeDependency(DESIGN_EXAMPLE, 'wasi:nope').removed).toBe(false);
  });
});
