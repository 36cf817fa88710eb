/**
 * `[registries] ns = { oci = "host", insecure = true }` in wit.toml: the registry is spoken to
 * over plain http. The real registry listens on 127.0.0.1 (plain http by default); here it is
 * reached through a TCP forwarder on 127.0.0.2, a loopback address the tool does not treat as
 * plain http by itself, so https is tried unless the registry is marked insecure.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { isLoopbackRegistry } from '../../src/oci/reference.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

let registry: RunningRegistry;
let forwarder: Server;
const sockets = new Set<Socket>();
/** `127.0.0.2:<port>`: the registry under a name that is not plain http by default. */
let host: string;
const temps: string[] = [];

/** Forwards every connection to 127.0.0.2:<port> to the registry on 127.0.0.1. */
async function startForwarder(target: string): Promise<Server> {
  const [, port] = target.split(':');
  const server = createServer((client) => {
    const upstream = connect(Number(port), '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.2', done));
  return server;
}

beforeAll(async () => {
  registry = await startRegistry();
  const io = wasiFixtures().filter((f) => f.name === 'wasi:io' && f.version === '0.2.0');
  await publishWasi(registry.host, 'webassembly/', io);
  forwarder = await startForwarder(registry.host);
  host = `127.0.0.2:${(forwarder.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((done) => forwarder.close(done));
  await registry.stop();
});

afterEach(async () => {
  for (const t of temps.splice(0)) await rm(t, { recursive: true, force: true });
});

/** A project needing `wasi:io@0.2.0`, with `registries` as its `[registries]` lines. */
async function project(...registries: string[]): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'wit-deps-insecure-'));
  temps.push(cwd);
  await writeFile(
    join(cwd, 'wit.toml'),
    `[dependencies]\n"wasi:io" = "=0.2.0"\n[registries]\n${registries.join('\n')}\n`,
  );
  return cwd;
}

const opts = (cwd: string) => ({
  cwd,
  env: { HOME: cwd },
  cacheDir: join(cwd, '.cache'),
  network: { retries: '0' },
});

describe('a registry marked insecure in wit.toml', () => {
  it('is reached under a name that is not plain http by default', () => {
    expect(isLoopbackRegistry(host)).toBe(false);
  });

  it('is refused over https when not marked: the registry speaks plain http', async () => {
    const cwd = await project(`wasi = { oci = "${host}", prefix = "webassembly/" }`);
    await expect(install(opts(cwd))).rejects.toMatchObject({
      code: 'ERR_REGISTRY_INSECURE',
      message: expect.stringContaining(host) as unknown,
      hint: expect.stringContaining('insecure = true') as unknown,
    });
    expect(await readdir(cwd)).not.toContain('wkg.lock');
  });

  it('installs over plain http with `insecure = true`', async () => {
    const cwd = await project(
      `wasi = { oci = "${host}", prefix = "webassembly/", insecure = true }`,
    );
    const result = await install(opts(cwd));
    expect(result.packages.map((p) => [p.id, p.status])).toEqual([['wasi:io@0.2.0', 'written']]);
    expect(await readdir(join(cwd, 'wit', 'deps'))).toEqual(['wasi-io-0.2.0']);
  });

  it("marks its own host only: another namespace's insecure registry leaves this one on https", async () => {
    const cwd = await project(
      `wasi = { oci = "${host}", prefix = "webassembly/" }`,
      `other = { oci = "127.0.0.2:1", insecure = true }`,
    );
    await expect(install(opts(cwd))).rejects.toMatchObject({ code: 'ERR_REGISTRY_INSECURE' });
  });
});
