/**
 * Projects of the Rust wit-deps tool (wit/deps.toml + wit/deps.lock), installed from tarballs
 * served over loopback: archives shaped like the WASI release asset (`prefix`) and like GitHub
 * archives (the package's `wit/` with its own `wit/deps/` hoisted), path entries, the lock
 * byte for byte as the Rust tool wrote it, `check` writing nothing, offline from the cache.
 */
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { verify } from '../../src/app/deps/verify.js';
import { lockRustDeps, type RustDepsOptions } from '../../src/app/deps/rust-deps.js';
import { Cache } from '../../src/cache/store.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Transport } from '../../src/oci/http/transport.js';
import type { FaultServer } from '../support/fault-server.js';
import {
  FIXTURES,
  gitArchive,
  makeTarball,
  serveFiles,
  rustDepsProject,
} from '../support/tarballs.js';
import { tempProject, WASI_LAYOUT, witToml } from '../support/temp-project.js';

const EXAMPLE = join(FIXTURES, 'rust-wit-deps', 'http', 'wit');
const RELEASE_URL =
  'https://github.com/WebAssembly/WASI/releases/download/v0.2.10/wasi-wit-0.2.10.tar.gz';
const IDS = ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'];
const wasi = (name: string, version = '0.2.0'): string => join(FIXTURES, 'wasi', name, version);

let server: FaultServer;
const transports: Transport[] = [];

beforeAll(async () => {
  const release = makeTarball(
    Object.fromEntries(
      IDS.map((id) => [`wasi-wit-0.2.10/${id}`, { dir: join(EXAMPLE, 'deps', id) }]),
    ),
  );
  const github = makeTarball({
    'wasi-http-main/README.md': { text: '# wasi-http\n' },
    'wasi-http-main/wit': { dir: wasi('http') },
    'wasi-http-main/wit/deps/io': { dir: wasi('io') },
    'wasi-http-main/wit/deps/clocks': { dir: wasi('clocks') },
    'wasi-http-main/wit/deps/random': { dir: wasi('random') },
  });
  server = await serveFiles({
    '/wasi-wit-0.2.10.tar.gz': release,
    '/wasi-http/main.tar.gz': github,
  });
});

afterAll(async () => {
  for (const t of transports) await t.close();
  await server.stop();
});

function project(depsToml: string): Promise<{ root: string; options: RustDepsOptions }> {
  return rustDepsProject(depsToml, transports);
}

