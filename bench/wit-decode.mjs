// Benchmark: decode + print every corpus binary N times (warm, in process), then time whole
// `wit-deps wit print` processes for wasi:http@0.2.0 and, when jco-transpile is installed
// outside the project (JCO_DIR, default /tmp/jco), a Node process loading the Wasm build of
// wasm-tools doing the same (`unpackWit`), and print the ratio.
//
//   npm run build && node bench/wit-decode.mjs [N=200]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWit, printWitAll } from '../dist/wit/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'fixtures/corpus');
const N = Number(process.argv[2] ?? 200);
const TARGET_MS = 5;

function binaries() {
  const out = [];
  for (const folder of ['wit-component-interfaces', 'real-packages']) {
    for (const name of readdirSync(join(CORPUS, folder)).sort()) {
      const path = join(CORPUS, folder, name, `${name}.wasm`);
      if (existsSync(path))
        out.push({ id: `${folder}/${name}`, path, bytes: new Uint8Array(readFileSync(path)) });
    }
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeDecodePrint(bytes) {
  for (let i = 0; i < 20; i++) {
    const { resolve, package: pkg } = decodeWit(bytes);
    printWitAll(resolve, pkg);
  }
  const samples = [];
  for (let i = 0; i < N; i++) {
    const start = performance.now();
    const { resolve, package: pkg } = decodeWit(bytes);
    printWitAll(resolve, pkg);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function timeProcess(cmd, args, runs = 7) {
  execFileSync(cmd, args, { stdio: 'ignore' });
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(cmd, args, { stdio: 'ignore' });
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function jcoScript(jcoDir) {
  const vendor = join(
    jcoDir,
    'node_modules/@bytecodealliance/jco-transpile/vendor/js-component-bindgen-component.js',
  );
  if (!existsSync(vendor)) return undefined;
  const script = join(mkdtempSync(join(tmpdir(), 'wit-bench-')), 'jco-unpack.mjs');
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
import * as m from ${JSON.stringify(vendor)};
if (m.$init) await m.$init;
const files = m.unpackWit(undefined, readFileSync(process.argv[2]));
const text = files instanceof Map ? files.get('package.wit') : Object.fromEntries(files)['package.wit'];
process.stdout.write(typeof text === 'string' ? text : new TextDecoder().decode(text));
`,
  );
  return script;
}

let total = 0;
let totalBytes = 0;
let httpMs;
console.log(`decode + print (warm, median of ${N}):`);
for (const { id, bytes } of binaries()) {
  const ms = timeDecodePrint(bytes);
  total += ms;
  totalBytes += bytes.length;
  if (id === 'real-packages/wasi-http-0.2.0') httpMs = ms;
  const mbs = bytes.length / 1e6 / (ms / 1e3);
  console.log(
    `  ${id.padEnd(58)} ${String(bytes.length).padStart(7)} B ${ms.toFixed(3).padStart(8)} ms ${mbs.toFixed(1).padStart(7)} MB/s`,
  );
}
console.log(
  `  all ${totalBytes} bytes: ${total.toFixed(2)} ms, ${(totalBytes / 1e6 / (total / 1e3)).toFixed(1)} MB/s`,
);
console.log(
  `wasi:http@0.2.0 warm: ${httpMs.toFixed(3)} ms (target < ${TARGET_MS} ms: ${httpMs < TARGET_MS ? 'met' : 'MISSED'})`,
);

const http = join(CORPUS, 'real-packages/wasi-http-0.2.0/wasi-http-0.2.0.wasm');
const ours = timeProcess(process.execPath, [join(ROOT, 'bin/wit-deps.js'), 'wit', 'print', http]);
console.log(
  `process: wit-deps wit print wasi-http-0.2.0.wasm: ${ours.toFixed(0)} ms (median of 7)`,
);
const script = jcoScript(process.env.JCO_DIR ?? '/tmp/jco');
if (script === undefined) {
  console.log(
    'reference: jco-transpile not found (install it outside the project: JCO_DIR=/tmp/jco, npm i @bytecodealliance/jco-transpile)',
  );
} else {
  const ref = timeProcess(process.execPath, [script, http]);
  console.log(
    `reference: node + jco-transpile unpackWit (wasm-tools as Wasm): ${ref.toFixed(0)} ms (median of 7)`,
  );
  const verdict =
    ours <= ref ? `${(ref / ours).toFixed(2)}x faster` : `${(ours / ref).toFixed(2)}x slower`;
  console.log(`ratio: wit-deps takes ${(ours / ref).toFixed(2)}x the reference time (${verdict})`);
}
