// The shared result convention of the benchmarks (bench/README.md): a script with targets prints,
// besides its human output, one line per figure on stdout:
//   RESULT {"figure":"...","value":1.23,"reference":1.0,"ratio":1.23,"target":"ratio <= 1.2","pass":false}
// `npm run bench` (bench/run-all.mjs) runs every bench script that imports this module and prints
// one table of those lines. Also here: paired whole-process timing (`pairedRuns`) and medians.
import { spawnSync } from 'node:child_process';

export const RESULT_PREFIX = 'RESULT ';

/**
 * Prints one result line. `value` and `reference` are in `unit` (default `ms`); `ratio` is
 * value / reference unless given; `max` (or `min`) is the target on the ratio, `pass` is decided
 * from it unless given. `target` is the text the table shows (default `<= <max>x`).
 */
export function printResult({
  figure,
  value,
  reference,
  unit = 'ms',
  ratio,
  max,
  min,
  target,
  pass,
  ...extra
}) {
  const r = ratio ?? (reference ? value / reference : undefined);
  const shown =
    target ?? (max !== undefined ? `<= ${max}x` : min !== undefined ? `>= ${min}x` : '');
  const passed = pass ?? (max !== undefined ? r <= max : min !== undefined ? r >= min : undefined);
  const line = { figure, value, reference, unit, ratio: r, target: shown, pass: passed, ...extra };
  console.log(RESULT_PREFIX + JSON.stringify(line));
  return line;
}

/** The median of numbers (the lower middle one for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Wall milliseconds of one `node <args>` process; throws on a non-zero exit. */
export function timeNode(args, { cwd, env } = {}) {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

/**
 * Paired runs: each round runs, for every subject, the reference and then the subject (so both
 * see the same machine load), after one warm-up run of each. Returns, per subject, its times,
 * the reference times of its pairs, their medians and the median of the per-pair ratios.
 */
export function pairedRuns(reference, subjects, rounds, options = {}) {
  timeNode(reference, options);
  for (const s of subjects) timeNode(s.args, options);
  const samples = subjects.map(() => ({ times: [], refs: [] }));
  for (let i = 0; i < rounds; i++) {
    subjects.forEach((s, j) => {
      samples[j].refs.push(timeNode(reference, options));
      samples[j].times.push(timeNode(s.args, options));
    });
  }
  return subjects.map((s, j) => {
    const { times, refs } = samples[j];
    return {
      ...s,
      times,
      refs,
      median: median(times),
      refMedian: median(refs),
      ratio: median(times.map((t, i) => t / refs[i])),
    };
  });
}
