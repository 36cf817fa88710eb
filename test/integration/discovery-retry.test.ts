/**
 * `.well-known` discovery goes through the transport of the registry requests: a reset or a 5xx
 * is retried like any registry request (`--retries`), the command's deadline bounds it, and
 * the install's request count is every request sent, discovery attempts included, each once.
 * The fault server answers `.well-known` and forwards the rest to the real registry, so every
 * request of the install passes through it and can be counted there.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import type { NetworkFlags } from '../../src/app/source/network-settings.js';
import { sendJson, startFaultServer, type FaultServer } from '../support/fault-server.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

const WELL_KNOWN = '/.well-known/wasm-pkg/registry.json';

let registry: RunningRegistry;
let fault: FaultServer;
const temps: string[] = [];

beforeAll(async () => {
  registry = await startRegistry();
  const io = wasiFixtures().filter((f) => f.name === 'wasi:io' && f.version === '0.2.0');
  await publishWasi(registry.host, 'webassembly/', io);
  fault = await startFaultServer();
  fault.proxyTo(registry.url);
}, 120_000);

afterAll(async () => {
  await fault.stop();
  await registry.stop();
});

afterEach(async () => {
  for (const t of temps.splice(0)) await rm(t, { recursive: true, force: true });
});

/** A project whose `wasi` namespace is the registry *name* of the fault server (discovered). */
async function project(): Promise<string> {
  const cwd = await mkdtemp(join(tmpdir(), 'wit-deps-discovery-'));
  temps.push(cwd);
  await writeFile(
    join(cwd, 'wit.toml'),
    `[dependencies]\n"wasi:io" = "=0.2.0"\n[registries]\nwasi = "${fault.host}"\n`,
  );
  return cwd;
}

const opts = (cwd: string, network: NetworkFlags = {}) => ({
  cwd,
  env: { HOME: cwd },
  cacheDir: join(cwd, '.cache'),
  network,
});

/** Serves `.well-known` with `answers[n]` on the n-th request (the last one from then on). */
function wellKnown(answers: ((res: ServerResponse) => void)[]): () => number {
  let hits = 0;
  fault.on(WELL_KNOWN, (_req, res) => {
    const answer = answers[Math.min(hits, answers.length - 1)]!;
    hits++;
    answer(res);
  });
  return () => hits;
}

const reset = (res: ServerResponse): void => void res.socket?.destroy();
const unavailable = (res: ServerResponse): void =>
  sendJson(res, 503, { errors: [{ code: 'UNAVAILABLE' }] });

describe('.well-known discovery over the shared transport', () => {
  it('retries a reset and a 503, and counts every request once', async () => {
    const hits = wellKnown([
      reset,
      unavailable,
      (res) => sendJson(res, 200, { ociRegistry: fault.host, ociNamespacePrefix: 'webassembly/' }),
    ]);
    const cwd = await project();
    const before = fault.seen.length;
    const result = await install(opts(cwd));
    expect(result.packages.map((p) => [p.id, p.status])).toEqual([['wasi:io@0.2.0', 'written']]);
    expect(hits()).toBe(3);
    const sent = fault.seen.slice(before);
    expect(sent.filter((s) => s.path === WELL_KNOWN)).toHaveLength(3);
    expect(sent.length).toBeGreaterThan(3); // tags, manifest and blob went through it too
    expect(result.requests).toBe(sent.length);
  }, 30_000);

  it('gives up after `--retries` retries with the registry status', async () => {
    const hits = wellKnown([unavailable]);
    const cwd = await project();
    await expect(install(opts(cwd, { retries: '1' }))).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: `\`wasi:io\`: registry \`${fault.host}\` answered 503 for its .well-known metadata`,
    });
    expect(hits()).toBe(2);
  }, 30_000);

  it('is bounded by the command deadline (`--deadline`)', async () => {
    wellKnown([() => undefined]); // never answers
    const cwd = await project();
    const started = Date.now();
    await expect(install(opts(cwd, { deadline: '1', retries: '0' }))).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: expect.stringContaining('the deadline of 1 s for this command passed') as unknown,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);
});
