// bench/oci-pull: pulls from a local docker-registry, like for like against skopeo, each side a
// whole process measured the same way (interleaved rounds, medians):
//   1. one small artifact (2 KiB layer): `wit-deps oci pull` vs `skopeo copy` (and `node -e 0`,
//      the floor of any Node process, for scale);
//   2. a batch of 100 small artifacts in one process each: our API (8 in parallel) vs
//      `skopeo sync` of the same 100 images;
//   3. a 200 MiB artifact: `wit-deps oci pull` vs `skopeo copy`, peak RSS by `/usr/bin/time -f %M`.
// Targets (docs/performance.md): 1. <= 1.2x skopeo; 3. <= 50 MB peak RSS.
// Run after `npm run build`: node bench/oci-pull.mjs [--rounds 11] [--count 100] [--big-mb 200]
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClients, pullWitPackage, pushWitPackage } from '../dist/oci/index.js';
import {
  CLI,
  fmt,
  interleave,
  numberOption,
  peakRssMb,
  timeCmd,
  writeComponent,
} from './net-bench.mjs';
import { startRegistry } from './registry.mjs';
import { printResult } from './result.mjs';

const node = process.execPath;

async function pool(items, parallel, work) {
  let next = 0;
  const runners = Array.from({ length: parallel }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  });
  await Promise.all(runners);
}

/** `skopeo copy` of `ref` into a fresh OCI layout (fresh: skopeo skips blobs a layout has). */
function skopeoCopy(host, ref, dir) {
  rmSync(dir, { recursive: true, force: true });
  return [
    'skopeo',
    ['copy', '-q', '--src-tls-verify=false', `docker://${host}/${ref}`, `oci:${dir}:x`],
  ];
}

function ociPull(host, ref, out) {
  return [node, [CLI, '--quiet', 'oci', 'pull', `${host}/${ref}`, '-o', out, '--force']];
}

function singlePull(host, work, rounds) {
  const sides = [
    {
      name: 'skopeo copy',
      cmd: () => skopeoCopy(host, 'bench/small:1.0.0', join(work, 'sk-small')),
    },
    {
      name: 'wit-deps oci pull',
      cmd: () => ociPull(host, 'bench/small:1.0.0', join(work, 'small.wasm')),
    },
    { name: 'node -e 0', cmd: () => [node, ['-e', '0']] },
  ];
  const [sk, ours, bare] = interleave(sides, rounds, (side) => timeCmd(...side.cmd()));
  console.log(
    `one small pull (2 KiB layer), whole processes, ${rounds} interleaved rounds, medians:`,
  );
  console.log(
    `  skopeo copy ${fmt(sk.median)} ms; wit-deps oci pull ${fmt(ours.median)} ms (${ours.ratio.toFixed(2)}x); node -e 0 ${fmt(bare.median)} ms (${bare.ratio.toFixed(2)}x: the floor of a Node process)`,
  );
  printResult({
    figure: 'one small oci pull vs one skopeo copy',
    value: ours.median,
    reference: sk.median,
    ratio: ours.ratio,
    max: 1.2,
    floor: { figure: 'node -e 0 vs skopeo copy', ratio: bare.ratio },
  });
}

