// bench/oci-tags: `wit-deps oci tags` of a repository with 10,000 tags vs `skopeo list-tags` of
// the same repository on a local docker-registry: whole processes, interleaved rounds, medians
// (ratio: median of the per-round ratios). Target (docs/performance.md): <= 1.5x skopeo.
// Run after `npm run build`: node bench/oci-tags.mjs [--tags 10000] [--rounds 11]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { OciClients, pushWitPackage } from '../dist/oci/index.js';
import { CLI, fmt, interleave, numberOption, timeCmd } from './net-bench.mjs';
import { startRegistry } from './registry.mjs';
import { printResult } from './result.mjs';

/** PUTs `bytes` as the manifest of `repo:tag`. */
function putManifest(host, repo, tag, bytes, mediaType) {
  return new Promise((resolve, reject) => {
    const req = request(
      `http://${host}/v2/${repo}/manifests/${tag}`,
      { method: 'PUT', headers: { 'content-type': mediaType, 'content-length': bytes.length } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 201 ? resolve() : reject(new Error(`PUT ${tag}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

async function tagRepository(host, repo, count) {
  const clients = new OciClients();
  const client = clients.registry(host);
  await pushWitPackage(client, repo, '0.0.0', { layer: randomBytes(64), title: 'pkg.wasm' });
  const { bytes, mediaType } = await client.getManifest(repo, '0.0.0');
  await clients.close();
  const body = Buffer.from(bytes);
  const tags = Array.from({ length: count - 1 }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < tags.length) await putManifest(host, repo, tags[next++], body, mediaType);
    }),
  );
}

if (spawnSync('skopeo', ['--version']).status !== 0) throw new Error('skopeo is needed');
const count = numberOption('tags', 10_000);
const rounds = numberOption('rounds', 11);
const work = mkdtempSync(join(tmpdir(), 'wit-deps-bench-tags-'));
const reg = await startRegistry(work);
try {
  await tagRepository(reg.host, 'bench/tags', count);
  const ours = spawnSync(
    process.execPath,
    [CLI, '--json', 'oci', 'tags', `${reg.host}/bench/tags`],
    {
      encoding: 'utf8',
    },
  );
  const listed = JSON.parse(ours.stdout).tags.length;
  if (listed !== count) throw new Error(`oci tags listed ${listed} tags, expected ${count}`);
  const sides = [
    {
      name: 'skopeo list-tags',
      run: () =>
        timeCmd('skopeo', ['list-tags', '--tls-verify=false', `docker://${reg.host}/bench/tags`]),
    },
    {
      name: 'wit-deps oci tags',
      run: () => timeCmd(process.execPath, [CLI, 'oci', 'tags', `${reg.host}/bench/tags`]),
    },
  ];
  const [sk, us] = interleave(sides, rounds);
  console.log(
    `tags of a ${count}-tag repository, whole processes, ${rounds} interleaved rounds, medians:`,
  );
  console.log(
    `  skopeo list-tags ${fmt(sk.median)} ms; wit-deps oci tags ${fmt(us.median)} ms (${us.ratio.toFixed(2)}x)`,
  );
  printResult({
    figure: `oci tags of a ${count}-tag repository vs skopeo list-tags`,
    value: us.median,
    reference: sk.median,
    ratio: us.ratio,
    max: 1.5,
  });
} finally {
  reg.stop();
  rmSync(work, { recursive: true, force: true });
}
