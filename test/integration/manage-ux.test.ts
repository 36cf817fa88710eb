/**
 * What a user meets around the dependency commands, against the real registry: an install
 * repairs the folders `verify` blames, `update` of a package that is not a dependency is an
 * error, `update` reports the versions it changed.
 */
import { createServer } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { addPackages, removePackages, updatePackages } from '../../src/app/deps/add-remove.js';
import { verify } from '../../src/app/deps/verify.js';
import { main } from '../../src/cli/main.js';
import { parseLock, serializeLock } from '../../src/project/wkg-lock.js';
import { bufferIo } from '../../src/cli/io.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';
import { tempDir, tempProject } from '../support/temp-project.js';

let open: RunningRegistry;
let cacheDir: string;
let digests: Map<string, string>;

beforeAll(async () => {
  open = await startRegistry();
  const io = wasiFixtures().filter(
    (f) =>
      (f.name === 'wasi:io' || f.name === 'wasi:random' || f.name === 'wasi:clocks') &&
      !f.version.includes('-'),
  );
  digests = await publishWasi(open.host, 'webassembly/', io);
  cacheDir = await tempDir('wit-deps-ux-cache-');
}, 120_000);

afterAll(async () => {
  await open.stop();
});

async function project(deps: string): Promise<string> {
  const registries = `[registries]\nwasi = { oci = "${open.host}", prefix = "webassembly/" }\n`;
  return tempProject({ prefix: 'wit-deps-ux-', witToml: `[dependencies]\n${deps}\n${registries}` });
}

const opts = (cwd: string) => ({ cwd, env: { HOME: cwd }, cacheDir });

describe('install repairs what verify reports', () => {
  it('rewrites a managed folder whose files were edited or deleted', async () => {
    const cwd = await project('"wasi:io" = "=0.2.3"\n"wasi:random" = "=0.2.3"');
    await install(opts(cwd));
    const file = join(cwd, 'wit', 'deps', 'wasi-io-0.2.3', 'package.wit');
    const original = await readFile(file, 'utf8');
    await writeFile(file, 'tampered\n');
    await expect(verify(opts(cwd))).rejects.toMatchObject({ code: 'ERR_VERIFY_FAILED' });

    const repaired = await install(opts(cwd));
    expect(repaired.packages.map((p) => [p.id, p.status])).toEqual([
      ['wasi:io@0.2.3', 'written'],
      ['wasi:random@0.2.3', 'unchanged'],
    ]);
    expect(await readFile(file, 'utf8')).toBe(original);
    expect((await verify(opts(cwd))).problems).toEqual([]);
  });
});

/** Locks `wasi:random` at 0.2.0, as if it had been installed before 0.2.3 existed. */
async function pinRandom(cwd: string, digest: string): Promise<void> {
  const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
  const random = lock.packages.find((p) => p.name === 'wasi:random')!;
  random.versions = [{ requirement: random.versions[0]!.requirement, version: '0.2.0', digest }];
  await writeFile(join(cwd, 'wkg.lock'), serializeLock(lock));
}

describe('update', () => {
  it('refuses a package that is not a dependency, and names what it moved', async () => {
    const cwd = await project('"wasi:random" = "^0.2.0"');
    await install(opts(cwd));
    await expect(updatePackages(['wasi:nope'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_USAGE',
      message: 'package `wasi:nope` is not a dependency of this project',
    });
    await pinRandom(cwd, digests.get('wasi:random@0.2.0')!);
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheDir } });
    expect(await main(['update', 'wasi:random'], io)).toBe(0);
    expect(io.out()).toMatch(/^updated wasi:random 0\.2\.0 -> 0\.2\.3\n1 package installed/);
  });

  it('--locked says which lock entries are out of date', async () => {
    const cwd = await project('"wasi:random" = "^0.2.0"');
    await install(opts(cwd));
    await writeFile(
      join(cwd, 'wit.toml'),
      (await readFile(join(cwd, 'wit.toml'), 'utf8')).replace('^0.2.0', '=0.2.0'),
    );
    await expect(install({ ...opts(cwd), locked: true })).rejects.toMatchObject({
      code: 'ERR_LOCKFILE_OUTDATED',
      message:
        'wit.toml now requires `wasi:random` `=0.2.0`, which wkg.lock does not record: wkg.lock needs to be updated (wasi:random 0.2.3 -> 0.2.0) but --locked was given',
    });
  });
});

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('a registry that is down', () => {
  it('fails discovery naming the package, the reason and the [registries] line', async () => {
    const port = await closedPort();
    const cwd = await tempDir('wit-deps-ux-');
    await writeFile(
      join(cwd, 'wit.toml'),
      `[dependencies]\n"wasi:io" = "^0.2"\n[registries]\nwasi = "127.0.0.1:${port}"\n`,
    );
    await expect(install(opts(cwd))).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: `\`wasi:io\`: registry \`127.0.0.1:${port}\` could not be reached for discovery: ECONNREFUSED`,
      hint: expect.stringContaining(
        'add `wasi = { oci = "<host>", prefix = "<prefix>/" }` under `[registries]` in wit.toml',
      ) as unknown,
    });
  });

  it('is ERR_NETWORK with a hint that fits the dependency commands', async () => {
    const port = await closedPort();
    const cwd = await tempDir('wit-deps-ux-');
    await writeFile(
      join(cwd, 'wit.toml'),
      `[dependencies]\n"wasi:io" = "^0.2"\n[registries]\nwasi = { oci = "127.0.0.1:${port}" }\n`,
    );
    const error: unknown = await install({
      ...opts(cwd),
      env: { HOME: cwd, WIT_DEPS_RETRIES: '0' },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'ERR_NETWORK',
      hint: `nothing answers at \`127.0.0.1:${port}\`: check that the registry is running and its address (wit.toml \`[registries]\`, config.toml), then run the command again`,
    });
  });
});

