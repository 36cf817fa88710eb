// Benchmark: how the WIT toolchain grows with input size, for N interfaces (10k, 20k, 40k by
// default), timed in this process:
//   text    parse + resolve one package whose interfaces form a chain (each `use`s a type of the
//           previous one, declared in reverse order so the resolver must sort them) and a world
//           exporting all of them
//   decode  decode + print a binary package of N independent interfaces exported by one world
//           (a chain cannot be used here: the binary format repeats every interface's transitive
//           dependencies inside it, so a chain's binary is quadratic in size by definition)
// Each figure is the median of RUNS runs after one warm-up. The 10k figure is the reference: the
// ratio of the 40k figure to it is about 4 for linear growth and 16 for quadratic; the target is
// at most 4.5 (linear with some slack for the garbage collector).
//
//   npm run build && node bench/wit-scale.mjs [sizes=10000,20000,40000] [runs=3]
import { performance } from 'node:perf_hooks';
import { decodeWit, printWitAll } from '../dist/wit/index.js';
import { encodeWitPackage } from '../dist/wit/encode/index.js';
import { parseWitPackage } from '../dist/wit/parse.js';

const SIZES = (process.argv[2] ?? '10000,20000,40000').split(',').map(Number);
const RUNS = Number(process.argv[3] ?? 3);
const TARGET_RATIO = 4.5;

/** The WIT text of a package with `n` chained interfaces, declared last-first. */
export function chainPackage(n) {
  const parts = ['package bench:scale@1.0.0;\n'];
  for (let i = n - 1; i >= 0; i--) {
    const use = i === 0 ? '' : `  use i${i - 1}.{r as p};\n`;
    const fn = i === 0 ? '  f: func(a: r) -> r;\n' : '  f: func(a: p) -> r;\n';
    parts.push(`interface i${i} {\n${use}  record r { x: u32 }\n${fn}}\n`);
  }
  parts.push('world w {\n');
  for (let i = 0; i < n; i++) parts.push(`  export i${i};\n`);
  parts.push('}\n');
  return parts.join('');
}

/** The WIT text of a package with `n` independent interfaces. */
export function flatPackage(n) {
  const parts = ['package bench:flat@1.0.0;\n'];
  for (let i = 0; i < n; i++)
    parts.push(`interface i${i} {\n  record r { x: u32 }\n  f: func(a: r) -> r;\n}\n`);
  parts.push('world w {\n');
  for (let i = 0; i < n; i++) parts.push(`  export i${i};\n`);
  parts.push('}\n');
  return parts.join('');
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(fn) {
  fn();
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function measure(n) {
  const text = chainPackage(n);
  const files = [{ path: 'scale.wit', text }];
  const textMs = time(() => parseWitPackage(files));
  const flat = parseWitPackage([{ path: 'flat.wit', text: flatPackage(n) }]);
  const { resolve, package: pkg } = flat;
  const bytes = encodeWitPackage(resolve, pkg, { producersVersion: 'bench' });
  const decodeMs = time(() => {
    const decoded = decodeWit(bytes);
    printWitAll(decoded.resolve, decoded.package);
  });
  return { n, textBytes: text.length, wasmBytes: bytes.length, textMs, decodeMs };
}

const rows = SIZES.map(measure);
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log('items    text KB  wasm KB  parse+resolve  decode+print');
for (const r of rows) {
  console.log(
    `${String(r.n).padEnd(8)} ${String(Math.round(r.textBytes / 1024)).padStart(7)}  ${String(
      Math.round(r.wasmBytes / 1024),
    ).padStart(7)}  ${fmt(r.textMs).padStart(13)}  ${fmt(r.decodeMs).padStart(12)}`,
  );
}
const [first] = rows;
const last = rows[rows.length - 1];
const growth = last.n / first.n;
const target = (TARGET_RATIO * growth) / 4;
let missed = false;
for (const [label, key] of [
  ['parse+resolve', 'textMs'],
  ['decode+print', 'decodeMs'],
]) {
  const ratio = last[key] / first[key];
  const ok = ratio <= target;
  missed ||= !ok;
  console.log(
    `${label}: ${last.n} items take ${ratio.toFixed(2)}x the time of ${first.n} (input ${growth}x; target <= ${target.toFixed(2)}x) ${ok ? 'PASS' : 'MISS'}`,
  );
}
process.exitCode = missed ? 1 : 0;
