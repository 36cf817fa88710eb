/**
 * Ctrl-C against a registry that never answers (docs/install.md, "Failure safety"): the real CLI,
 * a silent server (test/support/fault-server.ts), SIGINT once the first request has arrived. The
 * first Ctrl-C aborts every request in flight at once: exit 130 within 1 s, and no temporary
 * file, staging folder, journal, lock or project lock is left. `add` interrupted (once or twice)
 * puts `wit.toml` back and removes the project lock.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST } from '../support/built-dist.js';
import { ensureBuilt, runCli, type CliRun } from '../support/cli-process.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

let server: FaultServer;
const silent = (): void => undefined; // takes the request, never answers

beforeAll(async () => {
  ensureBuilt();
  server = await startFaultServer();
  for (const path of ['/v2/', '/v2/wasi/http/tags/list', '/v2/wasi/http/manifests/0.2.3'])
    server.on(path, silent);
}, 180_000);

afterAll(async () => {
  await server.stop();
});

/** Every path under `dir`, relative. */
async function allPaths(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

/** Leftovers an interrupted command must not leave: temp files, staging, journal, locks. */
function leftovers(paths: readonly string[]): string[] {
  return paths.filter((p) =>
    /\.tmp$|\.wit-deps-stage-|\.wit-deps-journal|\.wit-deps\.lock|wkg\.lock|(^|\/)deps\//.test(p),
  );
}

async function setup(toml: string | undefined): Promise<{ cwd: string; cache: string }> {
  const cwd = await tempProject({
    prefix: 'wit-deps-sigint-',
    ...(toml === undefined ? {} : { witToml: toml }),
    files: {
      'wit/world.wit': 'package acme:app@0.1.0;\nworld app { import wasi:http/types@0.2.3; }\n',
    },
  });
  return { cwd, cache: await tempDir('wit-deps-sigint-cache-') };
}

/** Waits until the server has seen `n` more requests than `before` (the CLI is then waiting). */
async function requestArrived(before: number, run: CliRun): Promise<void> {
  let ended = false;
  void run.done.then(() => (ended = true));
  while (server.seen.length <= before && !ended) await new Promise((r) => setTimeout(r, 10));
  expect(ended).toBe(false);
}

const wasi = (): { oci: string; prefix: string } => ({ oci: server.host, prefix: '' });

describe('Ctrl-C against a silent registry', () => {
  it('exits 130 within 1 s and leaves no temporary file', async () => {
    const { cwd, cache } = await setup(witToml('"wasi:http" = "0.2.3"', wasi()));
    const before = server.seen.length;
    const run = runCli(cwd, cache, ['install', '--timeout', '30']);
    await requestArrived(before, run);
    const sent = Date.now();
    run.interrupt();
    const { code, stderr } = await run.done;
    const took = Date.now() - sent;
    expect(code).toBe(130);
    expect(took).toBeLessThan(1000);
    expect(stderr).toMatch(/ERR_INTERRUPTED|interrupted/);
    expect(leftovers(await allPaths(cwd))).toEqual([]);
    expect(leftovers(await allPaths(cache))).toEqual([]);
  });

  it('`add` interrupted puts wit.toml back and drops the lock', async () => {
    const toml = witToml('"wasi:io" = "0.2.3"', wasi());
    const { cwd, cache } = await setup(toml);
    const before = server.seen.length;
    const run = runCli(cwd, cache, ['add', 'wasi:http@0.2.3']);
    await requestArrived(before, run);
    run.interrupt();
    const { code } = await run.done;
    expect(code).toBe(130);
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(toml);
    expect(leftovers(await allPaths(cwd))).toEqual([]);
  });

  // Two Ctrl-C in a row reach the process as one signal when sent together, so the second one's
  // effect, `process.exit(130)` with no catch or finally run, is called here by the program itself
  // once its first request goes out (`resolving`), through the built package's `add`.
  it('`add` ended at once (a second Ctrl-C) puts wit.toml back and drops the lock', async () => {
    const toml = witToml('"wasi:io" = "0.2.3"', wasi());
    const { cwd, cache } = await setup(toml);
    const script = [
      `const { add } = await import(${JSON.stringify(join(DIST, 'index.js'))});`,
      `await add('wasi:http@0.2.3', { cwd: ${JSON.stringify(cwd)},`,
      `  env: { HOME: ${JSON.stringify(cwd)}, WIT_DEPS_CACHE_DIR: ${JSON.stringify(cache)} },`,
      `  onEvent: (e) => { if (e.kind === 'resolving') process.exit(130); } });`,
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(130);
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(toml);
    expect(leftovers(await allPaths(cwd))).toEqual([]);
  });

  it('`add` without a wit.toml removes the one it created', async () => {
    const { cwd, cache } = await setup(undefined);
    const before = server.seen.length;
    const run = runCli(cwd, cache, ['add', 'wasi:http@0.2.3', '--registry', server.host]);
    await requestArrived(before, run);
    run.interrupt();
    expect((await run.done).code).toBe(130);
    expect(await readdir(cwd)).toEqual(['wit']);
  });
});
