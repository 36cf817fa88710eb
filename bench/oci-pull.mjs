// bench/oci-pull: pulls 100 small Wasm artifacts from a local docker-registry in one process and
// prints requests, wall time and peak memory, then does the same work with `skopeo copy` (one
// process per artifact, same parallelism) and prints the ratio. Then pulls one 200 MB blob in a
// child process and prints its peak RSS (must stay under 150 MB).
// Run after `npm run build`: node bench/oci-pull.mjs [--count 100] [--big-mb 200] [--parallel 8]
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OciClients, pullWitPackage, pushWitPackage } from '../dist/oci/index.js';
import { startRegistry } from './registry.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(args[i + 1]);
};

/** Starts docker-registry on 127.0.0.1:0 in `dir`; resolves to { host, stop }. */

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

function run(cmd, argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} failed: ${err}`)),
    );
  });
}

async function smallPulls(host, count, parallel, work) {
  const pusher = new OciClients();
  const names = Array.from({ length: count }, (_, i) => `bench/pkg${i}`);
  await pool(names, parallel, (name) =>
    pushWitPackage(pusher.registry(host), name, '1.0.0', {
      layer: randomBytes(2048),
      title: 'pkg.wasm',
    }),
  );
  await pusher.close();

  const clients = new OciClients({ connections: parallel });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  let bytes = 0;
  await pool(names, parallel, async (name) => {
    const pkg = await pullWitPackage(clients.registry(host), name, '1.0.0');
    await writeFile(join(work, `ours-${name.replace('/', '-')}.wasm`), pkg.bytes); // skopeo writes files too
    bytes += pkg.bytes.byteLength;
  });
  const ours = performance.now() - t0;
  clearInterval(sampler);
  const requests = clients.requestCount;
  await clients.close();

  const t1 = performance.now();
  await pool(names, parallel, (name, i) =>
    run('skopeo', [
      'copy',
      '-q',
      '--src-tls-verify=false',
      `docker://${host}/${name}:1.0.0`,
      `oci:${join(work, `sk${i}`)}:1.0.0`,
    ]),
  );
  const skopeo = performance.now() - t1;
  console.log(`small pulls: ${count} artifacts (${bytes} layer bytes), parallelism ${parallel}`);
  console.log(
    `  wit-deps: ${ours.toFixed(0)} ms, ${requests} HTTP requests (${(requests / count).toFixed(1)}/artifact), peak RSS ${(peak / 2 ** 20).toFixed(1)} MB`,
  );
  console.log(`  skopeo copy: ${skopeo.toFixed(0)} ms`);
  console.log(`  ratio skopeo/wit-deps: ${(skopeo / ours).toFixed(1)}x`);
}

async function writeBigFile(path, mb) {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const block = randomBytes(1 << 20);
  for (let i = 0; i < mb; i++) {
    block.writeUInt32LE(i, 0); // every MiB differs
    hash.update(block);
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return { digest: 'sha256:' + hash.digest('hex'), size: mb << 20 };
}

async function bigPull(host, mb, work) {
  const src = join(work, 'big.bin');
  const desc = await writeBigFile(src, mb);
  const pusher = new OciClients({ chunkSize: 16 << 20 });
  const t0 = performance.now();
  await pusher.registry(host).pushBlob('bench/big', desc, { path: src });
  const pushMs = performance.now() - t0;
  await pusher.close();
  rmSync(src);
  // the pull runs in a fresh child so its peak RSS is its own
  const child = execFileSync(
    process.execPath,
    [
      new URL(import.meta.url).pathname,
      '--child-big',
      host,
      desc.digest,
      String(desc.size),
      join(work, 'big.out'),
    ],
    { encoding: 'utf8' },
  );
  const { ms, maxRssKb } = JSON.parse(child);
  console.log(
    `big blob: ${mb} MiB pushed in chunks in ${pushMs.toFixed(0)} ms; pulled in ${ms.toFixed(0)} ms`,
  );
  console.log(
    `  peak RSS of the pulling process: ${(maxRssKb / 1024).toFixed(1)} MB (limit 150 MB): ${maxRssKb / 1024 < 150 ? 'OK' : 'OVER'}`,
  );
}

async function childBig([host, digest, size, out]) {
  const clients = new OciClients();
  const t0 = performance.now();
  await clients.registry(host).fetchBlobTo('bench/big', { digest, size: Number(size) }, out);
  const ms = performance.now() - t0;
  await clients.close();
  if (statSync(out).size !== Number(size)) throw new Error('size mismatch');
  process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS }));
}

if (args[0] === '--child-big') {
  await childBig(args.slice(1));
} else {
  const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-'));
  const reg = await startRegistry(work);
  try {
    await smallPulls(reg.host, opt('count', 100), opt('parallel', 8), work);
    await bigPull(reg.host, opt('big-mb', 200), work);
  } finally {
    reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