async function batch(host, work, count) {
  const names = Array.from({ length: count }, (_, i) => `bench/pkg${i}`);
  const pusher = new OciClients();
  await pool(names, 8, (name) =>
    pushWitPackage(pusher.registry(host), name, '1.0.0', {
      layer: randomBytes(2048),
      title: 'pkg.wasm',
    }),
  );
  await pusher.close();
  const yaml = join(work, 'sync.yaml');
  writeFileSync(
    yaml,
    `${host}:\n  tls-verify: false\n  images:\n${names.map((n) => `    ${n}: ["1.0.0"]\n`).join('')}`,
  );
  const ours = () => {
    const dir = join(work, 'batch-ours');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    return timeCmd(node, [
      new URL(import.meta.url).pathname,
      '--child-batch',
      host,
      String(count),
      dir,
    ]);
  };
  const skopeo = () => {
    const dir = join(work, 'batch-sk');
    rmSync(dir, { recursive: true, force: true });
    return timeCmd('skopeo', ['sync', '--src', 'yaml', '--dest', 'dir', yaml, dir]);
  };
  const [sk, us] = interleave(
    [
      { name: 'skopeo sync', run: skopeo },
      { name: 'wit-deps', run: ours },
    ],
    3,
  );
  console.log(`batch of ${count} small artifacts, one process each side, 3 rounds, medians:`);
  console.log(
    `  skopeo sync ${fmt(sk.median)} ms; wit-deps API (8 in parallel) ${fmt(us.median)} ms (${us.ratio.toFixed(2)}x skopeo)`,
  );
}

async function childBatch([host, count, dir]) {
  const clients = new OciClients({ connections: 8 });
  const names = Array.from({ length: Number(count) }, (_, i) => `bench/pkg${i}`);
  await pool(names, 8, async (name, i) => {
    const pkg = await pullWitPackage(clients.registry(host), name, '1.0.0');
    await writeFile(join(dir, `${i}.wasm`), pkg.bytes); // skopeo writes files too
  });
  await clients.close();
}

async function bigPull(host, work, mb, rounds) {
  const file = join(work, 'big.wasm');
  await writeComponent(file, mb);
  execFileSync(node, [CLI, '--quiet', 'oci', 'push', `${host}/bench/big:1.0.0`, file]);
  rmSync(file);
  const out = join(work, 'big.out');
  const sides = [
    { name: 'skopeo copy', cmd: () => skopeoCopy(host, 'bench/big:1.0.0', join(work, 'sk-big')) },
    { name: 'wit-deps oci pull', cmd: () => ociPull(host, 'bench/big:1.0.0', out) },
  ];
  const times = [];
  const [sk, ours] = interleave(sides, rounds, (side) => {
    const started = performance.now();
    const mbRss = peakRssMb(...side.cmd(), { tmp: work });
    times.push({ name: side.name, ms: performance.now() - started });
    return mbRss;
  });
  if (statSync(out).size < mb * 2 ** 20) throw new Error('the pulled file is too small');
  const ms = (name) =>
    times
      .filter((t) => t.name === name)
      .map((t) => t.ms)
      .sort((a, b) => a - b)[Math.floor(rounds / 2)];
  console.log(
    `pull of a ${mb} MiB artifact, whole processes, ${rounds} interleaved rounds, medians:`,
  );
  console.log(
    `  peak RSS: skopeo copy ${fmt(sk.median)} MB; wit-deps oci pull ${fmt(ours.median)} MB`,
  );
  console.log(
    `  time: skopeo copy ${fmt(ms('skopeo copy'))} ms; wit-deps oci pull ${fmt(ms('wit-deps oci pull'))} ms`,
  );
  printResult({
    figure: `oci pull of a ${mb} MiB blob: peak RSS`,
    value: ours.median,
    reference: sk.median,
    unit: 'MB',
    target: '<= 50 MB',
    pass: ours.median <= 50,
  });
}

const args = process.argv.slice(2);
if (args[0] === '--child-batch') {
  await childBatch(args.slice(1));
} else {
  if (spawnSync('skopeo', ['--version']).status !== 0) throw new Error('skopeo is needed');
  const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-pull-'));
  const reg = await startRegistry(work);
  try {
    const pusher = new OciClients();
    await pushWitPackage(pusher.registry(reg.host), 'bench/small', '1.0.0', {
      layer: randomBytes(2048),
      title: 'pkg.wasm',
    });
    await pusher.close();
    singlePull(reg.host, work, numberOption('rounds', 11));
    await batch(reg.host, work, numberOption('count', 100));
    await bigPull(reg.host, work, numberOption('big-mb', 200), 3);
  } finally {
    reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
