/**
 * wkg projects install with zero file changes (issue 10), through the CLI in-process, against the
 * real registry: the WASI fixture packages published to docker-registry, and the user's
 * `~/.config/wasm-pkg/config.toml` mapping `wasi` to it as wkg users have it (registry name
 * `wasi.dev`, inline metadata), so the fixture locks are byte for byte what wkg writes.
 * Shapes (fixtures/wkg-projects/): several WIT versions side by side, each with its own lock
 * inside the WIT folder; a workspace whose crates share one root lock; a WIT folder next to a
 * wkg.toml in a subfolder; a WIT package with no foreign references (`packages = []`). Also: the
 * root is found from a subfolder, `-C` runs as if started there, `-d` names the WIT folder (the
 * lock stays where wkg puts it), and read-only commands outside any project fail.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { snapshot } from '../support/project-snapshot.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { tempDir } from '../support/temp-project.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/wkg-projects');

let registry: RunningRegistry;
let home: string;

beforeAll(async () => {
  registry = await startRegistry();
  await publishWasi(registry.host, 'webassembly/', wasiFixtures());
  home = await tempDir('wit-deps-wkg-home-');
  const config = join(home, '.config', 'wasm-pkg');
  await mkdir(config, { recursive: true });
  await writeFile(
    join(config, 'config.toml'),
    `[namespace_registries]\nwasi = { registry = "wasi.dev", metadata = { preferredProtocol = "oci", oci = { registry = "${registry.host}", namespacePrefix = "webassembly/" } } }\n`,
  );
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

/** A copy of a fixture project under the temporary home (as `~/src/<shape>`). */
async function copy(shape: string): Promise<string> {
  const dir = join(await mkdtemp(join(home, 'src-')), shape);
  await cp(join(FIXTURES, shape), dir, { recursive: true });
  return dir;
}

