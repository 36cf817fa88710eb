// Parse + resolve + encode every WASI package version in fixtures/wasi (127) in one process;
// prints the time per package and the total. Run after `npm run build`: node bench/wit-text.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseWitPackage } from '../dist/wit/parse.js';
import { encodeWitPackage } from '../dist/wit/encode/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/wasi');
const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8'));

function files(pkg, version) {
  const dir = join(ROOT, pkg, version);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wit'))
    .sort()
    .map((f) => ({ path: `${pkg}/${version}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
}

function closure(pkg, version, out = new Map()) {
  for (const [name, v] of Object.entries(index.packages[pkg].versions[version].dependencies)) {
    const short = name.split(':')[1];
    const key = `${short}@${v}`;
    if (out.has(key)) continue;
    out.set(key, [short, v]);
    closure(short, v, out);
  }
  return out;
}

// Read every input first so the timings measure the toolchain, not the disk.
const cases = [];
for (const [pkg, { versions }] of Object.entries(index.packages)) {
  for (const version of Object.keys(versions)) {
    const deps = [...closure(pkg, version).values()].map(([p, v]) => files(p, v));
    cases.push({ id: `wasi:${pkg}@${version}`, main: files(pkg, version), deps });
  }
}

const rows = [];
const total0 = performance.now();
for (const c of cases) {
  const t0 = performance.now();
  const { resolve, package: id } = parseWitPackage(c.main, c.deps);
  const t1 = performance.now();
  const bytes = encodeWitPackage(resolve, id, { producersVersion: 'bench' });
  const t2 = performance.now();
  rows.push({
    id: c.id,
    parse: t1 - t0,
    encode: t2 - t1,
    size: bytes.length,
    packages: resolve.packages.length,
  });
}
const total = performance.now() - total0;

const fmt = (ms) => ms.toFixed(2).padStart(8);
console.log(
  `${'package'.padEnd(34)} ${'parse+resolve ms'.padStart(16)} ${'encode ms'.padStart(9)} ${'bytes'.padStart(7)} pkgs`,
);
for (const r of rows) {
  console.log(
    `${r.id.padEnd(34)} ${fmt(r.parse).padStart(16)} ${fmt(r.encode).padStart(9)} ${String(r.size).padStart(7)} ${r.packages}`,
  );
}
const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
console.log(
  `\n${rows.length} package versions: total ${total.toFixed(1)} ms ` +
    `(parse+resolve ${sum('parse').toFixed(1)} ms, encode ${sum('encode').toFixed(1)} ms), ` +
    `mean ${(total / rows.length).toFixed(2)} ms per package (dependencies included)`,
);
