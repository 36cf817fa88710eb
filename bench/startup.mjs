// bench/startup: whole-process wall time of the CLI, the figure a user feels, next to `node -e 0`
// (the floor: Node's own start-up) measured in the same run, paired (bench/result.mjs): each round
// runs `node -e 0` and then the command, for every command. Figures (issue 15's targets):
// - `wit-deps --version`: at most 1.2x `node -e 0`;
// - a no-op `wit-deps install` (a copy of examples/http-app, its `wasi` layout pointed at
//   fixtures/wasi-oci; locked, warm cache, wit/deps up to date; no network): at most 1.4x;
// - `wit-deps wit print wasi-http-0.2.0.wasm`: at most 1.4x.
// Prints the medians, min and max, the median of the per-pair ratios, PASS/MISS, and one
// `RESULT {...}` line per figure for `npm run bench`. Run after `npm run build`:
//   node bench/startup.mjs [ROUNDS=21]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pairedRuns, printResult, timeNode } from './result.mjs';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/wit-deps.js');
const WASM = join(ROOT, 'fixtures/corpus/real-packages/wasi-http-0.2.0/wasi-http-0.2.0.wasm');
const ROUNDS = Number(process.argv[2] ?? 21);

const SUBJECTS = [
  { figure: 'wit-deps --version', args: [BIN, '--version'], max: 1.2 },
  { figure: 'no-op install (locked, warm cache)', args: [BIN, 'install'], max: 1.4 },
  { figure: 'wit print wasi-http-0.2.0.wasm', args: [BIN, 'wit', 'print', WASM], max: 1.4 },
];

/** A copy of examples/http-app installed once: its lock written and the cache filled. */
function setUpProject(work) {
  const project = join(work, 'http-app');
  cpSync(join(ROOT, 'examples/http-app'), project, { recursive: true });
  const manifest = join(project, 'wit.toml');
  const text = readFileSync(manifest, 'utf8');
  writeFileSync(manifest, text.replace('../../fixtures/wasi-oci', join(ROOT, 'fixtures/wasi-oci')));
  const env = { ...process.env, WIT_DEPS_CACHE_DIR: join(work, 'cache'), CI: '1' };
  timeNode([BIN, 'install'], { cwd: project, env });
  return { cwd: project, env };
}

const ms = (v) => `${v.toFixed(0).padStart(4)} ms`;
const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-startup-'));
try {
  const options = setUpProject(work);
  console.log(
    `node ${process.version}, ${ROUNDS} paired rounds (node -e 0, then the command), wall time`,
  );
  for (const r of pairedRuns(['-e', '0'], SUBJECTS, ROUNDS, options)) {
    const sorted = [...r.times].sort((a, b) => a - b);
    const pass = r.ratio <= r.max;
    console.log(
      `${r.figure.padEnd(38)} median ${ms(r.median)} (min ${ms(sorted[0])}, max ${ms(sorted.at(-1))})` +
        `   node -e 0 ${ms(r.refMedian)}   ${r.ratio.toFixed(2)}x   target <= ${r.max}x ${pass ? 'PASS' : 'MISS'}`,
    );
    printResult({
      figure: `${r.figure} vs node -e 0`,
      value: Math.round(r.median * 10) / 10,
      reference: Math.round(r.refMedian * 10) / 10,
      ratio: Math.round(r.ratio * 100) / 100,
      max: r.max,
      pass,
      runs: ROUNDS,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
