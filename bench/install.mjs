// bench/install: installs of the `wasi:http@^0.2` closure (7 packages) from a local
// docker-registry. In one process (the API): cold, warm unlocked, locked warm, with requests and
// their lower bounds. As whole processes, like for like: a cold `wit-deps install` (empty cache,
// no lock) vs 7 sequential `skopeo copy` of the same artifacts (interleaved rounds, medians), and
// the peak RSS of each (`/usr/bin/time -f %M`; for skopeo the largest of its 7 processes).
// Targets (docs/performance.md): cold install <= 1.0x skopeo; cold install peak RSS <= 70 MB;
// locked warm install, in one process: 0 requests in < 300 ms.
// Run after `npm run build`: node bench/install.mjs [--rounds 7]
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClients, pushWitPackage } from '../dist/oci/index.js';
import { install } from '../dist/app/deps/install.js';
import { tree } from '../dist/app/deps/outdated.js';
import { CLI, ROOT, fmt, interleave, numberOption, peakRssMb, timeCmd } from './net-bench.mjs';
import { startRegistry } from './registry.mjs';
import { printResult } from './result.mjs';

const BINARIES = join(ROOT, 'fixtures/pm/wasi-binaries');

async function publish(host) {
  const clients = new OciClients();
  const published = [];
  for (const file of readdirSync(BINARIES).filter((f) =>
    /^wasi-[a-z]+-0\.2\.[03]\.wasm$/.test(f),
  )) {
    const [, pkg, version] = /^wasi-([a-z]+)-(.+)\.wasm$/.exec(file);
    await pushWitPackage(clients.registry(host), `webassembly/wasi/${pkg}`, version, {
      layer: new Uint8Array(readFileSync(join(BINARIES, file))),
      created: '2024-01-01T00:00:00Z',
    });
    published.push({ pkg, version });
  }
  await clients.close();
  return published;
}

/** Dependency levels: a package is fetched one level after the first package naming it. */
function levels(roots) {
  const level = new Map();
  let frontier = roots;
  for (let n = 1; frontier.length > 0; n++) {
    const next = [];
    for (const node of frontier)
      if (!level.has(node.id)) {
        level.set(node.id, n);
        next.push(...node.dependencies);
      }
    frontier = next;
  }
  return Math.max(...level.values());
}

const row = (label, r) =>
  console.log(
    `${label.padEnd(34)} ${String(r.durationMs).padStart(6)} ms  ${String(r.requests).padStart(3)} requests  ${r.packages.length} packages`,
  );

/** In one process: the request counts and the locked warm target. */
async function inProcess(project, work) {
  const cache = join(work, 'cache');
  const options = { cwd: project, env: { HOME: work }, cacheDir: cache };
  const cold = await install(options);
  row('cold (empty cache, no lock)', cold);
  rmSync(join(project, 'wkg.lock'));
  rmSync(join(project, 'wit'), { recursive: true });
  row('warm cache, no lock', await install(options));
  rmSync(join(project, 'wit'), { recursive: true });
  row('locked, warm cache, empty wit/deps', await install({ ...options, frozen: true }));
  const warm = await install({ ...options, frozen: true });
  row('locked, warm cache, up to date', warm);
  const depth = levels((await tree({ ...options, offline: true })).roots);
  const packages = cold.packages.length;
  console.log(
    `lower bound, cold: ${1 + 2 * packages} requests (1 tag list + 1 manifest + 1 blob per package, no token); made ${cold.requests}`,
  );
  console.log(
    `critical path, cold: ${1 + 2 * depth} sequential requests (1 tag list, then manifest + blob for each of ${depth} dependency levels)`,
  );
  printResult({
    figure: 'locked warm install in one process: requests, time',
    value: warm.durationMs,
    unit: 'ms',
    target: '0 requests, < 300 ms',
    pass: warm.requests === 0 && warm.durationMs < 300,
    requests: warm.requests,
  });
  rmSync(join(project, 'wkg.lock'));
  rmSync(join(project, 'wit'), { recursive: true });
  return cold.packages.map((p) => `${p.name.split(':')[1]}@${p.version}`);
}

/** Whole processes: a cold CLI install vs 7 skopeo copies, time and peak RSS. */
function wholeProcesses(host, project, work, wanted, published, rounds) {
  const artifacts = published.filter((p) => wanted.includes(`${p.pkg}@${p.version}`));
  const fresh = () => {
    const dir = join(work, 'cold');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    cpSync(join(project, 'wit.toml'), join(dir, 'wit.toml'));
    return dir;
  };
  const ours = (measure) => {
    const dir = fresh();
    return measure(
      process.execPath,
      [CLI, '--quiet', 'install', '--cache-dir', join(dir, 'cache')],
      { cwd: dir, env: { ...process.env, HOME: work } },
    );
  };
  const skopeo = (measure) =>
    artifacts.map(({ pkg, version }) => {
      const dir = join(work, `sk-${pkg}`);
      rmSync(dir, { recursive: true, force: true });
      return measure('skopeo', [
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        `docker://${host}/webassembly/wasi/${pkg}:${version}`,
        `oci:${dir}:${version}`,
      ]);
    });
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const [sk, us] = interleave(
    [
      { name: 'skopeo', run: () => sum(skopeo(timeCmd)) },
      { name: 'wit-deps', run: () => ours(timeCmd) },
    ],
    rounds,
  );
  console.log(
    `cold install of ${artifacts.length} packages, whole processes, ${rounds} interleaved rounds, medians:`,
  );
  console.log(
    `  ${artifacts.length} sequential skopeo copy ${fmt(sk.median)} ms; wit-deps install ${fmt(us.median)} ms (${us.ratio.toFixed(2)}x)`,
  );
  printResult({
    figure: `cold install of the wasi:http 0.2.3 closure (${artifacts.length} packages) vs ${artifacts.length} sequential skopeo copy`,
    value: us.median,
    reference: sk.median,
    ratio: us.ratio,
    max: 1.0,
  });
  const rss = (measure) =>
    measure((cmd, args, options) => peakRssMb(cmd, args, { ...options, tmp: work }));
  const [skRss, usRss] = interleave(
    [
      { name: 'skopeo', run: () => Math.max(...rss(skopeo)) },
      { name: 'wit-deps', run: () => rss(ours) },
    ],
    3,
  );
  console.log(
    `  peak RSS: skopeo copy ${fmt(skRss.median)} MB (largest of its ${artifacts.length} processes); wit-deps install ${fmt(usRss.median)} MB`,
  );
  printResult({
    figure: `cold install peak RSS (${artifacts.length} packages)`,
    value: usRss.median,
    reference: skRss.median,
    unit: 'MB',
    target: '<= 70 MB',
    pass: usRss.median <= 70,
  });
}

if (spawnSync('skopeo', ['--version']).status !== 0) throw new Error('skopeo is needed');
const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-install-'));
const registry = await startRegistry(work);
try {
  const published = await publish(registry.host);
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'wit.toml'),
    `[dependencies]\n"wasi:http" = "^0.2"\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`,
  );
  const wanted = await inProcess(project, work);
  wholeProcesses(registry.host, project, work, wanted, published, numberOption('rounds', 7));
} finally {
  registry.stop();
  rmSync(work, { recursive: true, force: true });
}