/** Runs the CLI in `cwd`: exit code, stdout, stderr. */
async function run(cwd: string, ...argv: string[]) {
  const io = bufferIo({ cwd, env: { HOME: home } });
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** Every file of a project except what an install owns (`<wit>/deps/`). */
async function userFiles(dir: string): Promise<Record<string, string>> {
  const all = await snapshot(dir);
  return Object.fromEntries(Object.entries(all).filter(([k]) => !/(^|\/)deps\//.test(k)));
}

async function list(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
}

describe('wkg projects install with zero file changes', () => {
  it('several WIT versions side by side, each with its own wkg.lock inside the WIT folder', async () => {
    const dir = await copy('multi-version');
    const before = await userFiles(dir);
    // as wkg runs there: `cd wit/0_2_0 && wkg wit fetch -d .`
    const first = await run(join(dir, 'wit', '0_2_0'), 'install');
    expect(first).toMatchObject({ code: 0 });
    expect(first.out).toMatch(/2 packages installed, 2 written, wkg.lock unchanged/);
    expect(await list(join(dir, 'wit', '0_2_0', 'deps'))).toEqual([
      'wasi-io-0.2.0',
      'wasi-random-0.2.0',
    ]);
    // -C: as if started in the other WIT folder
    expect((await run(dir, '-C', 'wit/0_2_3', 'install')).code).toBe(0);
    expect(await list(join(dir, 'wit', '0_2_3', 'deps'))).toEqual([
      'wasi-io-0.2.3',
      'wasi-random-0.2.3',
    ]);
    expect(await userFiles(dir)).toEqual(before);
    // from inside deps/ the WIT folder with the lock is still the project; verify checks it
    const verified = await run(join(dir, 'wit', '0_2_3', 'deps', 'wasi-io-0.2.3'), 'verify');
    expect(verified).toMatchObject({ code: 0, out: '2 locked packages verified\n' });
    const again = await run(join(dir, 'wit', '0_2_0'), 'install', '--frozen');
    expect(again.out).toMatch(/up to date: 2 packages, 0 requests/);
  });

  it('`-d <dir>` reads and writes the lock where wkg does: in the folder it runs in', async () => {
    const dir = await copy('multi-version');
    // `wkg wit fetch -d wit/0_2_0` from the top writes ./wkg.lock, not wit/0_2_0/wkg.lock
    const result = await run(dir, 'install', '-d', 'wit/0_2_0');
    expect(result.code).toBe(0);
    const inner = await readFile(join(dir, 'wit', '0_2_0', 'wkg.lock'), 'utf8');
    expect(await readFile(join(dir, 'wkg.lock'), 'utf8')).toBe(inner);
    expect(await list(join(dir, 'wit', '0_2_0', 'deps'))).toEqual([
      'wasi-io-0.2.0',
      'wasi-random-0.2.0',
    ]);
  });

  it('a workspace whose crates share the root wkg.lock', async () => {
    const dir = await copy('workspace');
    const before = await userFiles(dir);
    // as wkg runs: from the root, one WIT folder at a time
    expect((await run(dir, 'install', '-d', 'crates/a/wit')).code).toBe(0);
    expect(await list(join(dir, 'crates', 'a', 'wit', 'deps'))).toEqual(['wasi-io-0.2.3']);
    // from a crate's subfolder: its own wit/ folder, the root lock
    const fromCrate = await run(join(dir, 'crates', 'b'), 'install', '--locked');
    expect(fromCrate).toMatchObject({ code: 0 });
    expect(await list(join(dir, 'crates', 'b', 'wit', 'deps'))).toEqual(['wasi-io-0.2.3']);
    expect((await run(join(dir, 'crates', 'a', 'src'), 'verify')).code).toBe(0);
    expect(await userFiles(dir)).toEqual(before);
    // at the root no WIT folder is implied: a typed error that names -d
    const atRoot = await run(dir, '--json', 'install');
    expect(atRoot.code).toBe(1);
    const error = (JSON.parse(atRoot.out) as { error: { code: string; hint: string } }).error;
    expect(error.code).toBe('ERR_MANIFEST_NOT_FOUND');
    expect(error.hint).toContain('-d <wit-folder>');
  });

  it('a WIT folder next to a wkg.toml in a subfolder, from the top with -C and from below', async () => {
    const dir = await copy('subfolder');
    const before = await userFiles(dir);
    expect((await run(dir, '-C', 'component', 'install')).code).toBe(0);
    expect(await list(join(dir, 'component', 'wit', 'deps'))).toEqual([
      'wasi-io-0.2.3',
      'wasi-random-0.2.3',
    ]);
    // from component/src the root is component/ (its wkg.toml)
    const below = await run(join(dir, 'component', 'src'), 'install', '--frozen');
    expect(below.out).toMatch(/up to date: 2 packages/);
    expect(await userFiles(dir)).toEqual(before);
    // the top of the repository is not the project
    const top = await run(dir, '--json', 'verify');
    expect(top.code).toBe(1);
    expect(JSON.parse(top.out)).toMatchObject({ error: { code: 'ERR_MANIFEST_NOT_FOUND' } });
  });

  it('a WIT package with no foreign references: nothing to install, the lock as wkg wrote it', async () => {
    const dir = await copy('no-foreign-refs');
    const before = await userFiles(dir);
    const result = await run(dir, 'install');
    expect(result).toMatchObject({ code: 0, out: 'nothing to install, wkg.lock unchanged\n' });
    expect((await run(dir, 'install', '--locked')).code).toBe(0);
    expect((await run(join(dir, 'wit'), 'verify')).code).toBe(0);
    expect(await userFiles(dir)).toEqual(before);
    expect(await readFile(join(dir, 'wkg.lock'), 'utf8')).toBe(
      '# This file is automatically generated.\n# It is not intended for manual editing.\nversion = 1\npackages = []\n',
    );
  });
});

describe('init in a wkg project', () => {
  it('writes wit.toml at the project root, naming a WIT folder that is not wit/', async () => {
    const dir = await copy('multi-version');
    // in a WIT folder with its own lock: that folder is the root and the WIT folder
    const inFolder = await run(join(dir, 'wit', '0_2_0'), 'init');
    expect(inFolder.code).toBe(0);
    const toml = await readFile(join(dir, 'wit', '0_2_0', 'wit.toml'), 'utf8');
    expect(toml).toBe(
      '[package]\nwit = "."\n\n[dependencies]\n"wasi:io" = "=0.2.0"\n"wasi:random" = "=0.2.0"\n',
    );
    const lock = await readFile(join(dir, 'wit', '0_2_0', 'wkg.lock'), 'utf8');
    expect((await run(join(dir, 'wit', '0_2_0'), 'install', '--locked')).code).toBe(0);
    expect(await readFile(join(dir, 'wit', '0_2_0', 'wkg.lock'), 'utf8')).toBe(lock);
    // -d from the top of the repository: wit.toml at the top, the folder under [package] wit
    expect((await run(dir, 'init', '-d', 'wit/0_2_3')).code).toBe(0);
    expect(await readFile(join(dir, 'wit.toml'), 'utf8')).toMatch(
      /^\[package\]\nwit = "wit\/0_2_3"\n/,
    );
    // from a subfolder of a wkg.toml project: next to the wkg.toml
    const sub = await copy('subfolder');
    expect((await run(join(sub, 'component', 'src'), 'init')).code).toBe(0);
    expect(await list(join(sub, 'component'))).toContain('wit.toml');
  });
});

describe('outside any project', () => {
  it.each([['verify'], ['tree'], ['outdated']])(
    '`%s` fails with ERR_MANIFEST_NOT_FOUND and exit code 1',
    async (command) => {
      const empty = await mkdtemp(join(home, 'empty-'));
      const io = bufferIo({ cwd: empty, env: { HOME: empty } });
      expect(await main(['--json', command], io)).toBe(1);
      expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'ERR_MANIFEST_NOT_FOUND' } });
    },
  );

  it('`-C` to a missing folder and `-d` outside the project are usage errors', async () => {
    const dir = await copy('no-foreign-refs');
    const missing = await run(dir, '--json', '-C', 'nope', 'install');
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.out)).toMatchObject({ error: { code: 'ERR_USAGE' } });
    const outside = await run(join(dir, 'wit'), '--json', 'install', '-d', '../..');
    expect(outside.code).toBe(2);
    expect(JSON.parse(outside.out)).toMatchObject({ error: { code: 'ERR_USAGE' } });
  });
});
