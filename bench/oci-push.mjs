// bench/oci-push: `wit-deps oci push` of a 200 MB component (fixtures/components/greeter.wasm with
// a large custom section appended) to a local docker-registry, in a child process so its peak RSS
// is its own: its growth over a 1 MiB push (the process and the CLI loaded) must stay under 80 MB,
// as the file is hashed and uploaded as a stream. Then the same push again: the registry has the
// layer, so it is not uploaded again (HEAD only; the config differs by its `created` time).
// Run after `npm run build`: node bench/oci-push.mjs [--mb 200]
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from './registry.mjs';

const ROOT = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const mb = (() => {
  const i = args.indexOf('--mb');
  return i < 0 ? 200 : Number(args[i + 1]);
})();

/** A valid component of `size` MiB: the greeter fixture plus one custom section of padding. */
async function writeComponent(path, size) {
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

/** Runs the CLI push in a child that reports its peak RSS. */
function push(host, file, repo) {
  const script = `
    const { main } = await import(${JSON.stringify(join(ROOT, 'dist/cli/main.js'))});
    const { bufferIo } = await import(${JSON.stringify(join(ROOT, 'dist/cli/io.js'))});
    const io = bufferIo({ cwd: process.cwd(), env: process.env });
    const t0 = performance.now();
    const code = await main(['--json', 'oci', 'push', '${host}/bench/${repo}:1.0.0', ${JSON.stringify(file)}], io);
    process.stdout.write(JSON.stringify({ code, ms: performance.now() - t0, maxRssKb: process.resourceUsage().maxRSS, out: JSON.parse(io.out()) }));
  `;
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
  );
}

const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-push-'));
const reg = await startRegistry(work);
try {
  const small = join(work, 'small.wasm');
  await writeComponent(small, 1);
  const base = push(reg.host, small, 'small');
  const file = join(work, 'big.wasm');
  await writeComponent(file, mb);
  const first = push(reg.host, file, 'big');
  if (first.code !== 0) throw new Error(JSON.stringify(first.out));
  const rss = first.maxRssKb / 1024;
  const baseRss = base.maxRssKb / 1024;
  console.log(
    `push of a ${mb} MiB component: ${first.ms.toFixed(0)} ms, blobs ${JSON.stringify(first.out.blobs)}`,
  );
  console.log(
    `  peak RSS: ${rss.toFixed(1)} MB; a 1 MiB push in the same way: ${baseRss.toFixed(1)} MB (the process and the CLI loaded)`,
  );
  console.log(
    `  growth with the file size: ${(rss - baseRss).toFixed(1)} MB (limit 80 MB): ${rss - baseRss < 80 ? 'OK' : 'OVER'}`,
  );
  const second = push(reg.host, file, 'big');
  const layer = second.out.blobs?.layer;
  console.log(
    `second push: ${second.ms.toFixed(0)} ms, layer ${layer}: ${layer === 'exists' ? 'OK (not uploaded again)' : 'RE-UPLOADED'}`,
  );
} finally {
  reg.stop();
  rmSync(work, { recursive: true, force: true });
}
