/**
 * `outdated` against the real registry (WASI io/clocks 0.2.0 and 0.2.3 published from fixtures):
 * rows for the packages in use, transitive ones included, resolved as install resolves them; a
 * `source` column saying where each requirement comes from (the WIT file and line, wit.toml,
 * `transitive via`); only outdated rows unless `--all`; two versions of one package say why;
 * `--exit-code` exits 1 when something is outdated, 0 when nothing is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { outdated } from '../../src/app/deps/outdated.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';
import { tempDir, tempProject } from '../support/temp-project.js';

let registry: RunningRegistry;
let cacheDir: string;

beforeAll(async () => {
  registry = await startRegistry();
  const wanted = new Set(['wasi:io', 'wasi:clocks']);
  await publishWasi(
    registry.host,
    'webassembly/',
    wasiFixtures().filter((f) => wanted.has(f.name) && !f.version.includes('-')),
  );
  cacheDir = await tempDir('wit-deps-od-cache-');
}, 120_000);

afterAll(async () => {
  await registry.stop();
});

const opts = (cwd: string) => ({ cwd, env: { HOME: cwd }, cacheDir });

async function project(world: string, deps = ''): Promise<string> {
  const cwd = await tempProject({
    prefix: 'wit-deps-od-',
    witToml: `[dependencies]\n${deps}\n[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`,
    files: { 'wit/world.wit': `package acme:app@0.1.0;\n\nworld app {\n${world}}\n` },
  });
  await install(opts(cwd));
  return cwd;
}

describe('outdated', () => {
  it('lists WIT-pinned and transitive packages with where they come from', async () => {
    const cwd = await project('  import wasi:clocks/monotonic-clock@0.2.0;\n');
    const result = await outdated(opts(cwd));
    expect(result.outdated).toBe(2);
    expect(result.packages).toEqual([
      {
        name: 'wasi:clocks',
        requirement: '=0.2.0',
        current: '0.2.0',
        wanted: '0.2.0',
        latest: '0.2.3',
        outdated: true,
        source: 'wit/world.wit:4',
      },
      {
        name: 'wasi:io',
        requirement: '=0.2.0',
        current: '0.2.0',
        wanted: '0.2.0',
        latest: '0.2.3',
        outdated: true,
        source: 'transitive via wasi:clocks@0.2.0',
      },
    ]);
  });

  it('shows only outdated rows unless --all, and says why a package is in use twice', async () => {
    const cwd = await project(
      '  import wasi:clocks/monotonic-clock@0.2.0;\n',
      '"wasi:io" = "~0.2.3"\n',
    );
    const result = await outdated(opts(cwd));
    expect(result.packages.map((r) => `${r.name}@${r.current} ${r.source}`)).toEqual([
      'wasi:clocks@0.2.0 wit/world.wit:4',
      'wasi:io@0.2.0 transitive via wasi:clocks@0.2.0',
    ]);
    const every = await outdated({ ...opts(cwd), all: true });
    const io = every.packages.filter((r) => r.name === 'wasi:io');
    expect(io.map((r) => [r.current, r.outdated, r.source])).toEqual([
      ['0.2.0', true, 'transitive via wasi:clocks@0.2.0'],
      ['0.2.3', false, 'wit.toml'],
    ]);
    expect(io[0]!.note).toBe(
      'in use at 2 versions, as no one version satisfies every requirement: 0.2.0 (transitive via wasi:clocks@0.2.0), 0.2.3 (wit.toml)',
    );
  });

  it('--exit-code exits 1 when something is outdated, 0 when nothing is', async () => {
    const env = (cwd: string) => ({ HOME: cwd, WIT_DEPS_CACHE_DIR: cacheDir });
    const old = await project('  import wasi:io/poll@0.2.0;\n');
    const io = bufferIo({ cwd: old, env: env(old) });
    expect(await main(['outdated', '--exit-code'], io)).toBe(1);
    expect(io.out()).toMatch(
      /^package +current +wanted +latest +source\nwasi:io +0\.2\.0 +0\.2\.0 +0\.2\.3 +wit\/world\.wit:4\n$/,
    );
    expect(await main(['outdated'], bufferIo({ cwd: old, env: env(old) }))).toBe(0);

    const fresh = await project('  import wasi:io/poll@0.2.3;\n');
    const ok = bufferIo({ cwd: fresh, env: env(fresh) });
    expect(await main(['outdated', '--exit-code'], ok)).toBe(0);
    expect(ok.out()).toBe('every package is at its newest version\n');
  });
});
