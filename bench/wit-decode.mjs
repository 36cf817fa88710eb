// Benchmark: decode + print binary WIT packages, warm, in one process, against the reference,
// wasm-tools built to Wasm as shipped in `@bytecodealliance/jco-transpile` (`unpackWit`, which
// decodes a binary WIT package and prints every package in it, as `wit print --out-dir` does).
//
// 1. Every corpus binary on its own (median of N decode + print runs): time and MB/s.
// 2. Paired, warm, in this one process: `wit print wasi-http-0.2.0.wasm` (decode, then print each
//    package: the main one and its three dependencies) and all 127 WASI package versions of
//    fixtures/wasi, encoded to binaries by wit-deps' encoder before timing (untimed). Each round
//    times a batch of ours and a batch of the reference, alternating which goes first; figures
//    are the medians over the rounds and the ratio is the median of the per-round ratios.
//    Before timing, every printed file is compared with the reference's file of the same path.
// 3. Whole processes: `wit-deps wit print wasi-http-0.2.0.wasm` and a Node process running
//    `unpackWit` on the same file (median of 7 each), for information (start-up dominates).
//
// The reference is installed OUTSIDE the project (too heavy to be a dependency):
//   npm i --prefix /tmp/jco @bytecodealliance/jco-transpile   (or any DIR: --jco=DIR or JCO_DIR)
//
//   npm run build && node bench/wit-decode.mjs [--corpus-runs=200] [--rounds=21] [--jco=DIR]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeWit, packageDirName, printWitPackage } from '../dist/wit/index.js';
import { encodeWitPackage } from '../dist/wit/encode/index.js';
import { parseWitPackage } from '../dist/wit/parse.js';
import { wasiInputs } from './wit-text-inputs.mjs';
import { printResult } from './result.mjs';
import { jcoDir, loadUnpack, REFERENCE_INSTALL, unpackScript } from './wit-reference.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'fixtures/corpus');
const HTTP = join(CORPUS, 'real-packages/wasi-http-0.2.0/wasi-http-0.2.0.wasm');
const flag = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : arg.slice(name.length + 3);
};
const CORPUS_RUNS = Number(flag('corpus-runs', 200));
const ROUNDS = Number(flag('rounds', 21));
/** Target: the reference takes at least this many times as long as wit-deps ("2x faster"). */
const TARGET = 2;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** What `wit print --out-dir` writes: `package.wit` for the main package, `deps/<dir>/...`. */
function ours(bytes) {
  const { resolve, package: main } = decodeWit(bytes);
  const files = new Map();
  for (let id = 0; id < resolve.packages.length; id++) {
    const path = id === main ? 'package.wit' : `deps/${packageDirName(resolve, id)}/package.wit`;
    files.set(path, printWitPackage(resolve, id));
  }
  return files;
}

function corpusBinaries() {
  const out = [];
  for (const folder of ['wit-component-interfaces', 'real-packages']) {
    for (const name of readdirSync(join(CORPUS, folder)).sort()) {
      const path = join(CORPUS, folder, name, `${name}.wasm`);
      if (existsSync(path))
        out.push({ id: `${folder}/${name}`, bytes: new Uint8Array(readFileSync(path)) });
    }
  }
  return out;
}

function timeEach(fn, runs) {
  for (let i = 0; i < 20; i++) fn();
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function corpusTable() {
  let total = 0;
  let totalBytes = 0;
  console.log(`decode + print, each corpus binary (warm, median of ${CORPUS_RUNS}):`);
  for (const { id, bytes } of corpusBinaries()) {
    const ms = timeEach(() => ours(bytes), CORPUS_RUNS);
    total += ms;
    totalBytes += bytes.length;
    const mbs = bytes.length / 1e6 / (ms / 1e3);
    console.log(
      `  ${id.padEnd(58)} ${String(bytes.length).padStart(7)} B ${ms.toFixed(3).padStart(8)} ms ${mbs.toFixed(1).padStart(7)} MB/s`,
    );
  }
  console.log(
    `  all ${totalBytes} bytes: ${total.toFixed(2)} ms, ${(totalBytes / 1e6 / (total / 1e3)).toFixed(1)} MB/s`,
  );
}

/** The 127 WASI package versions as binaries (wit-deps' encoder, checked against wasm-tools). */
function wasiBinaries() {
  return wasiInputs().map((w) => {
    const { resolve, package: id } = parseWitPackage(w.files, w.deps);
    return { id: w.name, bytes: encodeWitPackage(resolve, id, { producersVersion: 'bench' }) };
  });
}

/** Compares every file of ours with the reference's; returns the differences. */
function compareOutputs(inputs, unpack) {
  const diffs = [];
  let files = 0;
  for (const { id, bytes } of inputs) {
    const mine = ours(bytes);
    const theirs = unpack(bytes);
    for (const path of new Set([...mine.keys(), ...theirs.keys()])) {
      files++;
      if (mine.get(path) !== theirs.get(path)) diffs.push(`${id}: ${path}`);
    }
  }
  return { files, diffs };
}

/**
 * Paired rounds: a batch of ours and a batch of the reference per round, order alternating.
 * Times are per batch divided by `per` (the runs in one batch).
 */
function paired(batchOurs, batchRef, rounds, per) {
  for (let i = 0; i < 3; i++) {
    batchOurs();
    batchRef();
  }
  const mine = [];
  const theirs = [];
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    const time = (fn) => {
      const start = performance.now();
      fn();
      return performance.now() - start;
    };
    let a;
    let b;
    if (i % 2 === 0) {
      a = time(batchOurs);
      b = time(batchRef);
    } else {
      b = time(batchRef);
      a = time(batchOurs);
    }
    mine.push(a);
    theirs.push(b);
    ratios.push(b / a);
  }
  return { value: median(mine) / per, reference: median(theirs) / per, ratio: median(ratios) };
}

