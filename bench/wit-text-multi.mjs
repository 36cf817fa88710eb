// Differential check of the FIRST error of inputs with several errors, against wasm-tools (via
// jco-transpile, installed OUTSIDE the project, see bench/wit-reference.mjs). Each input is one
// file: a main package and up to two nested packages (plus, often, a `dep:x@1.0.0` package), with
// two to four snippets of the list below, each holding one error of some phase of wit-parser
// (names, foreign lookups, gates, `@since`, includes, elaboration...). Reports how many first
// messages agree; the differing inputs go to $WIT_DIFF_OUT (default /tmp/wit-text-multi).
//
//   npm run build && node bench/wit-text-multi.mjs [inputs=1000] [seed=1]
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWitPackage } from '../dist/wit/parse.js';
import { FEATURES, mulberry32 } from './wit-gen.mjs';
import { loadReference, referenceParse } from './wit-reference.mjs';

const INPUTS = Number(process.argv[2] ?? 1000);
const SEED = Number(process.argv[3] ?? 1);
const OUT = process.env.WIT_DIFF_OUT ?? join(tmpdir(), 'wit-text-multi');

// `K` is replaced by a number unique in the input.
const FINE = ['interface okK { type t = u8; resource r; }', 'world okwK { import okK; }'];
const ERRORS = [
  'interface aK { use nope:pkg/i.{t}; }',
  'interface aK { use dep:x/i.{t}; type h = own<t>; }',
  'world aK { import nope:pkg/i; }',
  'world aK { include dep:x@1.0.0/nope; }',
  'world aK { include dep:x@1.0.0/w; import dep:x@1.0.0/w; }',
  'interface aK { type a = nopeK; }',
  'interface aK { use nopeK.{t}; }',
  'world aK { use nopeK.{t}; }',
  'world aK { import nopeK; }',
  'world aK { include nopeK; }',
  'interface aK { type a = u8; type a = u16; }',
  'interface aK { f: func(); f: func(); }',
  'interface aK { @unstable(feature = off) type x = u8; type y = x; }',
  'interface aK { @unstable(feature = off) type x = u8; f: func(a: x); }',
  'world aK { import foo: func(); import FOO: func(); }',
  'interface aK { @since(version = 9.0.0) type x = u8; }',
  'interface aK { type x = u8; type h = borrow<x>; }',
  'world aK { include iwK with { nope as y } } world iwK { import g: func(); }',
  'world aK { import g: func(); include iwK; } world iwK { import g: func(); }',
  'interface aK { use wK.{t}; } world wK { }',
  'world aK { include ifK; } interface ifK { }',
  'interface aK { variant v {} }',
  'interface aK { type m = map<f32, u8>; }',
  'interface aK { use bK.{t}; } interface bK { use aK.{u}; type t = u8; }',
  'interface aK { type = ; }',
  'interface aK { resource r { constructor(); constructor(); } }',
  'world aK { import dep:x@1.0.0/i; import dep:x@1.0.0/i; }',
  'interface aK { use dep:x@1.0.0/i.{t}; type h = own<t>; }',
  'interface aK { use dep:x@1.0.0/nope.{t}; }',
  'interface aK { use dep:x@1.0.0/i.{nope}; }',
  'interface aK { use dep:x@1.0.0/i.{r}; f: func(a: borrow<r>) -> future<borrow<r>>; }',
  'world aK { @unstable(feature = off) include iwK; } world iwK { import g: func(); }',
  'world aK { @unstable(feature = off) import nopeK; }',
  'interface aK { @unstable(feature = off) use dep:x@1.0.0/i.{nope}; }',
  'use nopeK as aK;',
  'use dep:x@1.0.0/i as aK; interface bK { use aK.{nope}; }',
  'use dep:x@1.0.0/w as aK; interface bK { use aK.{t}; }',
  'world aK { use dep:x@1.0.0/i.{t}; import f: func(x: borrow<t>); }',
  'world aK { import nope:a/b; import dep:x@1.0.0/zz; import other:c/d; }',
];
const DEP =
  'package dep:x@1.0.0 { interface i { type t = u8; resource r; } world w { import f: func(); } }';

function build(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  let k = 0;
  const bodies = [[], [], []]; // the main package, then two nested ones
  for (let n = 2 + Math.floor(rand() * 3); n > 0; n--)
    bodies[Math.floor(rand() * 3)].push(pick(ERRORS).replaceAll('K', String(k++)));
  if (rand() < 0.5) bodies[0].push(pick(FINE).replaceAll('K', String(k++)));
  const parts = ['package main:p@0.1.0;', ...bodies[0]];
  const nested = rand() < 0.7 ? [DEP] : [];
  if (bodies[1].length > 0) nested.push(`package n:one@1.0.0 { ${bodies[1].join(' ')} }`);
  if (bodies[2].length > 0) nested.push(`package n:two { ${bodies[2].join(' ')} }`);
  for (const p of nested) parts.splice(1 + Math.floor(rand() * parts.length), 0, p);
  return parts.join('\n');
}

function ours(text) {
  try {
    parseWitPackage([{ path: 'm.wit', text }], [], { features: FEATURES });
    return 'ok';
  } catch (error) {
    return String(error.message).split('\n')[0];
  }
}

const ref = await loadReference();
if (ref === undefined) process.exit(0);
mkdirSync(OUT, { recursive: true });
const rand = mulberry32(SEED);
const stats = { inputs: 0, same: 0, differ: 0 };
for (let i = 0; i < INPUTS; i++) {
  const text = build(rand);
  const r = await referenceParse(ref, { source: text }, undefined, FEATURES);
  const theirs = r.ok ? 'ok' : r.error.split('\n')[0];
  const mine = ours(text);
  stats.inputs++;
  if (mine === theirs) stats.same++;
  else {
    stats.differ++;
    const detail = `ours:      ${mine}\nreference: ${theirs}\n\n// m.wit\n${text}\n`;
    writeFileSync(join(OUT, `message-${stats.differ}.txt`), detail);
  }
}
console.log(JSON.stringify({ reference: `jco-transpile ${ref.version}`, seed: SEED, ...stats }));
