// Inputs for bench/wit-text-diff.mjs: corpus text cases, WASI package versions (with their
// dependency closure as `deps`), and token-level mutations of WIT text.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');

function witFiles(dir, prefix) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wit'))
    .sort()
    .map((f) => ({ path: `${prefix}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

/** Text inputs of the corpus (`.wit` files, or folders whose `deps/` are all text). */
export function corpusInputs() {
  const root = join(FIXTURES, 'corpus');
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  const out = [];
  for (const [folder, { cases }] of Object.entries(manifest.folders)) {
    for (const c of cases) {
      if (typeof c.input !== 'string' || (!c.input.endsWith('.wit') && c.inputKind !== 'dir'))
        continue;
      const path = join(root, folder, c.name, c.input);
      const name = `${folder}/${c.name}`;
      if (!statSync(path).isDirectory()) {
        out.push({ name, files: [{ path: c.input, text: readFileSync(path, 'utf8') }], deps: [] });
        continue;
      }
      const deps = textDeps(join(path, 'deps'));
      if (deps !== undefined) out.push({ name, files: witFiles(path, c.input), deps });
    }
  }
  return out;
}

function textDeps(dir) {
  if (!existsSync(dir)) return [];
  const deps = [];
  for (const e of readdirSync(dir).sort()) {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) deps.push(witFiles(full, `deps/${e}`));
    else if (e.endsWith('.wit'))
      deps.push([{ path: `deps/${e}`, text: readFileSync(full, 'utf8') }]);
    else if (e.endsWith('.wasm') || e.endsWith('.wat')) return undefined;
  }
  return deps;
}

/** Every WASI package version in fixtures/wasi, with its dependencies' files. */
export function wasiInputs() {
  const root = join(FIXTURES, 'wasi');
  const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8'));
  const out = [];
  for (const [pkg, { versions }] of Object.entries(index.packages)) {
    for (const version of Object.keys(versions)) {
      const closure = new Map();
      const walk = (p, v) => {
        for (const [dep, dv] of Object.entries(index.packages[p].versions[v].dependencies)) {
          const short = dep.split(':')[1];
          if (closure.has(`${short}@${dv}`)) continue;
          closure.set(`${short}@${dv}`, [short, dv]);
          walk(short, dv);
        }
      };
      walk(pkg, version);
      const deps = [...closure.values()].map(([p, v]) =>
        witFiles(join(root, p, v), `deps/${p}-${v}`),
      );
      out.push({
        name: `wasi/${pkg}@${version}`,
        files: witFiles(join(root, pkg, version), pkg),
        deps,
      });
    }
  }
  return out;
}

const TOKEN =
  /%?[a-zA-Z][a-zA-Z0-9-]*|\d+(\.\d+)*(-[a-z0-9.-]+)?|->|\/\/\/?[^\n]*|\/\*[\s\S]*?\*\/|[^\s]/g;
const REPLACEMENTS = [
  'type',
  'func',
  'record',
  'use',
  'as',
  'with',
  'include',
  'static',
  'async',
  'own',
  'borrow',
  'list',
  'future',
  'stream',
  'constructor',
  'resource',
  'world',
  'interface',
  'package',
  'Abc',
  'a--b',
  'a-',
  '-a',
  '1a',
  'a-1b',
  'é',
  '%',
  '%type',
  '_',
  '@',
  '1.0',
  '1.0.0.0',
  '01.0.0',
  '1.0.0-',
  '{',
  '}',
  '<',
  '>',
  ',',
  ';',
  ':',
  '.',
  '/',
  '=',
  '(',
  ')',
  '->',
  '*',
  '"x"',
  'u32',
  'string',
  '@since',
  '@unstable',
  '@deprecated',
  'feature',
  'version',
  'error-context',
  'import',
  'export',
  'from',
  'enum',
  'flags',
  'variant',
];

/** One token-level mutation of `text`: delete, duplicate, swap or replace a token. */
export function mutateText(text, rand) {
  const tokens = [...text.matchAll(TOKEN)];
  if (tokens.length === 0) return text;
  const int = (n) => Math.floor(rand() * n);
  const t = tokens[int(tokens.length)];
  const at = t.index;
  const end = at + t[0].length;
  switch (int(5)) {
    case 0:
      return text.slice(0, at) + text.slice(end);
    case 1:
      return text.slice(0, end) + ' ' + t[0] + text.slice(end);
    case 2: {
      const u = tokens[int(tokens.length)];
      if (u.index <= end) return text.slice(0, at) + text.slice(end);
      return (
        text.slice(0, at) +
        u[0] +
        text.slice(end, u.index) +
        t[0] +
        text.slice(u.index + u[0].length)
      );
    }
    default:
      return text.slice(0, at) + REPLACEMENTS[int(REPLACEMENTS.length)] + text.slice(end);
  }
}