describe('a mistyped package name', () => {
  it('is ERR_RESOLVE_NOT_FOUND suggesting the names the cache has seen', async () => {
    const cwd = await project('"wasi:random" = "^0.2"');
    await install(opts(cwd));
    await expect(addPackages(['wasi:randon'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NOT_FOUND',
      hint: expect.stringMatching(
        /^did you mean `wasi:random`\? check the package name/,
      ) as unknown,
      details: { similar: ['wasi:random'] },
    });
  });
});

describe('add with a range nothing satisfies', () => {
  it('blames the command line and leaves wit.toml alone', async () => {
    const cwd = await project('"wasi:random" = "^0.2"');
    const before = await readFile(join(cwd, 'wit.toml'), 'utf8');
    await expect(addPackages(['wasi:io@^0.9'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      message:
        'no version of `wasi:io` satisfies `^0.9` (required by the command line); versions: 0.2.3, 0.2.0',
      hint: expect.stringMatching(
        /^wit.toml was left as it was; run `wit-deps add wasi:io`/,
      ) as unknown,
    });
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(before);
  });
});

describe('a wit/deps folder the user made where a package goes', () => {
  it('is a warning on stderr with what to do, and verify says why install will not fix it', async () => {
    const cwd = await project('"wasi:random" = "=0.2.3"');
    await mkdir(join(cwd, 'wit', 'deps', 'wasi-random-0.2.3'), { recursive: true });
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheDir } });
    expect(await main(['--quiet', 'install'], io)).toBe(0); // warnings stay, progress goes
    expect(io.out()).toMatch(/^1 package installed, 0 written, wkg.lock updated, [^\n]*\n$/);
    expect(io.err()).toBe(
      'warning: wit/deps/wasi-random-0.2.3 exists and was not created by wit-deps: left alone, wasi:random@0.2.3 not installed\n' +
        'hint: move the folder away (or delete it) and run `wit-deps install`\n',
    );
    await expect(verify(opts(cwd))).rejects.toMatchObject({
      details: {
        problems: [
          {
            id: 'wasi:random@0.2.3',
            problem:
              'wit/deps folder `wasi-random-0.2.3` was not created by wit-deps (install leaves it alone: move it away first)',
          },
        ],
      },
    });
  });
});

describe('add --offline with a cold cache', () => {
  it('hints at running add itself online, not install', async () => {
    const cwd = await project('');
    const cold = await tempDir('wit-deps-ux-cold-');
    await expect(
      addPackages(['wasi:random'], { ...opts(cwd), cacheDir: cold, offline: true }),
    ).rejects.toMatchObject({
      code: 'ERR_OFFLINE',
      hint: 'run the command once without `--offline`/`--frozen` to fill the cache (with a lock: `wit-deps install`), then retry offline',
    });
  });
});

describe('add, said twice', () => {
  it('refuses a package named twice, and says so when an entry stays as it is', async () => {
    const cwd = await project('"wasi:random" = "0.2.3"');
    await expect(addPackages(['wasi:io', 'wasi:io@0.2.0'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_USAGE',
      message: '`wasi:io` is named more than once',
    });
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheDir } });
    expect(await main(['-q', 'add', 'wasi:random@0.2.3'], io)).toBe(0);
    expect(io.out()).toMatch(/^wasi:random 0\.2\.3 \(unchanged\)\n1 package installed/);
  });
});

describe('remove of a package only others use', () => {
  it('says that other packages use it', async () => {
    const cwd = await project('"wasi:clocks" = "0.2.3"');
    await install(opts(cwd)); // wasi:clocks uses wasi:io
    await expect(removePackages(['wasi:io'], opts(cwd))).rejects.toMatchObject({
      code: 'ERR_USAGE',
      message: 'package `wasi:io` is not a dependency in wit.toml: other packages use it',
      hint: 'run `wit-deps tree` to see which packages use `wasi:io`, and remove those',
    });
  });
});
