/**
 * `kill -9` of the real CLI (`bin/wit-deps.js`, built into dist/) during an install that updates a
 * project from an old install (old lock, old folders) to new versions and moves it to a mirror of
 * its registry (the fault server, proxying), so no lock entry pins a digest: one folder replaced
 * (its tag was re-published meanwhile), one added, one removed, one kept. Killed while a layer downloads (the
 * fault server in front of the real registry stalls it) and after every step of the commit (the
 * test hook of src/app/deps/test-hook.ts pauses there). After each kill the project is the old state or
 * the new one (once a pending journal is replayed, by `verify` or by `install` itself), `wit-deps
 * verify` passes, a following `wit-deps install` succeeds, and no journal, staging folder or
 * temporary file remains.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { ORPHAN_AGE_MS } from '../../src/cache/store.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { cacheProblems, installState, projectLeftovers } from '../support/project-snapshot.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures, type WasiFixture } from '../support/wasi-publish.js';
import { tempDir, witToml } from '../support/temp-project.js';
import { ensureBuilt, pausedOrDone, runCli as cli } from '../support/cli-process.js';

const OLD_DEPS = '"wasi:clocks" = "=0.2.0"\n"wasi:random" = "=0.2.0"';
const NEW_DEPS = '"wasi:clocks" = "=0.2.0"\n"wasi:random" = "=0.2.3"';
/** The commit steps of this update, in order (the hook counts from 1). */
const STEPS = [
  'staged',
  'journal',
  'aside wasi-clocks-0.2.0',
  'in wasi-clocks-0.2.0',
  'in wasi-random-0.2.3',
  'remove wasi-random-0.2.0',
  'lock',
  'done',
];

type State = Record<string, string>;
let registry: RunningRegistry;
let proxy: FaultServer;
let work: string;
let base: string; // the project after the old install
let warmCache: string; // old and new layers
let oldCache: string; // old layers only
let states: { old: State; new: State };
let random023: WasiFixture;
let random023Digest: string;

/** The fixture with a custom section appended: the same package, different bytes and digest. */
function republished(f: WasiFixture): WasiFixture {
  const extra = [0x00, 0x06, 0x04, ...Buffer.from('test'), 0x01];
  return { ...f, bytes: new Uint8Array([...f.bytes, ...extra]) };
}

async function setDeps(dir: string, deps: string, host: string): Promise<void> {
  await writeFile(join(dir, 'wit.toml'), witToml(deps, { oci: host, prefix: 'kill/' }));
}

/** A copy of the old project whose manifest now asks for the new versions. */
async function updating(): Promise<string> {
  const dir = await mkdtemp(join(work, 'proj-'));
  await cp(base, dir, { recursive: true });
  await setDeps(dir, NEW_DEPS, proxy.host);
  return dir;
}

async function succeeds(cwd: string, cache: string, args: string[]): Promise<void> {
  const result = await cli(cwd, cache, args).done;
  expect(result, `wit-deps ${args.join(' ')}: ${result.stderr}`).toMatchObject({ code: 0 });
}

/**
 * After a kill: `verify` (which recovers first) passes on the recovered state, or (`installFirst`)
 * `install` recovers by itself; install finishes, verify passes, nothing is left over.
 */
async function recoversAndFinishes(
  cwd: string,
  cache: string,
  recovered: State,
  installFirst = false,
): Promise<void> {
  if (!installFirst) {
    await succeeds(cwd, cache, ['verify']);
    expect(await installState(cwd)).toEqual(recovered);
    expect(await projectLeftovers(cwd)).toEqual([]);
  }
  await succeeds(cwd, cache, ['install']);
  expect(await installState(cwd)).toEqual(states.new);
  await succeeds(cwd, cache, ['verify']);
  expect(await projectLeftovers(cwd)).toEqual([]);
  expect(await cacheProblems(cache)).toEqual([]);
}

