/**
 * Keeps the layering of DESIGN.md: pure `wit/` and `resolve/` (and the parse/serialize half of
 * `project/`), network only in `oci/`, and nothing outside `cli/` importing `cli/`; each top-level
 * folder imports only what the allowed-imports table of src/README.md lets it; and no file-level
 * import cycle.
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve as resolvePath, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSources, SRC } from '../../support/source-imports.js';
import {
  importCycles,
  loadImportGraph,
  shortestCycle,
  staticSpecifiers,
  type ImportGraph,
} from './import-graph.js';

const NETWORK = new Set([
  'undici',
  'node:http',
  'node:https',
  'node:net',
  'node:tls',
  'node:dns',
  'node:http2',
]);

interface SourceFile {
  path: string; // relative to src, with '/'
  imports: string[];
}

/** Import and export-from specifiers, static and dynamic. */
export function importSpecifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gms,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

function load(): SourceFile[] {
  return listSources(SRC).map((full) => ({
    path: relative(SRC, full).split(sep).join('/'),
    imports: importSpecifiers(readFileSync(full, 'utf8')),
  }));
}

/** The src-relative folder an import lands in, or the bare specifier for packages. */
function target(file: SourceFile, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const abs = resolvePath(SRC, dirname(file.path), spec);
  return relative(SRC, abs).split(sep).join('/');
}

const files = load();

function violations(
  predicate: (file: SourceFile) => boolean,
  bad: (to: string) => boolean,
): string[] {
  return files
    .filter(predicate)
    .flatMap((file) => file.imports.map((spec) => ({ file, to: target(file, spec) })))
    .filter(({ to }) => bad(to))
    .map(({ file, to }) => `${file.path} imports ${to}`);
}

const isPureProjectFile = (f: SourceFile): boolean =>
  f.path.startsWith('project/') && !/(^|[-/])(io|fs)\.ts$/.test(f.path);

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(
      importSpecifiers(
        `import { a } from './a.js';\nexport * from "node:fs";\nawait import('undici');`,
      ),
    ).toEqual(['./a.js', 'node:fs', 'undici']);
  });

  it('keeps wit/ pure: no node:*, no packages, nothing outside wit/ but errors.ts', () => {
    const bad = violations(
      (f) => f.path.startsWith('wit/'),
      (to) => !(to.startsWith('wit/') || to === 'errors.js'),
    );
    expect(bad).toEqual([]);
  });

  it('keeps resolve/ pure: only resolve/, wit/model, errors.ts and semver', () => {
    const bad = violations(
      (f) => f.path.startsWith('resolve/'),
      (to) =>
        !(
          to.startsWith('resolve/') ||
          to.startsWith('wit/') ||
          to === 'errors.js' ||
          to === 'semver'
        ),
    );
    expect(bad).toEqual([]);
  });

  it('keeps the parse/serialize half of project/ free of node:* and network', () => {
    const bad = violations(
      isPureProjectFile,
      (to) => to.startsWith('node:') || NETWORK.has(to) || to.startsWith('oci/'),
    );
    expect(bad).toEqual([]);
  });

  it('keeps network code in oci/ only', () => {
    const bad = violations(
      (f) => !f.path.startsWith('oci/'),
      (to) => NETWORK.has(to),
    );
    expect(bad).toEqual([]);
  });

  it('lets registry/ depend on oci/ one way: oci/ imports nothing from registry/', () => {
    const bad = violations(
      (f) => f.path.startsWith('oci/'),
      (to) => to.startsWith('registry/'),
    );
    expect(bad).toEqual([]);
  });

  it('lets nothing outside cli/ import cli/', () => {
    const bad = violations(
      (f) => !f.path.startsWith('cli/'),
      (to) => to.startsWith('cli/'),
    );
    expect(bad).toEqual([]);
  });

  it('keeps cli/ thin: no fs and no network', () => {
    const bad = violations(
      (f) => f.path.startsWith('cli/'),
      (to) =>
        to === 'node:fs' || to === 'node:fs/promises' || NETWORK.has(to) || to.startsWith('oci/'),
    );
    expect(bad).toEqual([]);
  });
});

/** `cli/commands/add.ts` -> `cli`, `errors.ts` -> `errors.ts`: the top-level entry of src/. */
const topLevel = (path: string): string => path.replace(/\/.*$/, '');

