// bench/locked-install: what a CI job pays for the `wasi:http@^0.2` closure (7 packages) with a
// wkg.lock, from a local docker-registry (anonymous: no token requests). Prints wall time and
// requests for: a locked install with a cold cache (target: 1 blob request per package), a warm
// cache (target: 0), a committed wit/deps with an empty cache (0), a vendored project (vendor/oci)
// with an empty cache (0), and side by side `skopeo copy` of the same 7 artifacts into an OCI
// layout (manifest + config + layer each).
// Run after `npm run build`: node bench/locked-install.mjs
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
import { vendor } from '../dist/app/deps/vendor.js';
import { startRegistry } from './registry.mjs';

const ROOT = join(import.meta.dirname, '..');
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

const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-locked-'));
const registry = await startRegistry(work);
let n = 0;
const fresh = (name) => join(work, `${name}-${n++}`);
const row = (label, ms, requests) =>
  console.log(
    `${label.padEnd(44)} ${String(ms).padStart(6)} ms  ${String(requests).padStart(3)} requests`,
  );
try {
  const published = await publish(registry.host);
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'wit.toml'),
    `[dependencies]\n"wasi:http" = "^0.2"\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`,
  );
  const env = { HOME: work };
  const first = await install({ cwd: project, env, cacheDir: fresh('cache') });
  row(`no lock, cold cache (${first.packages.length} packages)`, first.durationMs, first.requests);

  const clone = (entries) => {
    const dir = fresh('clone');
    mkdirSync(dir);
    for (const e of entries) cpSync(join(project, e), join(dir, e), { recursive: true });
    return dir;
  };
  const locked = clone(['wit.toml', 'wkg.lock']);
  const cache = fresh('cache');
  const cold = await install({ cwd: locked, env, cacheDir: cache, locked: true });
  row('locked, cold cache, no wit/deps', cold.durationMs, cold.requests);
  rmSync(join(locked, 'wit'), { recursive: true });
  const warm = await install({ cwd: locked, env, cacheDir: cache, frozen: true });
  row('locked, warm cache, no wit/deps (--frozen)', warm.durationMs, warm.requests);

  const committed = clone(['wit.toml', 'wkg.lock', 'wit']);
  const c = await install({ cwd: committed, env, cacheDir: fresh('cache'), frozen: true });
  row('committed wit/deps, empty cache (--frozen)', c.durationMs, c.requests);

  const v = await vendor({ cwd: project, env, cacheDir: fresh('cache') });
  row('wit-deps vendor (cold cache)', v.durationMs, v.requests);
  const vendored = clone(['wit.toml', 'wkg.lock', 'vendor']);
  const fromVendor = await install({ cwd: vendored, env, cacheDir: fresh('cache'), frozen: true });
  row(
    'vendor/oci, empty cache, no wit/deps (--frozen)',
    fromVendor.durationMs,
    fromVendor.requests,
  );

  const started = performance.now();
  const wanted = new Set(first.packages.map((p) => `${p.name.split(':')[1]}@${p.version}`));
  for (const { pkg, version } of published.filter((p) => wanted.has(`${p.pkg}@${p.version}`))) {
    const out = spawnSync('skopeo', [
      'copy',
      '--quiet',
      '--src-tls-verify=false',
      `docker://${registry.host}/webassembly/wasi/${pkg}:${version}`,
      `oci:${fresh('skopeo')}:${version}`,
    ]);
    if (out.status !== 0) throw new Error(String(out.stderr));
  }
  row(
    `skopeo copy of the same ${wanted.size} artifacts`,
    Math.round(performance.now() - started),
    'n/a',
  );
} finally {
  registry.stop();
  rmSync(work, { recursive: true, force: true });
}