beforeAll(async () => {
  ensureBuilt();
  registry = await startRegistry();
  proxy = await startFaultServer();
  proxy.proxyTo(registry.url);
  work = await tempDir('wit-deps-kill-');
  const fixtures = wasiFixtures().filter(
    (f) =>
      (['wasi:clocks', 'wasi:io', 'wasi:random'].includes(f.name) && f.version === '0.2.0') ||
      (f.name === 'wasi:random' && f.version === '0.2.3'),
  );
  random023 = fixtures.find((f) => f.name === 'wasi:random' && f.version === '0.2.3')!;
  const digests = await publishWasi(registry.host, 'kill/', fixtures);
  random023Digest = digests.get('wasi:random@0.2.3')!;
  base = join(work, 'base');
  warmCache = join(work, 'cache-warm');
  oldCache = join(work, 'cache-old');
  await mkdir(base);
  await setDeps(base, OLD_DEPS, registry.host);
  await install({ cwd: base, env: { HOME: base }, cacheDir: warmCache });
  await cp(warmCache, oldCache, { recursive: true });
  const clocks = fixtures.find((f) => f.name === 'wasi:clocks')!;
  await publishWasi(registry.host, 'kill/', [republished(clocks)]);
  const reference = await updating();
  const result = await install({ cwd: reference, env: { HOME: reference }, cacheDir: warmCache });
  expect(result.removed).toEqual(['wasi-random-0.2.0']);
  expect(result.packages.map((p) => `${p.folder} ${p.status}`)).toEqual([
    'wasi-clocks-0.2.0 written',
    'wasi-io-0.2.0 unchanged',
    'wasi-random-0.2.3 written',
  ]);
  states = { old: await installState(base), new: await installState(reference) };
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

describe('kill -9 during wit-deps install', () => {
  it('old and new states differ in every way a mix could show', () => {
    const keys = (s: State): string[] => Object.keys(s).sort();
    expect(keys(states.old)).toContain('wit/deps/wasi-random-0.2.0/package.wit');
    expect(keys(states.new)).toContain('wit/deps/wasi-random-0.2.3/package.wit');
    const marker = 'wit/deps/wasi-clocks-0.2.0/.wit-deps.json';
    expect(states.new[marker]).not.toBe(states.old[marker]);
    expect(states.new['wkg.lock']).not.toBe(states.old['wkg.lock']);
  });

  it('while a layer downloads: the old project is untouched, then install finishes', async () => {
    const cwd = await updating();
    const cache = await mkdtemp(join(work, 'cache-'));
    await cp(oldCache, cache, { recursive: true });
    let stalled!: () => void;
    const reached = new Promise<void>((r) => (stalled = r));
    let hits = 0;
    proxy.on(`/v2/kill/wasi/random/blobs/${random023Digest}`, (_req, res) => {
      const bytes = Buffer.from(random023.bytes);
      res.writeHead(200, { 'content-length': String(bytes.length) });
      if (++hits > 1) return void res.end(bytes);
      res.write(bytes.subarray(0, bytes.length >> 1)); // half, then nothing
      stalled();
    });
    const run = cli(cwd, cache, ['install']);
    await reached;
    await new Promise((r) => setTimeout(r, 100));
    run.kill();
    expect((await run.done).signal).toBe('SIGKILL');
    expect(await installState(cwd)).toEqual(states.old);
    expect(await projectLeftovers(cwd)).toEqual([]);
    // only a temporary file of the dead process, never an unverified entry
    const problems = await cacheProblems(cache);
    const layer = random023Digest.slice('sha256:'.length);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      new RegExp(`^blobs/sha256/${layer}\\.\\d+-[0-9a-f]+\\.tmp is a temporary file$`),
    );
    // the next install removes it once it has been left long enough (ORPHAN_AGE_MS)
    const part = join(cache, problems[0]!.split(' ')[0]!);
    const long = new Date(Date.now() - ORPHAN_AGE_MS - 60_000);
    await utimes(part, long, long);
    await recoversAndFinishes(cwd, cache, states.old);
  });

  it.each(STEPS.map((step, i) => [i + 1, step] as const))(
    'after commit step %i (%s): old or new, never a mix',
    async (n, step) => {
      const cwd = await updating();
      const paused = join(work, `paused-${n}-${Date.now()}`);
      const run = cli(cwd, warmCache, ['install'], {
        WIT_DEPS_TEST_HOOK_PAUSE_AT: String(n),
        WIT_DEPS_TEST_HOOK_PAUSED_FILE: paused,
      });
      const at = await pausedOrDone(run, paused);
      const why = at === undefined ? (await run.done).stderr : '';
      expect(at, `the install ended without pausing: ${why}`).toBe(`${n} ${step}`);
      run.kill();
      expect((await run.done).signal).toBe('SIGKILL');
      const pending = existsSync(join(cwd, '.wit-deps-journal.json'));
      expect(pending).toBe(n >= 2 && step !== 'done');
      const onDisk = await installState(cwd);
      if (!pending) expect([states.old, states.new]).toContainEqual(onDisk);
      // between the first and the last rename the files alone are a mix: the journal is what
      // makes the next command finish the install
      if (step.startsWith('aside') || step.startsWith('in') || step.startsWith('remove'))
        expect([states.old, states.new]).not.toContainEqual(onDisk);
      const expected = step === 'staged' ? states.old : states.new;
      await recoversAndFinishes(cwd, warmCache, expected, n % 2 === 1);
    },
  );

  it('runs to the end when the hook names a step past the last one', async () => {
    const cwd = await updating();
    const paused = join(work, 'paused-never');
    const run = cli(cwd, warmCache, ['install'], {
      WIT_DEPS_TEST_HOOK_PAUSE_AT: String(STEPS.length + 1),
      WIT_DEPS_TEST_HOOK_PAUSED_FILE: paused,
    });
    expect(await pausedOrDone(run, paused)).toBeUndefined();
    expect((await run.done).code).toBe(0);
    expect(await installState(cwd)).toEqual(states.new);
    expect(existsSync(paused)).toBe(false);
  });
});