function report(figure, m, note) {
  const verdict = m.ratio >= TARGET ? 'PASS' : 'MISS';
  console.log(
    `${figure}: wit-deps ${m.value.toFixed(3)} ms, reference ${m.reference.toFixed(3)} ms: ` +
      `${m.ratio.toFixed(2)}x faster (median of ${ROUNDS} paired ratios; target >= ${TARGET}x faster: ${verdict})`,
  );
  // The ratio is reference / wit-deps (how many times faster), the median of the paired ones.
  printResult({
    figure,
    value: Number(m.value.toFixed(3)),
    reference: Number(m.reference.toFixed(3)),
    ratio: Number(m.ratio.toFixed(2)),
    min: TARGET,
    target: `>= ${TARGET}x faster`,
    rounds: ROUNDS,
    note,
  });
}

function unavailable(figure, value) {
  console.log(`${figure}: wit-deps ${value.toFixed(3)} ms; reference unavailable`);
  printResult({ figure, value: Number(value.toFixed(3)), note: 'reference unavailable' });
}

function timeProcess(args, runs = 7) {
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    samples.push(performance.now() - start);
  }
  return median(samples);
}

corpusTable();

const http = [{ id: 'wasi-http-0.2.0', bytes: new Uint8Array(readFileSync(HTTP)) }];
const wasi = wasiBinaries();
const FIG_HTTP = 'wit print wasi-http-0.2.0.wasm, warm, vs jco unpackWit';
const FIG_WASI = `decode + print all ${wasi.length} WASI versions, warm, vs jco unpackWit`;
const batch = (inputs, fn, times) => () => {
  for (let i = 0; i < times; i++) for (const { bytes } of inputs) fn(bytes);
};
const unpack = await loadUnpack(jcoDir());
if (unpack === undefined) {
  console.log(`reference unavailable: install with ${REFERENCE_INSTALL}`);
  unavailable(
    FIG_HTTP,
    timeEach(() => ours(http[0].bytes), 200),
  );
  unavailable(FIG_WASI, timeEach(batch(wasi, ours, 1), 21));
} else {
  for (const [what, inputs] of [
    ['wasi-http-0.2.0', http],
    [`${wasi.length} WASI versions`, wasi],
  ]) {
    const { files, diffs } = compareOutputs(inputs, unpack);
    console.log(
      `output of ${what}: ${files - diffs.length} of ${files} files identical to the reference` +
        (diffs.length > 0 ? `; differ: ${diffs.slice(0, 10).join(', ')}` : ''),
    );
  }
  const same = 'same input, same files printed, warm';
  report(FIG_HTTP, paired(batch(http, ours, 20), batch(http, unpack, 20), ROUNDS, 20), same);
  report(FIG_WASI, paired(batch(wasi, ours, 1), batch(wasi, unpack, 1), ROUNDS, 1), same);
}

const cli = timeProcess([join(ROOT, 'bin/wit-deps.js'), 'wit', 'print', HTTP]);
console.log(`process: wit-deps wit print wasi-http-0.2.0.wasm: ${cli.toFixed(0)} ms (median of 7)`);
const script = unpack === undefined ? undefined : unpackScript(jcoDir());
if (script !== undefined) {
  const ref = timeProcess([script, HTTP]);
  console.log(
    `process: node + jco-transpile unpackWit: ${ref.toFixed(0)} ms (median of 7); ` +
      `wit-deps takes ${(cli / ref).toFixed(2)}x the reference time (start-up included)`,
  );
}