/** The "Allowed imports" table of src/README.md: top-level entry -> the entries it may import. */
export function allowedImports(readme: string): Map<string, Set<string>> {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Allowed imports'));
  if (section === undefined) throw new Error('src/README.md has no "## Allowed imports" section');
  const table = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    const row = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (row === null) continue;
    const allowed = [...row[2]!.matchAll(/`([^`]+)`/g)].map((m) => topLevel(m[1]!));
    table.set(topLevel(row[1]!), new Set(allowed));
  }
  return table;
}

const table = allowedImports(readFileSync(join(SRC, 'README.md'), 'utf8'));

// Imports the table does not allow, one by one. The list may only shrink (it is empty now: the
// last one, cli/commands/update.ts loading resolve/lock-diff.ts, went when the app result started
// to carry the described lock change): a new import across folders the table does not allow fails.
const KNOWN_EXCEPTIONS: string[] = [];

/** Every relative import (static, dynamic, type-only) from one top-level entry to another. */
function crossings(): { from: string; to: string; line: string }[] {
  return files.flatMap((file) =>
    file.imports
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => target(file, spec).replace(/\.js$/, '.ts'))
      .filter((to) => topLevel(to) !== topLevel(file.path))
      .map((to) => ({
        from: topLevel(file.path),
        to: topLevel(to),
        line: `${file.path} imports ${to}`,
      })),
  );
}

describe('allowed imports (src/README.md)', () => {
  it('has one row for each top-level folder and file of src/, naming only those', () => {
    const entries = [...new Set(files.map((f) => topLevel(f.path)))].sort();
    expect([...table.keys()].sort()).toEqual(entries);
    const named = [...table.values()].flatMap((allowed) => [...allowed]);
    expect(named.filter((name) => !table.has(name))).toEqual([]);
    expect(table.get('wit')).toEqual(new Set(['errors.ts']));
  });

  it('is layered: no entry can reach itself through what the table allows', () => {
    const graph: ImportGraph = new Map([...table].map(([from, to]) => [from, [...to].sort()]));
    expect(importCycles(graph)).toEqual([]);
  });

  it('holds for every import across folders, with no exception', () => {
    const bad = crossings()
      .filter(({ from, to }) => !table.get(from)?.has(to))
      .map(({ line }) => line);
    expect([...new Set(bad)].sort()).toEqual(KNOWN_EXCEPTIONS);
    expect(KNOWN_EXCEPTIONS).toHaveLength(0);
  });
});

/** `app/deps/install.ts` -> `deps`, `app/cache-commands.ts` -> `cache-commands.ts`. */
const appPart = (path: string): string => path.slice('app/'.length).replace(/\/.*$/, '');
const appTable = allowedImports(
  readFileSync(join(SRC, 'app', 'README.md'), 'utf8').replace(
    '## Allowed imports inside app/',
    '## Allowed imports',
  ),
);

describe('allowed imports inside app/ (src/app/README.md)', () => {
  const inApp = files.filter((f) => f.path.startsWith('app/'));
  const edges = inApp.flatMap((file) =>
    file.imports
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => target(file, spec).replace(/\.js$/, '.ts'))
      .filter((to) => to.startsWith('app/') && appPart(to) !== appPart(file.path))
      .map((to) => ({
        from: appPart(file.path),
        to: appPart(to),
        line: `${file.path} imports ${to}`,
      })),
  );

  it('has one row for each subfolder and file of app/', () => {
    const parts = [...new Set(inApp.map((f) => appPart(f.path)))].sort();
    expect([...appTable.keys()].sort()).toEqual(parts);
    expect(edges.length).toBeGreaterThan(10);
  });

  it('is layered and holds for every import between subfolders', () => {
    const graph: ImportGraph = new Map([...appTable].map(([from, to]) => [from, [...to].sort()]));
    expect(importCycles(graph)).toEqual([]);
    const bad = edges.filter(({ from, to }) => !appTable.get(from)?.has(to)).map((e) => e.line);
    expect([...new Set(bad)].sort()).toEqual([]);
  });
});

// File-level import cycles outside wit/ and resolve/ that are known (none today); the list may
// only shrink.
const KNOWN_FILE_CYCLES: string[][] = [];
// Top-level folder cycles (a file of each imports a file of the other): none since discovery
// moved to registry/ (the list may only stay empty).
const KNOWN_FOLDER_CYCLES: string[][] = [];

describe('import cycles', () => {
  const graph = loadImportGraph();
  const cycles = importCycles(graph);
  const show = (component: string[]): string => shortestCycle(graph, component[0]!).join(' → ');
  const inPure = (component: string[]): boolean =>
    component.some((f) => f.startsWith('wit/') || f.startsWith('resolve/'));

  it('finds cycles: type-only imports and re-exports count, dynamic imports do not', () => {
    const text = [
      "import type { A } from './a.js';",
      "export { b } from './b.js';",
      "import {\n  c,\n  type C,\n} from './c.js';",
      "import './d.js';",
      "const e = await import('./e.js');",
    ].join('\n');
    expect(staticSpecifiers(text)).toEqual(['./a.js', './b.js', './c.js', './d.js']);
    const sample: ImportGraph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['d.ts', 'a.ts']],
      ['e.ts', ['a.ts', 'node:fs']],
    ]);
    expect(importCycles(sample)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
    expect(shortestCycle(sample, 'b.ts')).toEqual(['b.ts', 'c.ts', 'a.ts', 'b.ts']);
    expect(graph.get('wit/parse.ts')).toContain('wit/text/source.ts');
  });

  it('has no file-level import cycle in wit/ or resolve/', () => {
    expect(cycles.filter(inPure).map(show)).toEqual([]);
  });

  it('has no other file-level import cycle than the counted known ones', () => {
    expect(cycles.filter((c) => !inPure(c))).toEqual(KNOWN_FILE_CYCLES);
    expect(KNOWN_FILE_CYCLES).toHaveLength(0);
  });

  it('has no top-level folder cycle than the counted known ones', () => {
    const folders: ImportGraph = new Map();
    for (const [from, targets] of graph) {
      const list = folders.get(topLevel(from)) ?? [];
      folders.set(topLevel(from), [...new Set([...list, ...targets.map(topLevel)])].sort());
    }
    const crossing = importCycles(folders).filter((c) => c.length > 1);
    expect(crossing).toEqual(KNOWN_FOLDER_CYCLES);
    expect(KNOWN_FOLDER_CYCLES).toHaveLength(0);
  });
});
