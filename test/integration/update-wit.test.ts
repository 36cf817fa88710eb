/**
 * `update --wit` against the real registry (WASI io/random/clocks 0.2.0, 0.2.3 and
 * 0.3.0-rc-2026-01-06 published from fixtures): the project's own `.wit` references move with
 * wkg.lock, wit/deps and wit.toml; formatting is kept byte for byte; `--dry-run` writes nothing;
 * a WIT that does not resolve against the new versions leaves every file as it was; a commit cut
 * after its journal is finished by the next command, one cut before it leaves the old state.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { addPackages, updatePackages } from '../../src/app/deps/add-remove.js';
import { updateWit } from '../../src/app/deps/update-wit.js';
import { verify } from '../../src/app/deps/verify.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseLock, serializeLock } from '../../src/project/wkg-lock.js';
import { installState, projectLeftovers, snapshot } from '../support/project-snapshot.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';
import { tempDir, tempProject } from '../support/temp-project.js';

let registry: RunningRegistry;
let cacheDir: string;

beforeAll(async () => {
  registry = await startRegistry();
  const wanted = new Set(['wasi:io', 'wasi:random', 'wasi:clocks']);
  await publishWasi(
    registry.host,
    'webassembly/',
    wasiFixtures().filter((f) => wanted.has(f.name)),
  );
  cacheDir = await tempDir('wit-deps-uw-cache-');
}, 120_000);

afterAll(async () => {
  await registry.stop();
});

const registries = (): string =>
  `[registries]\nwasi = { oci = "${registry.host}", prefix = "webassembly/" }\n`;
const opts = (cwd: string) => ({ cwd, env: { HOME: cwd }, cacheDir });

const WORLD = [
  '\uFEFFpackage acme:app@0.1.0;',
  '',
  '/// The app. It once used `wasi:io/poll@0.2.0` here: comments stay.',
  'world app {',
  '  import wasi:io/poll@0.2.0;   // the poll',
  '  import  wasi:random/random@0.2.0 ;',
  '  import wasi:clocks/monotonic-clock@0.2.0;',
  '}',
  '',
].join('\r\n');
const TYPES = [
  'package acme:app@0.1.0;',
  '',
  'interface types {',
  '  use wasi:io/streams@0.2.0.{input-stream};',
  '  use wasi:clocks/wall-clock@0.2.0.{datetime};',
  '  record r { s: datetime }',
  '}',
  '',
].join('\n');
const TOML = [
  '# the app',
  '[dependencies]',
  '',
  '[dependencies."wasi:random"] # random numbers',
  'version = "=0.2.0"  # pinned on purpose',
  '',
].join('\n');

async function wkgProject(): Promise<string> {
  const cwd = await tempProject({
    prefix: 'wit-deps-uw-',
    witToml: `${TOML}\n${registries()}`,
    files: { 'wit/world.wit': WORLD, 'wit/types.wit': TYPES },
  });
  await install(opts(cwd));
  return cwd;
}

const lockedVersions = async (cwd: string): Promise<string[]> =>
  parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8')).packages.flatMap((p) =>
    p.versions.map((v) => `${p.name}@${v.version}`),
  );

describe('update --wit', () => {
  it('moves every reference, wit.toml, wkg.lock and wit/deps together, keeping every other byte', async () => {
    const cwd = await wkgProject();
    expect(await lockedVersions(cwd)).toContain('wasi:io@0.2.0');

    const result = await updateWit([], opts(cwd));

    const world = await readFile(join(cwd, 'wit/world.wit'), 'utf8');
    expect(world).toBe(WORLD.replace(/(poll|random|monotonic-clock)@0\.2\.0(;| ;)/g, '$1@0.2.3$2'));
    expect(world).toContain('`wasi:io/poll@0.2.0` here');
    expect(await readFile(join(cwd, 'wit/types.wit'), 'utf8')).toBe(
      TYPES.replaceAll('@0.2.0.{', '@0.2.3.{'),
    );
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(
      `${TOML.replace('"=0.2.0"', '"=0.2.3"')}\n${registries()}`,
    );
    expect(result.packages).toEqual([
      { name: 'wasi:clocks', from: ['0.2.0'], to: '0.2.3' },
      { name: 'wasi:io', from: ['0.2.0'], to: '0.2.3' },
      { name: 'wasi:random', from: ['0.2.0'], to: '0.2.3' },
    ]);
    expect(result.edits.map((e) => `${e.file}:${e.line}`)).toEqual([
      'wit/types.wit:4',
      'wit/types.wit:5',
      'wit/world.wit:5',
      'wit/world.wit:6',
      'wit/world.wit:7',
    ]);
    expect(result.manifest).toEqual([{ name: 'wasi:random', from: '=0.2.0', to: '=0.2.3' }]);
    expect(await lockedVersions(cwd)).not.toContain('wasi:io@0.2.0');
    expect(await lockedVersions(cwd)).toContain('wasi:io@0.2.3');
    expect(Object.keys(await installState(cwd)).filter((k) => k.includes('0.2.0'))).toEqual([]);
    expect(await verify(opts(cwd))).toMatchObject({ problems: [] });
    expect(await projectLeftovers(cwd)).toEqual([]);

    // again: nothing to move, nothing installed or written
    const before = await snapshot(cwd);
    const again = await updateWit([], opts(cwd));
    expect(again).toMatchObject({ packages: [], edits: [], manifest: [], dryRun: false });
    expect(again.install).toBeUndefined();
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('--dry-run returns the diff and writes nothing', async () => {
    const cwd = await wkgProject();
    const before = await snapshot(cwd);
    const result = await updateWit(['wasi:io'], { ...opts(cwd), dryRun: true });
    expect(await snapshot(cwd)).toEqual(before);
    expect(result.install).toBeUndefined();
    expect(result.diff).toBe(
      [
        '--- a/wit/types.wit',
        '+++ b/wit/types.wit',
        '@@ -4,1 +4,1 @@',
        '-  use wasi:io/streams@0.2.0.{input-stream};',
        '+  use wasi:io/streams@0.2.3.{input-stream};',
        '--- a/wit/world.wit',
        '+++ b/wit/world.wit',
        '@@ -5,1 +5,1 @@',
        '-  import wasi:io/poll@0.2.0;   // the poll',
        '+  import wasi:io/poll@0.2.3;   // the poll',
      ].join('\n'),
    );
  });

  it('pkg@version that does not resolve (an interface gone) writes nothing and shows the diagnostic', async () => {
    const cwd = await wkgProject();
    const before = await snapshot(cwd);
    const failure = await updateWit(['wasi:clocks@0.3.0-rc-2026-01-06'], opts(cwd)).catch(
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 'ERR_WIT_RESOLVE' });
    expect(String((failure as Error).message)).toContain("the project's WIT does not resolve");
    expect((failure as { details: Record<string, unknown> }).details['rendered']).toEqual(
      expect.stringContaining('wall-clock'),
    );
    expect(await snapshot(cwd)).toEqual(before);
    expect(await projectLeftovers(cwd)).toEqual([]);
  });

  it('pkg@version that is not published lists the versions that are', async () => {
    const cwd = await wkgProject();
    await expect(updateWit(['wasi:io@0.2.9'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      details: { versions: ['0.2.3', '0.2.0'] },
    });
  });

  it('a commit cut before its journal leaves the old state; one cut after it ends in the new', async () => {
    const cwd = await wkgProject();
    const before = await snapshot(cwd);
    const cut = (at: string) => (event: { kind: string }) => {
      if (event.kind === at) throw new Error(`cut at ${at}`);
    };
    await expect(updateWit([], { ...opts(cwd), onEvent: cut('writing') })).rejects.toThrow(
      'cut at writing',
    );
    expect(await snapshot(cwd)).toEqual(before);
    await expect(updateWit([], { ...opts(cwd), onEvent: cut('committed') })).rejects.toThrow(
      'cut at committed',
    );
    // the journal is on disk; the next command finishes the commit, WIT files included
    expect(await verify(opts(cwd))).toMatchObject({ problems: [] });
    expect(await readFile(join(cwd, 'wit/world.wit'), 'utf8')).toContain('wasi:io/poll@0.2.3;');
    expect(await readFile(join(cwd, 'wit/types.wit'), 'utf8')).toContain('streams@0.2.3.{');
    expect(await lockedVersions(cwd)).toContain('wasi:io@0.2.3');
    expect(await projectLeftovers(cwd)).toEqual([]);
  });
});

describe('add names versions that exist', () => {
  const plain = async (): Promise<string> =>
    tempProject({ prefix: 'wit-deps-uw-add-', witToml: `[dependencies]\n\n${registries()}` });

  it('add pkg@latest writes the latest stable version', async () => {
    const cwd = await plain();
    const added = await addPackages(['wasi:io@latest'], opts(cwd));
    expect(added.changed).toEqual([{ name: 'wasi:io', to: '0.2.3' }]);
  });

  it('add pkg@=<missing> is ERR_RESOLVE_NO_MATCH listing the published versions; wit.toml unchanged', async () => {
    const cwd = await plain();
    const before = await snapshot(cwd);
    await expect(addPackages(['wasi:io@=0.2.9'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      message: '`wasi:io@0.2.9` is not published',
      details: { versions: ['0.2.3', '0.2.0'] },
    });
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('add of a package with prereleases only lists them', async () => {
    await publishWasi(
      registry.host,
      'pre/',
      wasiFixtures().filter((f) => f.name === 'wasi:random' && f.version.includes('-')),
    );
    const cwd = await tempProject({
      prefix: 'wit-deps-uw-pre-',
      witToml: `[dependencies]\n\n[registries]\nwasi = { oci = "${registry.host}", prefix = "pre/" }\n`,
    });
    await expect(addPackages(['wasi:random'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      hint: expect.stringContaining('prereleases only (0.3.0-rc-2026-01-06)') as unknown,
    });
  });
});

describe('the CLI', () => {
  it('update --wit --dry-run prints the diff; update --wit prints what moved; plain update names the WIT pins', async () => {
    const cwd = await wkgProject();
    const env = { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheDir };
    const plain = bufferIo({ cwd, env });
    expect(await main(['update'], plain)).toBe(0);
    expect(plain.err()).toContain(
      'wasi:io@0.2.0 is pinned by the WIT (wit/types.wit:4): run `wit-deps update --wit wasi:io` to move it',
    );
    const dry = bufferIo({ cwd, env });
    expect(await main(['update', '--wit', '--dry-run', 'wasi:random'], dry)).toBe(0);
    expect(dry.out()).toBe(
      '--- a/wit/world.wit\n+++ b/wit/world.wit\n@@ -6,1 +6,1 @@\n-  import  wasi:random/random@0.2.0 ;\n+  import  wasi:random/random@0.2.3 ;\n',
    );
    const real = bufferIo({ cwd, env });
    expect(await main(['update', '--wit', 'wasi:random'], real)).toBe(0);
    expect(real.out()).toMatch(
      /^wasi:random: 0\.2\.0 -> 0\.2\.3\nwit\.toml wasi:random: =0\.2\.0 -> =0\.2\.3\nupdated wasi:random 0\.2\.0 -> 0\.2\.3\nmoved 1 reference in 1 file\n\d+ packages installed/,
    );
  });
  it('-d <dir>: update --wit and the WIT-pin note read the WIT folder the flag names', async () => {
    const cwd = await tempProject({
      prefix: 'wit-deps-uw-d-',
      witToml: `${TOML}\n${registries()}`,
      files: { 'interface/world.wit': WORLD, 'interface/types.wit': TYPES },
    });
    const env = { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheDir };
    expect(await main(['install', '-d', 'interface'], bufferIo({ cwd, env }))).toBe(0);
    const plain = bufferIo({ cwd, env });
    expect(await main(['update', '-d', 'interface'], plain)).toBe(0);
    expect(plain.err()).toContain('wasi:io@0.2.0 is pinned by the WIT (interface/types.wit:4)');
    const dry = bufferIo({ cwd, env });
    expect(
      await main(['update', '--wit', '--dry-run', '-d', 'interface', 'wasi:random'], dry),
    ).toBe(0);
    expect(dry.out()).toContain('+++ b/interface/world.wit');
    const real = bufferIo({ cwd, env });
    expect(await main(['update', '--wit', '-d', 'interface', 'wasi:random'], real)).toBe(0);
    expect(await readFile(join(cwd, 'interface/world.wit'), 'utf8')).toContain(
      'wasi:random/random@0.2.3 ;',
    );
    expect(await lockedVersions(cwd)).toContain('wasi:random@0.2.3');
  });
});

describe('plain update with WIT-pinned packages', () => {
  it('says they are pinned by the WIT (file:line) instead of succeeding silently', async () => {
    const cwd = await wkgProject();
    const result = await updatePackages([], opts(cwd));
    expect(result.pinnedByWit).toEqual([
      { name: 'wasi:clocks', version: '0.2.0', at: 'wit/types.wit:5' },
      { name: 'wasi:io', version: '0.2.0', at: 'wit/types.wit:4' },
    ]);
  });

  it('update <transitive pkg> with a direct-only lock: the wit/deps folder marker makes it known', async () => {
    const cwd = await wkgProject();
    // as wkg writes it: the direct packages only (wasi:io is a dependency of wasi:clocks)
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    lock.packages = lock.packages.filter((p) => p.name !== 'wasi:io');
    await writeFile(join(cwd, 'wkg.lock'), serializeLock(lock));
    const result = await updatePackages(['wasi:io'], opts(cwd));
    expect(result.install.packages.map((p) => p.id)).toContain('wasi:io@0.2.0');
    await expect(updatePackages(['wasi:http'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_USAGE',
    });
  });
});
