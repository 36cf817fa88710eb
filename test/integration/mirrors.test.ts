/**
 * Mirrors with two real registries: an origin and a mirror, each holding the WASI fixtures
 * `wasi:clocks@0.2.0` and `wasi:io@0.2.0` under two repository prefixes, one complete and one with
 * a layer deleted (`o2/`: the origin lacks clocks' layer; `m2/`: the mirror lacks io's), so which
 * registry served a blob shows in whether the install succeeds. Mirrors come from a
 * `registries.conf` (`CONTAINERS_REGISTRIES_CONF`) or from `[mirrors]` in wit.toml.
 */
import { readdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { tempProject } from '../support/temp-project.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

let origin: RunningRegistry;
let mirror: RunningRegistry;
/** `127.0.0.1:<port>` where nothing listens. */
let dead: string;

const PACKAGES = ['wasi:clocks@0.2.0', 'wasi:io@0.2.0'];

async function deleteBlob(registry: RunningRegistry, repository: string, digest: string) {
  const res = await fetch(`${registry.url}/v2/${repository}/blobs/${digest}`, {
    method: 'DELETE',
  });
  expect(res.status).toBe(202);
}

async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return `127.0.0.1:${port}`;
}

beforeAll(async () => {
  [origin, mirror] = await Promise.all([startRegistry(), startRegistry()]);
  const fixtures = wasiFixtures().filter((f) => PACKAGES.includes(`${f.name}@${f.version}`));
  const digests = await publishWasi(origin.host, 'o1/', fixtures);
  await publishWasi(origin.host, 'o2/', fixtures);
  await publishWasi(mirror.host, 'm1/', fixtures);
  await publishWasi(mirror.host, 'm2/', fixtures);
  await deleteBlob(origin, 'o2/wasi/clocks', digests.get('wasi:clocks@0.2.0')!);
  await deleteBlob(mirror, 'm2/wasi/io', digests.get('wasi:io@0.2.0')!);
  dead = await closedPort();
}, 120_000);

afterAll(async () => {
  await Promise.all([origin.stop(), mirror.stop()]);
});

/** A project needing `wasi:clocks@0.2.0` (and so `wasi:io`) from `<host>/<prefix>wasi/...`. */
async function project(host: string, prefix: string, after = '', conf = ''): Promise<string> {
  const cwd = await tempProject({
    prefix: 'wit-deps-mirrors-',
    witToml:
      `[dependencies]\n"wasi:clocks" = "=0.2.0"\n\n` +
      `[registries]\nwasi = { oci = "${host}", prefix = "${prefix}" }\n${after}`,
    files: { 'registries.conf': conf },
  });
  return cwd;
}

const opts = (cwd: string) => ({
  cwd,
  env: { HOME: cwd, CONTAINERS_REGISTRIES_CONF: join(cwd, 'registries.conf') },
  cacheDir: join(cwd, '.cache'),
  network: { retries: '0' },
});

async function installed(cwd: string): Promise<string[]> {
  const result = await install(opts(cwd));
  expect(result.packages.map((p) => p.status)).toEqual(['written', 'written']);
  return (await readdir(join(cwd, 'wit', 'deps'))).sort();
}

describe('mirrors', () => {
  it('reads blobs from the mirror first and falls back to the origin for the one it lacks (registries.conf)', async () => {
    const conf =
      `unqualified-search-registries = ["docker.io"]\n` +
      `[[registry]]\nprefix = "${origin.host}/o2"\n` +
      `[[registry.mirror]]\nlocation = "${mirror.host}/m2"\n`;
    const cwd = await project(origin.host, 'o2/', '', conf);
    // clocks' layer exists only on the mirror, io's only on the origin
    expect(await installed(cwd)).toEqual(['wasi-clocks-0.2.0', 'wasi-io-0.2.0']);
  });

  it('without the mirror entry, the origin alone lacks a layer: the install fails', async () => {
    const cwd = await project(origin.host, 'o2/');
    await expect(install(opts(cwd))).rejects.toMatchObject({ code: 'ERR_REGISTRY_NOT_FOUND' });
  });

  it('tries mirrors in order, skipping one that is down ([mirrors] in wit.toml)', async () => {
    const mirrors = `\n[mirrors]\n"${origin.host}/o2" = ["${dead}/m1", "${mirror.host}/m2"]\n`;
    const cwd = await project(origin.host, 'o2/', mirrors);
    expect(await installed(cwd)).toEqual(['wasi-clocks-0.2.0', 'wasi-io-0.2.0']);
  });

  it('never asks a digest-only mirror for tags: with the origin down the install fails', async () => {
    const mirrors = `\n[mirrors]\n"${dead}/o1" = ["${mirror.host}/m1"]\n`;
    const cwd = await project(dead, 'o1/', mirrors);
    await expect(install(opts(cwd))).rejects.toMatchObject({
      code: 'ERR_NETWORK',
      message: expect.stringContaining(dead) as unknown,
    });
  });

  it('resolves tags from a mirror marked `pull-from-mirror = "all"` while the origin is down', async () => {
    const mirrors = `\n[mirrors]\n"${dead}/o1" = [{ location = "${mirror.host}/m1", pull-from-mirror = "all" }]\n`;
    const cwd = await project(dead, 'o1/', mirrors);
    expect(await installed(cwd)).toEqual(['wasi-clocks-0.2.0', 'wasi-io-0.2.0']);
  });

  it('refuses a blocked registry with ERR_REGISTRY_BLOCKED, naming the entry', async () => {
    const conf = `[[registry]]\nlocation = "${origin.host}"\nblocked = true\n`;
    const cwd = await project(origin.host, 'o1/', '', conf);
    await expect(install(opts(cwd))).rejects.toMatchObject({
      code: 'ERR_REGISTRY_BLOCKED',
      message: expect.stringContaining(`prefix = "${origin.host}"`) as unknown,
    });
    expect(await readdir(cwd)).not.toContain('wkg.lock');
  });
});
