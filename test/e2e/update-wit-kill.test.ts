/**
 * `kill -9` of the real CLI during `wit-deps update --wit`, after every step of its commit (the
 * test hook of src/app/deps/test-hook.ts pauses there): the project's WIT files, wit.toml, wit/deps and
 * wkg.lock are the old state or, once the next command has replayed the journal, the new one;
 * never a mix (a WIT file moved to 0.2.3 with wit/deps still at 0.2.0).
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { updateWit } from '../../src/app/deps/update-wit.js';
import { ensureBuilt, pausedOrDone, runCli } from '../support/cli-process.js';
import { installState, projectLeftovers } from '../support/project-snapshot.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';
import { tempDir, tempProject } from '../support/temp-project.js';

type State = Record<string, string>;
let registry: RunningRegistry;
let work: string;
let base: string;
let cache: string;
let states: { old: State; new: State };

const WORLD =
  'package acme:app@0.1.0;\n\nworld app {\n  import wasi:io/poll@0.2.0;\n  import wasi:random/random@0.2.0; // rng\n}\n';

/** wit/deps, wkg.lock, and the files update --wit edits. */
async function projectState(cwd: string): Promise<State> {
  return {
    ...(await installState(cwd)),
    'wit/world.wit': await readFile(join(cwd, 'wit/world.wit'), 'utf8'),
    'wit.toml': await readFile(join(cwd, 'wit.toml'), 'utf8'),
  };
}

async function copyOfBase(): Promise<string> {
  const dir = await mkdtemp(join(work, 'proj-'));
  await cp(base, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  ensureBuilt();
  registry = await startRegistry();
  const wanted = new Set(['wasi:io', 'wasi:random']);
  await publishWasi(
    registry.host,
    'kill/',
    wasiFixtures().filter((f) => wanted.has(f.name) && !f.version.includes('-')),
  );
  work = await tempDir('wit-deps-uwkill-');
  cache = join(work, 'cache');
  base = await tempProject({
    dir: join(work, 'base'),
    witToml: `[dependencies]\n"wasi:random" = "=0.2.0"\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "kill/" }\n`,
    files: { 'wit/world.wit': WORLD },
  });
  await install({ cwd: base, env: { HOME: base }, cacheDir: cache });
  const reference = await copyOfBase();
  await updateWit([], { cwd: reference, env: { HOME: reference }, cacheDir: cache });
  states = { old: await projectState(base), new: await projectState(reference) };
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

describe('kill -9 during wit-deps update --wit', () => {
  it('old and new differ in the WIT, wit.toml, wit/deps and the lock', () => {
    expect(states.new['wit/world.wit']).toBe(WORLD.replaceAll('@0.2.0;', '@0.2.3;'));
    expect(states.new['wit.toml']).toContain('"=0.2.3"');
    expect(Object.keys(states.new)).toContain('wit/deps/wasi-io-0.2.3/package.wit');
    expect(states.new['wkg.lock']).not.toBe(states.old['wkg.lock']);
  });

  it('after every commit step: old or new, never a mix', async () => {
    const seen: string[] = [];
    for (let n = 1; n < 30; n++) {
      const cwd = await copyOfBase();
      const paused = join(work, `paused-${n}`);
      const run = runCli(cwd, cache, ['update', '--wit'], {
        WIT_DEPS_TEST_HOOK_PAUSE_AT: String(n),
        WIT_DEPS_TEST_HOOK_PAUSED_FILE: paused,
      });
      const at = await pausedOrDone(run, paused);
      if (at === undefined) {
        expect((await run.done).code).toBe(0); // past the last step: it ran to the end
        expect(await projectState(cwd)).toEqual(states.new);
        break;
      }
      seen.push(at);
      run.kill();
      expect((await run.done).signal).toBe('SIGKILL');
      const step = at.slice(at.indexOf(' ') + 1);
      const pending = existsSync(join(cwd, '.wit-deps-journal.json'));
      expect(pending, at).toBe(step !== 'staged' && step !== 'done');
      const recover = runCli(cwd, cache, ['verify']);
      expect((await recover.done).code, at).toBe(0);
      expect(await projectState(cwd), at).toEqual(step === 'staged' ? states.old : states.new);
      expect(await projectLeftovers(cwd), at).toEqual([]);
    }
    expect(seen.some((s) => s.endsWith(' file wit/world.wit'))).toBe(true);
    expect(seen.some((s) => s.endsWith(' file wit.toml'))).toBe(true);
  }, 120_000);
});
