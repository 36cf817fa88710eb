// Long fuzz run of the WIT decoder + printer: seeded mutations of every corpus binary, checking
// that only WitDepsError is ever thrown and no input takes long. Prints a reproducer (seed and
// input index, plus the input as hex in /tmp) on the first failure.
//
//   npm run build && node bench/wit-fuzz.mjs [inputs=200000] [seed=1]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WitDepsError } from '../dist/errors.js';
import { decodeWit, printWitAll } from '../dist/wit/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'fixtures/corpus');
const INPUTS = Number(process.argv[2] ?? 200_000);
const SEED = Number(process.argv[3] ?? 1);
const SLOW_MS = 250;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const INTERESTING = [
  0x00, 0x01, 0x02, 0x03, 0x40, 0x7f, 0x80, 0xff, 0x41, 0x42, 0x6a, 0x69, 0x63, 0x67,
];

function mutate(input, rand) {
  const int = (n) => Math.floor(rand() * n);
  const out = Uint8Array.from(input);
  const rounds = 1 + int(3);
  let cur = out;
  for (let r = 0; r < rounds; r++) {
    const at = 8 + int(Math.max(1, cur.length - 8));
    switch (int(7)) {
      case 0:
        cur[int(cur.length)] ^= 1 << int(8);
        break;
      case 1:
        cur[at] = INTERESTING[int(INTERESTING.length)];
        break;
      case 2:
        for (let i = 0; i < 1 + int(5) && at + i < cur.length; i++) cur[at + i] = 0xff;
        break;
      case 3:
        cur = cur.slice(0, int(cur.length));
        break;
      case 4:
        cur = concat(cur.subarray(0, at), cur.subarray(Math.min(cur.length, at + 1 + int(16))));
        break;
      case 5:
        cur = concat(
          cur.subarray(0, at),
          Uint8Array.from({ length: 1 + int(8) }, () => int(256)),
          cur.subarray(at),
        );
        break;
      default: {
        const from = int(cur.length);
        cur = concat(cur.subarray(0, at), cur.subarray(from, from + 1 + int(32)), cur.subarray(at));
      }
    }
  }
  return cur;
}

const cases = [];
for (const folder of ['wit-component-interfaces', 'real-packages']) {
  for (const name of readdirSync(join(CORPUS, folder)).sort()) {
    const path = join(CORPUS, folder, name, `${name}.wasm`);
    if (existsSync(path)) cases.push(new Uint8Array(readFileSync(path)));
  }
}

const rand = mulberry32(SEED);
const codes = {};
let decoded = 0;
let slowest = 0;
const start = performance.now();
for (let i = 0; i < INPUTS; i++) {
  const input = mutate(cases[i % cases.length], rand);
  const t = performance.now();
  try {
    const { resolve, package: pkg } = decodeWit(
      input,
      i % 4 === 0 ? { maxVecLength: 16, maxDepth: 4, maxTypes: 200 } : {},
    );
    printWitAll(resolve, pkg);
    decoded++;
  } catch (error) {
    if (!(error instanceof WitDepsError)) {
      const file = `/tmp/wit-fuzz-seed${SEED}-input${i}.hex`;
      writeFileSync(file, Buffer.from(input).toString('hex'));
      console.error(
        `FAIL at input ${i} (seed ${SEED}): ${error?.stack ?? error}\ninput written to ${file}`,
      );
      process.exit(1);
    }
    codes[error.code] = (codes[error.code] ?? 0) + 1;
  }
  const ms = performance.now() - t;
  slowest = Math.max(slowest, ms);
  if (ms > SLOW_MS) console.warn(`slow input ${i}: ${ms.toFixed(0)} ms`);
}
const secs = (performance.now() - start) / 1e3;
console.log(
  `${INPUTS} inputs (seed ${SEED}) in ${secs.toFixed(1)} s (${(INPUTS / secs).toFixed(0)}/s): ${decoded} decoded, errors ${JSON.stringify(codes)}, slowest ${slowest.toFixed(1)} ms`,
);
