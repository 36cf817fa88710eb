/**
 * Keeps the layering of DESIGN.md: pure `wit/` and `resolve/` (and the parse/serialize half of
 * `project/`), network only in `oci/`, and nothing outside `cli/` importing `cli/`.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve as resolvePath, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSources, SRC } from '../../support/source-imports.js';

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
