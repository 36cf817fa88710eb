/**
 * `update --wit`'s text rewriting: only the version text of foreign references changes. The golden
 * test rewrites the WASI packages' own 0.2.0 sources (each package's files taken as a project's
 * WIT) to 0.2.6 and compares with bytes derived independently: every foreign reference string that
 * fixtures/wasi/index.json lists for the package (found upstream, comments stripped) replaced
 * verbatim, everything else identical.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  rewriteVersions,
  unifiedDiff,
  versionReferences,
} from '../../../src/project/wit-version-edit.js';
import { raiseRequirement, targetVersion } from '../../../src/resolve/version-move.js';

const WASI = join(import.meta.dirname, '../../../fixtures/wasi');
const index = JSON.parse(readFileSync(join(WASI, 'index.json'), 'utf8')) as {
  packages: Record<
    string,
    { versions: Record<string, { dependencies: Record<string, string>; foreignRefs: string[] }> }
  >;
};

function sources(pkg: string, version: string): { path: string; text: string }[] {
  const dir = join(WASI, pkg, version);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wit'))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
}

/** The expected text: each listed reference `x@0.2.0` replaced by `x@<to>`, nothing else. */
function expected(text: string, refs: readonly string[], to: string): string {
  let out = text;
  for (const ref of refs) out = out.split(`${ref};`).join(`${ref.replace(/@.*$/, `@${to}`)};`);
  for (const ref of refs) out = out.split(`${ref}.{`).join(`${ref.replace(/@.*$/, `@${to}`)}.{`);
  return out;
}

describe('rewriteVersions over the WASI sources (golden)', () => {
  for (const pkg of ['clocks', 'filesystem', 'sockets', 'cli', 'http']) {
    it(`wasi:${pkg} 0.2.0: every foreign reference moves to 0.2.6, no other byte changes`, () => {
      const info = index.packages[pkg]!.versions['0.2.0']!;
      const files = sources(pkg, '0.2.0');
      const target = new Map(Object.keys(info.dependencies).map((n) => [n, '0.2.6']));
      const out = rewriteVersions(files, target);
      out.files.forEach((f, i) =>
        expect(f.text).toBe(expected(files[i]!.text, info.foreignRefs, '0.2.6')),
      );
      // the package's own `package wasi:<pkg>@0.2.0;` is not a foreign reference
      for (const f of out.files)
        if (f.text.includes(`package wasi:${pkg}@`))
          expect(f.text).toContain(`package wasi:${pkg}@0.2.0`);
      const names = new Set(out.edits.map((e) => e.name));
      expect([...names].sort()).toEqual(Object.keys(info.dependencies).sort());
      expect(out.edits.every((e) => e.from === '0.2.0' && e.to === '0.2.6')).toBe(true);
    });
  }

  it('keeps CRLF line endings and a byte-order mark', () => {
    const [file] = sources('clocks', '0.2.0').filter((f) => f.text.includes('wasi:io/poll@0.2.0'));
    const crlf = '\uFEFF' + file!.text.replace(/\n/g, '\r\n');
    const out = rewriteVersions([{ path: 'x.wit', text: crlf }], new Map([['wasi:io', '0.2.3']]));
    expect(out.files[0]!.text).toBe(crlf.split('wasi:io/poll@0.2.0').join('wasi:io/poll@0.2.3'));
    expect(out.edits[0]!.before.endsWith('\r')).toBe(false);
  });
});

describe('versionReferences', () => {
  const text = [
    'package acme:app@0.1.0;',
    '// use wasi:io/streams@0.2.0;',
    '/* import wasi:io/poll@0.2.0; /* nested */ */',
    'world app {',
    '  import wasi:io/poll@0.2.0;',
    '  import   wasi:io/streams@0.2.1 ;',
    '  use acme:app/types@0.1.0.{t};',
    '  export wasi:http/incoming-handler@0.2.0;',
    '}',
    '',
  ].join('\n');

  it('finds use/import/export references outside comments, with line and column', () => {
    const refs = versionReferences([{ path: 'w.wit', text }]);
    expect(refs.map((r) => [r.name, r.version, r.line, r.column])).toEqual([
      ['wasi:io', '0.2.0', 5, 23],
      ['wasi:io', '0.2.1', 6, 28],
      ['wasi:http', '0.2.0', 8, 37],
    ]);
  });

  it('moves every reference of a package together, comments untouched, and renders a diff', () => {
    const out = rewriteVersions([{ path: 'w.wit', text }], new Map([['wasi:io', '0.2.3']]));
    expect(out.files[0]!.text).toBe(
      text.replace('poll@0.2.0;\n', 'poll@0.2.3;\n').replace('streams@0.2.1', 'streams@0.2.3'),
    );
    expect(out.files[0]!.text).toContain('// use wasi:io/streams@0.2.0;');
    expect(unifiedDiff(out.edits)).toBe(
      [
        '--- a/w.wit',
        '+++ b/w.wit',
        '@@ -5,1 +5,1 @@',
        '-  import wasi:io/poll@0.2.0;',
        '+  import wasi:io/poll@0.2.3;',
        '@@ -6,1 +6,1 @@',
        '-  import   wasi:io/streams@0.2.1 ;',
        '+  import   wasi:io/streams@0.2.3 ;',
      ].join('\n'),
    );
  });
});

describe('version targets', () => {
  const tags = ['0.2.0', '0.2.3', '0.2.6', '0.3.0-rc-2026-01-06', '0.3.0', 'latest'];
  it('defaults to the newest compatible version, --latest crosses 0.x minors', () => {
    expect(targetVersion(['0.2.0'], tags, false)).toBe('0.2.6');
    expect(targetVersion(['0.2.0', '0.2.3'], tags, false)).toBe('0.2.6');
    expect(targetVersion(['0.2.0'], tags, true)).toBe('0.3.0');
    expect(targetVersion(['0.2.0'], ['0.2.0', '0.3.0-rc-2026-01-06'], true)).toBe('0.2.0');
    expect(targetVersion(['0.3.0-rc-2025-09-16'], ['0.3.0-rc-2026-01-06'], false)).toBe(
      '0.3.0-rc-2026-01-06',
    );
  });

  it('raises a requirement keeping its operator; an exact pin only when asked', () => {
    expect(raiseRequirement('~0.2.3', '0.3.0')).toBe('~0.3.0');
    expect(raiseRequirement('0.2.0', '0.3.0')).toBe('0.3.0');
    expect(raiseRequirement('^1.2', '2.0.1')).toBe('^2.0');
    expect(raiseRequirement('=0.2.3', '0.3.0')).toBe('=0.2.3');
    expect(raiseRequirement('=0.2.3', '0.3.0', true)).toBe('=0.3.0');
    expect(raiseRequirement('^0.2', '0.2.6')).toBe('^0.2');
    expect(raiseRequirement('>=0.2, <0.3', '0.3.0')).toBe('0.3.0');
  });
});
