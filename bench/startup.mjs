// bench/startup: whole-process wall time of the CLI, the figure a user feels: `--version`,
// `wit print <file.wasm>` and a locked install with a warm cache (a copy of examples/http-app,
// its `wasi` layout pointed at fixtures/wasi-oci; no network), next to `node -e 0` (the floor:
// Node's own startup). Each command runs once to warm up, then RUNS times; prints min, median
// and max in ms. Run after `npm run build`: node bench/startup.mjs [RUNS]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/wit-deps.js');
const WASM = join(ROOT, 'fixtures/pm/wasi-binaries/wasi-http-0.2.3.wasm');
const RUNS = Number(process.argv[2] ?? 15);

/** Wall milliseconds of one run; fails on a non-zero exit. */
function once(args, cwd, env) {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stderr}`);
  return ms;
}

function measure(label, args, cwd, env) {
  once(args, cwd, env);
  const times = Array.from({ length: RUNS }, () => once(args, cwd, env)).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const fmt = (ms) => `${ms.toFixed(0).padStart(5)} ms`;
  console.log(
    `${label.padEnd(42)} median ${fmt(median)}   min ${fmt(times[0])}   max ${fmt(times.at(-1))}`,
  );
}

const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-startup-'));
try {
  const project = join(work, 'http-app');
  cpSync(join(ROOT, 'examples/http-app'), project, { recursive: true });
  const manifest = join(project, 'wit.toml');
  writeFileSync(
    manifest,
    readFileSync(manifest, 'utf8').replace(
      '../../fixtures/wasi-oci',
      join(ROOT, 'fixtures/wasi-oci'),
    ),
  );
  const env = { ...process.env, WIT_DEPS_CACHE_DIR: join(work, 'cache'), CI: '1' };
  once([BIN, 'install'], project, env); // writes the lock and fills the cache
  console.log(`node ${process.version}, ${RUNS} runs each, whole process, wall time`);
  measure('node -e 0 (Node startup alone)', ['-e', '0'], project, env);
  measure('wit-deps --version', [BIN, '--version'], project, env);
  measure('wit-deps wit print wasi-http.wasm', [BIN, 'wit', 'print', WASM], project, env);
  measure('wit-deps install --frozen (locked, warm)', [BIN, 'install', '--frozen'], project, env);
} finally {
  rmSync(work, { recursive: true, force: true });
}
