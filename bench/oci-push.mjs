// bench/oci-push: `wit-deps oci push` of a 200 MB component (fixtures/components/greeter.wasm with
// a large custom section appended) to a local docker-registry, in a child process so its peak RSS
// is its own (`resourceUsage().maxRSS`; a 1 MiB push measured the same way is shown beside it):
// target < 80 MB, as the file is hashed and uploaded as a stream. Then the same push again: the registry has the
// layer, so it is not uploaded again (HEAD only; the config differs by its `created` time).
// Run after `npm run build`: node bench/oci-push.mjs [--mb 200]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, numberOption, writeComponent } from './net-bench.mjs';
import { startRegistry } from './registry.mjs';
import { printResult } from './result.mjs';

const mb = numberOption('mb', 200);

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
    `  peak RSS: ${rss.toFixed(1)} MB; a 1 MiB push in the same way: ${baseRss.toFixed(1)} MB (the process and the CLI loaded); growth ${(rss - baseRss).toFixed(1)} MB`,
  );
  printResult({
    figure: `oci push of a ${mb} MiB file: peak RSS`,
    value: rss,
    reference: baseRss,
    unit: 'MB',
    target: '< 80 MB',
    pass: rss < 80,
  });
  const second = push(reg.host, file, 'big');
  const layer = second.out.blobs?.layer;
  console.log(
    `second push: ${second.ms.toFixed(0)} ms, ${second.out.requests} requests, layer ${layer}: ${layer === 'exists' ? 'not uploaded again' : 'RE-UPLOADED'}`,
  );
  printResult({
    figure: 'oci push of a layer the registry has: upload',
    value: second.out.requests,
    unit: 'requests',
    target: 'no upload',
    pass: layer === 'exists',
    layer,
  });
} finally {
  reg.stop();
  rmSync(work, { recursive: true, force: true });
}
