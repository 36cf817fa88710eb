// Helpers of the network benchmarks (oci-pull, oci-tags, oci-push, install): whole processes of
// any program (wit-deps, skopeo) timed and measured the same way, interleaved so both sides see
// the same machine load, and the fixtures they need (a large valid component, the wasi closure).
import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { median } from './result.mjs';

export const ROOT = join(import.meta.dirname, '..');
export const CLI = join(ROOT, 'bin/wit-deps.js');

/** Runs `cmd args` to completion; returns its wall milliseconds; throws on a non-zero exit. */
export function timeCmd(cmd, args, options = {}) {
  const started = performance.now();
  const child = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  const ms = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

/** Peak RSS in MB of one `cmd args` process, read by `/usr/bin/time -f %M` (the same for every program). */
export function peakRssMb(cmd, args, options = {}) {
  const out = join(
    options.tmp ?? '/tmp',
    `rss-${process.pid}-${Math.random().toString(36).slice(2)}`,
  );
  try {
    const child = spawnSync('/usr/bin/time', ['-f', '%M', '-o', out, cmd, ...args], {
      encoding: 'utf8',
      ...options,
    });
    if (child.status !== 0)
      throw new Error(`${cmd} ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
    return Number(readFileSync(out, 'utf8').trim().split('\n').pop()) / 1024;
  } finally {
    rmSync(out, { force: true });
  }
}

/**
 * Runs each side once to warm up, then `rounds` rounds of every side in turn (`measure(side)`
 * returns a number). Returns per side its values and median, and per side the median of its
 * per-round ratios to `sides[0]` (the reference).
 */
export function interleave(sides, rounds, measure = (side) => side.run()) {
  for (const side of sides) measure(side);
  const values = sides.map(() => []);
  for (let i = 0; i < rounds; i++) sides.forEach((side, j) => values[j].push(measure(side)));
  return sides.map((side, j) => ({
    name: side.name,
    values: values[j],
    median: median(values[j]),
    ratio: median(values[j].map((v, i) => v / values[0][i])),
  }));
}

/** `ms` or `MB` with one decimal. */
export const fmt = (n) => n.toFixed(1);

/** A valid component of `size` MiB: the greeter fixture plus one custom section of padding. */
export async function writeComponent(path, size) {
  const head = readFileSync(join(ROOT, 'fixtures/components/greeter.wasm'));
  const name = Buffer.from('padding');
  const payload = size * 2 ** 20;
  const bodyLen = 1 + name.length + payload;
  const leb = [];
  for (let n = bodyLen; ;) {
    const byte = n & 0x7f;
    n = Math.floor(n / 128);
    leb.push(n === 0 ? byte : byte | 0x80);
    if (n === 0) break;
  }
  const out = createWriteStream(path);
  out.write(Buffer.concat([head, Buffer.of(0, ...leb, name.length), name]));
  const block = Buffer.alloc(2 ** 20);
  for (let i = 0; i < size; i++) {
    block.writeUInt32LE(i, 0);
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

/** Parses `--name value` numbers from argv. */
export function numberOption(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(args[i + 1]);
}
