// Differential fuzzing against wasm-tools: mutated corpus binaries (and the WASI binaries in
// fixtures/) go through our decoder+printer and through jco-transpile's `unpackWit` (wasm-tools
// built to Wasm, installed OUTSIDE the project: JCO_DIR, default /tmp/jco). Every disagreement is
// classified: we accept what wasm-tools rejects (by its message), we reject what it accepts (by
// our message), or both accept and some printed file (main package or a deps/ package) differs.
// One sample per class is saved under OUT (default /tmp/wit-diff).
//
//   npm run build && node bench/wit-diff.mjs [inputs=2000] [seed=1] [mutator=mutate|flip]
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeWit, packageDirName, printWitPackage } from '../dist/wit/index.js';
import { flip, mulberry32, mutate } from './mutate.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const INPUTS = Number(process.argv[2] ?? 2000);
const SEED = Number(process.argv[3] ?? 1);
const MUTATOR = process.argv[4] === 'flip' ? flip : mutate;
const OUT = process.env.OUT ?? '/tmp/wit-diff';
const vendor = join(
  process.env.JCO_DIR ?? '/tmp/jco',
  'node_modules/@bytecodealliance/jco-transpile/vendor/js-component-bindgen-component.js',
);
if (!existsSync(vendor)) {
  console.log(`jco-transpile not found at ${vendor}; install it outside the project first`);
  process.exit(0);
}
// wasm-tools reports a Rust panic on stderr: keep it, so a panic is classified by its message.
let panicText = '';
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  const piece = typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
  if (/panicked at|^\S/.test(piece)) panicText += piece;
  else writeStderr(chunk, ...rest);
  return true;
};
const panicMessage = () =>
  panicText.split('\n').find((line) => line.length > 0 && !/^(thread|stack|note)/.test(line)) ?? '';

// A Rust panic poisons the Wasm instance, so a fresh module instance is loaded after each trap.
let jco;
let generation = 0;
async function loadJco() {
  jco = await import(`${pathToFileURL(vendor).href}?generation=${generation++}`);
  if (jco.$init) await jco.$init;
}
await loadJco();

const text = (t) => (typeof t === 'string' ? t : new TextDecoder().decode(t));

async function reference(bytes) {
  panicText = '';
  try {
    const files = jco.unpackWit(undefined, bytes);
    const map = files instanceof Map ? files : new Map(files);
    return { ok: true, files: new Map([...map].map(([k, v]) => [k, text(v)])) };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      await loadJco();
      return { ok: false, error: `panic: ${panicMessage()}` };
    }
    return {
      ok: false,
      error: String(error?.payload?.val ?? error?.payload ?? error).slice(0, 300),
    };
  }
}

function ours(bytes) {
  try {
    const { resolve, package: pkg } = decodeWit(bytes);
    const files = new Map([['package.wit', printWitPackage(resolve, pkg)]]);
    resolve.packages.forEach((_, id) => {
      if (id !== pkg)
        files.set(`deps/${packageDirName(resolve, id)}/package.wit`, printWitPackage(resolve, id));
    });
    return { ok: true, files };
  } catch (error) {
    if (error?.code === undefined) throw error;
    return { ok: false, error: `${error.code}: ${error.message}` };
  }
}

function firstDifference(a, b) {
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(key) !== b.get(key)) return key;
  }
  return undefined;
}

/** A message with numbers, names and offsets blanked, so that one cause is one class. */
const shape = (message) =>
  message
    .replace(/`[^`]*`/g, '`_`')
    .replace(/"[^"]*"/g, '"_"')
    .replace(/0x[0-9a-f]+/gi, 'N')
    .replace(/\d+/g, 'N')
    .split('\n')[0]
    .slice(0, 140);

const cases = [];
for (const dir of ['corpus/wit-component-interfaces', 'corpus/real-packages', 'wit-decode/wasi']) {
  for (const name of readdirSync(join(ROOT, 'fixtures', dir)).sort()) {
    const path = join(ROOT, 'fixtures', dir, name, `${name}.wasm`);
    if (existsSync(path)) cases.push(new Uint8Array(readFileSync(path)));
  }
}
const pm = join(ROOT, 'fixtures/pm/wasi-binaries');
for (const name of readdirSync(pm).sort()) {
  if (name.endsWith('.wasm')) cases.push(new Uint8Array(readFileSync(join(pm, name))));
}

const rand = mulberry32(SEED);
const stats = {
  inputs: 0,
  bothOk: 0,
  same: 0,
  differ: 0,
  bothFail: 0,
  weRejectOnly: 0,
  weAcceptOnly: 0,
};
const classes = new Map();
mkdirSync(OUT, { recursive: true });
function record(kind, detail, input, i) {
  const key = `${kind}: ${detail}`;
  const entry = classes.get(key) ?? { count: 0, sample: `${OUT}/seed${SEED}-input${i}.wasm` };
  if (entry.count++ === 0) writeFileSync(entry.sample, input);
  classes.set(key, entry);
}
for (let i = 0; i < INPUTS; i++) {
  const input = MUTATOR(cases[i % cases.length], rand);
  stats.inputs++;
  const a = ours(input);
  const b = await reference(input);
  if (a.ok && b.ok) {
    stats.bothOk++;
    const key = firstDifference(a.files, b.files);
    if (key === undefined) stats.same++;
    else {
      stats.differ++;
      record('prints differ', key.startsWith('deps/') ? 'a deps/ file' : key, input, i);
    }
  } else if (!a.ok && !b.ok) stats.bothFail++;
  else if (!a.ok) {
    stats.weRejectOnly++;
    record('we reject', shape(a.error), input, i);
  } else {
    stats.weAcceptOnly++;
    record('we accept', shape(b.error), input, i);
  }
}
console.log(JSON.stringify(stats));
for (const [key, { count, sample }] of [...classes].sort((x, y) => y[1].count - x[1].count)) {
  console.log(`${String(count).padStart(6)}  ${key}  (${sample})`);
}