/** Every file under `dir`, relative path → text. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (name.isFile()) {
      const path = join(name.parentPath, name.name);
      out[path.slice(dir.length + 1)] = readFileSync(path, 'utf8');
    }
  return out;
}

describe('the WASI release asset with `prefix` (examples/http of the Rust tool)', () => {
  const local = (text: string): string =>
    text.replaceAll(RELEASE_URL, `${server.url}/wasi-wit-0.2.10.tar.gz`);

  it('writes wit/deps/<id>/ and the deps.lock the Rust tool wrote, byte for byte', async () => {
    const { root, options } = await project(
      local(readFileSync(join(EXAMPLE, 'deps.toml'), 'utf8')),
    );
    const result = await lockRustDeps(options);
    expect(readFileSync(options.lockFile, 'utf8')).toBe(
      local(readFileSync(join(EXAMPLE, 'deps.lock'), 'utf8')),
    );
    expect(tree(join(root, 'wit', 'deps'))).toEqual(tree(join(EXAMPLE, 'deps')));
    expect(result?.folders.map((f) => [f.id, f.status, f.packageName])).toContainEqual([
      'http',
      'written',
      'wasi:http',
    ]);
    expect(server.seen.filter((r) => r.path === '/wasi-wit-0.2.10.tar.gz').length).toBeGreaterThan(
      0,
    );
  });

  it('fetches nothing when the lock and folders are current, and `check` writes nothing', async () => {
    const { root, options } = await project(
      local(readFileSync(join(EXAMPLE, 'deps.toml'), 'utf8')),
    );
    await lockRustDeps(options);
    const before = server.seen.length;
    const again = await lockRustDeps(options);
    expect(again?.lockChanged).toBe(false);
    expect(again?.folders.every((f) => f.status === 'unchanged')).toBe(true);
    expect(server.seen.length).toBe(before);

    const edited = join(root, 'wit', 'deps', 'io', 'io.wit');
    writeFileSync(edited, 'package wasi:io@0.2.10;\n');
    const snapshot = tree(join(root, 'wit'));
    const check = await lockRustDeps({ ...options, check: true, offline: true });
    expect(check?.folders.filter((f) => f.status === 'written').map((f) => f.id)).toEqual(['io']);
    expect(check?.lockChanged).toBe(false);
    expect(tree(join(root, 'wit'))).toEqual(snapshot); // not a byte written
  });

  it('reinstalls offline from the cache after wit/deps is deleted', async () => {
    const { root, options } = await project(
      local(readFileSync(join(EXAMPLE, 'deps.toml'), 'utf8')),
    );
    await lockRustDeps(options);
    rmSync(join(root, 'wit', 'deps'), { recursive: true });
    const before = server.seen.length;
    const result = await lockRustDeps({ ...options, offline: true });
    expect(server.seen.length).toBe(before);
    expect(result?.lockChanged).toBe(false);
    expect(tree(join(root, 'wit', 'deps'))).toEqual(tree(join(EXAMPLE, 'deps')));
  });
});

describe('a GitHub archive with its own wit/deps, and a path entry', () => {
  it('hoists the archive deps as transitive entries and copies the path entry', async () => {
    const { root, options } = await project(
      `http = "${server.url}/wasi-http/main.tar.gz"\nmine = { path = "../mine" }\n`,
    );
    cpSync(wasi('cli'), join(root, 'mine'), { recursive: true });
    const result = await lockRustDeps(options);
    const deps = join(root, 'wit', 'deps');
    expect(readdirSync(deps).sort()).toEqual(['clocks', 'http', 'io', 'mine', 'random']);
    expect(readdirSync(join(deps, 'http')).sort()).toEqual([
      'handler.wit',
      'proxy.wit',
      'types.wit',
    ]);
    expect(readFileSync(join(deps, 'io', 'streams.wit'), 'utf8')).toBe(
      readFileSync(join(wasi('io'), 'streams.wit'), 'utf8'),
    );
    const lock = readFileSync(options.lockFile, 'utf8');
    expect(lock).toMatch(/^\[clocks\]\nsha256 = "[0-9a-f]{64}"\nsha512 = "[0-9a-f]{128}"\n\n/);
    expect(lock).toContain(`[http]\nurl = "${server.url}/wasi-http/main.tar.gz"\nsha256 = `);
    expect(lock).toContain('deps = ["clocks", "io", "random"]\n');
    expect(lock).toContain('[mine]\npath = "../mine"\nsha256 = ');
    expect(result?.folders.find((f) => f.id === 'mine')?.packageName).toBe('wasi:cli');
  });

  it('refuses a download that no longer matches the lock (ERR_INTEGRITY_MISMATCH)', async () => {
    const { root, options } = await project(`http = "${server.url}/wasi-http/main.tar.gz"\n`);
    await lockRustDeps(options);
    const lock = readFileSync(options.lockFile, 'utf8');
    const tampered = lock.replace(
      /(\[http\]\n[^\n]*\nsha256 = ")[0-9a-f]{64}/,
      `$1${'0'.repeat(64)}`,
    );
    expect(tampered).not.toBe(lock);
    writeFileSync(options.lockFile, tampered);
    rmSync(join(root, 'wit', 'deps', 'http'), { recursive: true });
    await expect(lockRustDeps(options)).rejects.toMatchObject({ code: 'ERR_INTEGRITY_MISMATCH' });
    expect(readFileSync(options.lockFile, 'utf8')).toBe(tampered);
  });
});

describe('`wit-deps install` on a Rust wit-deps project', () => {
  const local = (text: string): string =>
    text.replaceAll(RELEASE_URL, `${server.url}/wasi-wit-0.2.10.tar.gz`);

  async function rustProject(more: Record<string, string> = {}): Promise<string> {
    return tempProject({
      files: {
        'wit/world.wit': readFileSync(join(EXAMPLE, 'world.wit'), 'utf8'),
        'wit/deps.toml': local(readFileSync(join(EXAMPLE, 'deps.toml'), 'utf8')),
        ...more,
      },
    });
  }

  it('installs deps.toml with zero file changes: its WIT references are not looked up in a registry', async () => {
    const cwd = await rustProject();
    const result = await install({ cwd, env: { HOME: cwd }, cacheDir: join(cwd, '.cache') });
    expect(readFileSync(join(cwd, 'wit', 'deps.lock'), 'utf8')).toBe(
      local(readFileSync(join(EXAMPLE, 'deps.lock'), 'utf8')),
    );
    expect(tree(join(cwd, 'wit', 'deps'))).toEqual(tree(join(EXAMPLE, 'deps')));
    expect(result.packages).toEqual([]);
    expect(result.rustDeps?.folders).toHaveLength(7);
    expect(existsSync(join(cwd, 'wkg.lock'))).toBe(false);
    // --frozen afterwards: no network, nothing changes
    const frozen = await install({
      cwd,
      env: { HOME: cwd },
      cacheDir: join(cwd, '.cache'),
      frozen: true,
    });
    expect(frozen.requests).toBe(0);
  });

  it('installs deps.toml and OCI packages of wit.toml side by side', async () => {
    const cwd = await tempProject({
      witToml: witToml('"wasi:random" = "=0.2.3"', { layout: WASI_LAYOUT }),
      files: {
        'wit/world.wit': 'package ex:mixed;\n\nworld w {\n  import wasi:io/streams@0.2.10;\n}\n',
        'wit/deps.toml': `io = { url = "${server.url}/wasi-wit-0.2.10.tar.gz", prefix = "wasi-wit-0.2.10/io" }\n`,
      },
    });
    const result = await install({ cwd, env: { HOME: cwd }, cacheDir: join(cwd, '.cache') });
    expect(result.packages.map((p) => p.id)).toEqual(['wasi:random@0.2.3']);
    const folders = readdirSync(join(cwd, 'wit', 'deps')).sort();
    expect(folders).toContain('wasi-random-0.2.3');
    expect(folders).toContain('io');
    expect(readFileSync(join(cwd, 'wkg.lock'), 'utf8')).toContain('name = "wasi:random"');
    // the OCI verify checks its own folders and leaves the deps.toml ones alone
    await expect(
      verify({ cwd, env: { HOME: cwd }, cacheDir: join(cwd, '.cache') }),
    ).resolves.toMatchObject({ checked: 1 });
  });

  it('fails naming both sources when wit.toml and deps.toml name the same package', async () => {
    const cwd = await rustProject({
      'wit.toml': witToml('"wasi:http" = "=0.2.3"', { layout: WASI_LAYOUT }),
    });
    await expect(
      install({ cwd, env: { HOME: cwd }, cacheDir: join(cwd, '.cache') }),
    ).rejects.toMatchObject({
      code: 'ERR_RESOLVE_CONFLICT',
      message: expect.stringMatching(
        /`wasi:http` is both in wit\.toml and in wit\/deps\.toml \(`http`/,
      ) as unknown,
    });
  });

  it('--locked fails before writing when deps.lock would change', async () => {
    const cwd = await rustProject();
    await expect(
      install({ cwd, env: { HOME: cwd }, cacheDir: join(cwd, '.cache'), locked: true }),
    ).rejects.toMatchObject({ code: 'ERR_LOCKFILE_OUTDATED' });
    expect(existsSync(join(cwd, 'wit', 'deps'))).toBe(false);
    expect(existsSync(join(cwd, 'wit', 'deps.lock'))).toBe(false);
  });
});

describe('`wit-deps lock [--check]` (the Rust tool command)', () => {
  it('--check exits 1 naming what would change and writes nothing; 0 once locked', async () => {
    const cwd = await tempProject({
      files: {
        'wit/world.wit': readFileSync(join(EXAMPLE, 'world.wit'), 'utf8'),
        'wit/deps.toml': readFileSync(join(EXAMPLE, 'deps.toml'), 'utf8').replaceAll(
          RELEASE_URL,
          `${server.url}/wasi-wit-0.2.10.tar.gz`,
        ),
      },
    });
    const env = { HOME: cwd, WIT_DEPS_CACHE_DIR: join(cwd, '.cache') };
    const run = async (...argv: string[]) => {
      const io = bufferIo({ cwd, env });
      const code = await main(argv, io);
      return { code, out: io.out(), err: io.err() };
    };
    const first = await run('lock', '--check');
    expect(first.code).toBe(1);
    expect(first.err).toContain('would change: wit/deps/cli, wit/deps/clocks');
    expect(first.err).toContain('wit/deps.lock');
    expect(readdirSync(join(cwd, 'wit')).sort()).toEqual(['deps.toml', 'world.wit']);

    expect((await run('lock')).code).toBe(0);
    const locked = tree(join(cwd, 'wit'));
    expect(locked['deps.lock']).toContain('[sockets]\n');
    const again = await run('lock', '--check');
    expect(again.code).toBe(0);
    expect(tree(join(cwd, 'wit'))).toEqual(locked);
  });
});

describe('moving URLs, conflicts and redirects', () => {
  it('`update` takes a branch archive that moved; a plain lock refuses it', async () => {
    const v1 = makeTarball({ 'pkg-main/wit': { dir: wasi('io') } });
    const v2 = makeTarball({ 'pkg-main/wit': { dir: wasi('io', '0.2.3') } });
    let current = v1;
    server.on('/moving/main.tar.gz', (_req, res) => {
      res.writeHead(200, { 'content-length': current.length });
      res.end(current);
    });
    const { root, options } = await project(`io = "${server.url}/moving/main.tar.gz"\n`);
    await lockRustDeps(options);
    const first = readFileSync(options.lockFile, 'utf8');
    current = v2;
    rmSync(join(root, 'wit', 'deps'), { recursive: true });
    // the cached download still gives the locked content: no request, no change
    expect((await lockRustDeps(options))?.lockChanged).toBe(false);
    rmSync(join(root, 'wit', 'deps'), { recursive: true });
    const fresh = { ...options, cache: new Cache(join(root, '.cache-2')) }; // an empty cache
    await expect(lockRustDeps(fresh)).rejects.toMatchObject({ code: 'ERR_INTEGRITY_MISMATCH' });
    rmSync(join(root, 'wit', 'deps'), { recursive: true, force: true });
    const updated = await lockRustDeps({ ...fresh, update: true });
    expect(updated?.lockChanged).toBe(true);
    expect(readFileSync(options.lockFile, 'utf8')).not.toBe(first);
    expect(readFileSync(join(root, 'wit', 'deps', 'io', 'streams.wit'), 'utf8')).toBe(
      readFileSync(join(wasi('io', '0.2.3'), 'streams.wit'), 'utf8'),
    );
  });

  it('two entries hoisting different copies of one transitive folder is a conflict', async () => {
    const a = makeTarball({
      'a-main/wit': { dir: wasi('random') },
      'a-main/wit/deps/io': { dir: wasi('io') },
    });
    const b = makeTarball({
      'b-main/wit': { dir: wasi('clocks') },
      'b-main/wit/deps/io': { dir: wasi('io', '0.2.3') },
    });
    server.on('/a.tar.gz', (_req, res) => res.end(a));
    server.on('/b.tar.gz', (_req, res) => res.end(b));
    const { root, options } = await project(
      `a = "${server.url}/a.tar.gz"\nb = "${server.url}/b.tar.gz"\n`,
    );
    await expect(lockRustDeps(options)).rejects.toMatchObject({
      code: 'ERR_RESOLVE_CONFLICT',
      message: expect.stringMatching(/transitive dependency `io` of `b`/) as unknown,
    });
    expect(readdirSync(join(root, 'wit'))).toEqual(['deps.toml']);
  });

  it('follows a redirect (GitHub archive URLs redirect to codeload)', async () => {
    server.on('/redirect/main.tar.gz', (_req, res) => {
      res.writeHead(302, { location: '/wasi-http/main.tar.gz' });
      res.end();
    });
    const { root, options } = await project(`http = "${server.url}/redirect/main.tar.gz"\n`);
    await lockRustDeps(options);
    expect(readdirSync(join(root, 'wit', 'deps')).sort()).toEqual([
      'clocks',
      'http',
      'io',
      'random',
    ]);
  });
});

it('installs a `git archive` tarball (what GitHub serves: a pax global header, the commit prefix)', async () => {
  const archive = gitArchive('wasi-clocks-0123abc', {
    'README.md': { text: '# clocks\n' },
    wit: { dir: wasi('clocks') },
    'wit/deps/io': { dir: wasi('io') },
  });
  server.on('/wasi-clocks/archive/0123abc.tar.gz', (_req, res) => res.end(archive));
  const { root, options } = await project(
    `clocks = "${server.url}/wasi-clocks/archive/0123abc.tar.gz"\n`,
  );
  await lockRustDeps(options);
  expect(readdirSync(join(root, 'wit', 'deps')).sort()).toEqual(['clocks', 'io']);
  expect(tree(join(root, 'wit', 'deps', 'clocks'))).toEqual(tree(wasi('clocks')));
  expect(readFileSync(options.lockFile, 'utf8')).toContain('deps = ["io"]\n');
});
