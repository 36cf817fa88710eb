// Differential fuzzing against wasm-tools: mutated corpus binaries go through our decoder+printer
// and through jco-transpile's `unpackWit` (wasm-tools built to Wasm, installed OUTSIDE the project:
// JCO_DIR, default /tmp/jco). Reports inputs where the main package prints differently, where we
// reject what wasm-tools accepts, and (counted only) where we accept what wasm-tools rejects.
//
//   npm run build && node bench/wit-diff.mjs [inputs=2000] [seed=1]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeWit, printWitPackage } from '../dist/wit/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'fixtures/corpus');
const INPUTS = Number(process.argv[2] ?? 2000);
const SEED = Number(process.argv[3] ?? 1);
const vendor = join(
  process.env.JCO_DIR ?? '/tmp/jco',
  'node_modules/@bytecodealliance/jco-transpile/vendor/js-component-bindgen-component.js',
);
if (!existsSync(vendor)) {
  console.log(`jco-transpile not found at ${vendor}; install it outside the project first`);
  process.exit(0);
}
// A Rust panic poisons the Wasm instance, so a fresh module instance is loaded after each trap.
let jco;
let generation = 0;
async function loadJco() {
  jco = await import(`${pathToFileURL(vendor).href}?generation=${generation++}`);
  if (jco.$init) await jco.$init;
}
await loadJco();

async function reference(bytes) {
  try {
    const files = jco.unpackWit(undefined, bytes);
    const map = files instanceof Map ? files : new Map(files);
    const text = map.get('package.wit');
    return { ok: true, text: typeof text === 'string' ? text : new TextDecoder().decode(text) };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) await loadJco();
    return { ok: false, error: JSON.stringify(error?.payload ?? String(error)).slice(0, 300) };
  }
}

function ours(bytes) {
  try {
    const { resolve, package: pkg } = decodeWit(bytes);
    return { ok: true, text: printWitPackage(resolve, pkg) };
  } catch (error) {
    return { ok: false, error: `${error.code ?? 'JS'}: ${error.message}` };
  }
}

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

const cases = [];
for (const folder of ['wit-component-interfaces', 'real-packages']) {
  for (const name of readdirSync(join(CORPUS, folder)).sort()) {
    const path = join(CORPUS, folder, name, `${name}.wasm`);
    if (existsSync(path)) cases.push(new Uint8Array(readFileSync(path)));
  }
}

const rand = mulberry32(SEED);
const stats = { bothOk: 0, same: 0, differ: 0, bothFail: 0, weRejectOnly: 0, weAcceptOnly: 0 };
let reported = 0;
for (let i = 0; i < INPUTS; i++) {
  const input = Uint8Array.from(cases[i % cases.length]);
  const flips = 1 + Math.floor(rand() * 2);
  for (let f = 0; f < flips; f++) {
    const at = 8 + Math.floor(rand() * (input.length - 8));
    input[at] = rand() < 0.5 ? input[at] ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
  }
  const a = ours(input);
  const b = await reference(input);
  let problem;
  if (a.ok && b.ok) {
    stats.bothOk++;
    if (a.text === b.text) stats.same++;
    else {
      stats.differ++;
      problem = 'prints differ';
    }
  } else if (!a.ok && !b.ok) stats.bothFail++;
  else if (!a.ok) {
    stats.weRejectOnly++;
    problem = `we reject (${a.error}) what wasm-tools accepts`;
  } else {
    stats.weAcceptOnly++;
    if (process.env.SHOW_LENIENT && stats.weAcceptOnly <= 15) {
      writeFileSync(`/tmp/wit-diff-${SEED}-${i}.wasm`, input);
      console.log(`input ${i}: we accept, wasm-tools says: ${b.error}`);
    }
  }
  if (problem !== undefined && reported++ < 10) {
    const file = `/tmp/wit-diff-${SEED}-${i}.wasm`;
    writeFileSync(file, input);
    console.log(`input ${i}: ${problem}; saved ${file}`);
  }
}
console.log(JSON.stringify(stats));
