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
import { mulberry32, mutate } from './mutate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'fixtures/corpus');
const INPUTS = Number(process.argv[2] ?? 200_000);
const SEED = Number(process.argv[3] ?? 1);
const SLOW_MS = 250;

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
