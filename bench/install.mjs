// bench/install: cold and warm installs of the `wasi:http@^0.2` closure (7 packages) from a local
// docker-registry. Prints wall time and requests for: cold (empty cache, no lock), warm unlocked
// (cache warm, lock removed: tag list + manifests), locked warm (lock + warm cache, in-process and
// as a `wit-deps install --frozen` child process), and the lower bounds: the requests a cold
// install cannot avoid (1 tag list + 1 manifest + 1 blob per package, anonymous registry: no
// token) and the requests on the critical path (1 tag list + manifest and blob per dependency
// level; the resolver fetches level by level, all packages of a level in parallel).
// Run after `npm run build`: node bench/install.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OciClients, pushWitPackage } from '../dist/oci/index.js';
import { install } from '../dist/app/deps/install.js';
import { tree } from '../dist/app/deps/outdated.js';
import { startRegistry } from './registry.mjs';

const ROOT = join(import.meta.dirname, '..');
const BINARIES = join(ROOT, 'fixtures/pm/wasi-binaries');

async function publish(host) {
  const clients = new OciClients();
  for (const file of readdirSync(BINARIES).filter((f) =>
    /^wasi-[a-z]+-0\.2\.[03]\.wasm$/.test(f),
  )) {
    const [, pkg, version] = /^wasi-([a-z]+)-(.+)\.wasm$/.exec(file);
    await pushWitPackage(clients.registry(host), `webassembly/wasi/${pkg}`, version, {
      layer: new Uint8Array(readFileSync(join(BINARIES, file))),
      created: '2024-01-01T00:00:00Z',
    });
  }
  await clients.close();
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

const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-install-'));
const registry = await startRegistry(work);
try {
  await publish(registry.host);
  const project = join(work, 'project');
  const cache = join(work, 'cache');
  rmSync(project, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'wit.toml'),
    `[dependencies]\n"wasi:http" = "^0.2"\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`,
  );
  const options = { cwd: project, env: { HOME: work }, cacheDir: cache };
  const row = (label, r) =>
    console.log(
      `${label.padEnd(34)} ${String(r.durationMs).padStart(6)} ms  ${String(r.requests).padStart(3)} requests  ${r.packages.length} packages`,
    );

  const cold = await install(options);
  row('cold (empty cache, no lock)', cold);
  rmSync(join(project, 'wkg.lock'));
  rmSync(join(project, 'wit'), { recursive: true });
  row('warm cache, no lock', await install(options));
  rmSync(join(project, 'wit'), { recursive: true });
  row('locked, warm cache, empty wit/deps', await install({ ...options, frozen: true }));
  const warm = await install({ ...options, frozen: true });
  row('locked, warm cache, up to date', warm);
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [join(ROOT, 'bin/wit-deps.js'), 'install', '--frozen', '--cache-dir', cache],
    { cwd: project, encoding: 'utf8' },
  );
  const cliMs = Math.round(performance.now() - started);
  if (child.status !== 0) throw new Error(child.stderr);
  console.log(
    `${'locked, warm: CLI child process'.padEnd(34)} ${String(cliMs).padStart(6)} ms  (${child.stdout.trim()})`,
  );

  const t = await tree({ ...options, offline: true });
  const depth = levels(t.roots);
  const packages = cold.packages.length;
  console.log(
    `lower bound, cold: ${1 + 2 * packages} requests (1 tag list + 1 manifest + 1 blob per package, no token); made ${cold.requests}`,
  );
  console.log(
    `critical path, cold: ${1 + 2 * depth} sequential requests (1 tag list, then manifest + blob for each of ${depth} dependency levels)`,
  );
  console.log(
    `targets: locked warm install makes 0 requests (${warm.requests}) in < 300 ms (${warm.durationMs} ms in-process, ${cliMs} ms as a whole CLI process)`,
  );
} finally {
  registry.stop();
  rmSync(work, { recursive: true, force: true });
}
