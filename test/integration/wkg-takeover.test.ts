/**
 * Taking over a `wit/deps` another tool wrote, against the real registry (docker-registry) holding
 * the WASI fixture packages, with a wasm-pkg config.toml as the only configuration:
 * - wkg's committed `wit/deps/<ns>-<name>-<version>/package.wit` folders are adopted when their
 *   text is what wit-deps prints (only the marker is new), replaced when one line differs;
 * - a folder at a wanted name holding another package stays blocked, and `--locked` fails on it;
 * - a hand-vendored `wit/deps/io/` (the Rust wit-deps tool's name) next to ours is removed when it
 *   is a copy of the package, and fails naming both folders when it is not;
 * - the project's own WIT is resolved against wit/deps after the install: a warning, or exit 1
 *   under `--locked`.
 */
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { tempDir } from '../support/temp-project.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/wkg-projects');
const COMMITTED = join(FIXTURES, 'committed-deps');
const FOLDERS = ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'].map(
  (p) => `wasi-${p}-0.2.3`,
);

let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
  await publishWasi(registry.host, 'webassembly/', wasiFixtures());
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

interface Project {
  cwd: string;
  config: string;
  cache: string;
}

/** A copy of a fixture project with a config.toml mapping `wasi` to `wasi.dev` (the test registry). */
async function project(name: string): Promise<Project> {
  const cwd = await tempDir('wit-deps-takeover-');
  await cp(join(FIXTURES, name), cwd, { recursive: true });
  const config = join(await tempDir('wit-deps-takeover-conf-'), 'config.toml');
  await writeFile(
    config,
    `[namespace_registries]\nwasi = { registry = "wasi.dev", metadata = { preferredProtocol = "oci", oci = { registry = "${registry.host}", namespacePrefix = "webassembly/" } } }\n`,
  );
  return { cwd, config, cache: await tempDir('wit-deps-takeover-cache-') };
}

async function cli(p: Project, ...args: string[]) {
  const io = bufferIo({ cwd: p.cwd, env: { HOME: p.cwd, WIT_DEPS_CACHE_DIR: p.cache } });
  const code = await main([...args, '--config', p.config], io);
  return { code, out: io.out(), err: io.err() };
}

/** A command that needs no registry (`verify`, `wit check`). */
async function local(p: Project, ...args: string[]) {
  const io = bufferIo({ cwd: p.cwd, env: { HOME: p.cwd, WIT_DEPS_CACHE_DIR: p.cache } });
  const code = await main(args, io);
  return { code, err: io.err() };
}

const text = (p: string): Promise<string> => readFile(p, 'utf8');

describe('a wkg project with a committed wit/deps', () => {
  it('adopts the folders wkg wrote: --locked, no file changes, only markers added', async () => {
    const p = await project('committed-deps');
    const lock = await text(join(p.cwd, 'wkg.lock'));
    const r = await cli(p, 'install', '--locked');
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(/warning|replaced/);
    expect(r.out).toMatch(
      /^7 packages installed, 0 written, adopted 7 folders written by wkg, wkg\.lock unchanged/,
    );
    for (const folder of FOLDERS) {
      const file = join('wit', 'deps', folder, 'package.wit');
      expect(await text(join(p.cwd, file))).toBe(await text(join(COMMITTED, file)));
      expect((await readdir(join(p.cwd, 'wit', 'deps', folder))).sort()).toEqual([
        '.wit-deps.json',
        'package.wit',
      ]);
    }
    expect(await text(join(p.cwd, 'wkg.lock'))).toBe(lock);
    const verify = await local(p, 'verify');
    expect(verify.code).toBe(0);
    // adopted: the folders are ours now, and a second install has nothing to do
    const again = await cli(p, 'install', '--frozen');
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/^up to date: 7 packages, 0 requests/);
  });

  it('replaces a folder whose text differs by one line, and says so', async () => {
    const p = await project('committed-deps');
    await cp(join(FIXTURES, 'committed-deps-one-line'), p.cwd, { recursive: true });
    const io = join('wit', 'deps', 'wasi-io-0.2.3', 'package.wit');
    expect(await text(join(p.cwd, io))).not.toBe(await text(join(COMMITTED, io)));
    const r = await cli(p, 'install', '--locked');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^7 packages installed, 1 written, adopted 6 folders written by wkg, replaced 1, wkg\.lock unchanged/,
    );
    expect(r.err).toContain(
      'replaced wit/deps/wasi-io-0.2.3 (not written by wit-deps) with wasi:io@0.2.3 as published',
    );
    expect(await text(join(p.cwd, io))).toBe(await text(join(COMMITTED, io)));
    expect((await local(p, 'verify')).code).toBe(0);
  });

  it('leaves a folder holding another package alone; --locked fails naming it', async () => {
    const p = await project('committed-deps');
    const other = join(p.cwd, 'wit', 'deps', 'wasi-random-0.2.3', 'package.wit');
    const mine = 'package acme:random@0.2.3;\n\ninterface dice {\n  roll: func() -> u8;\n}\n';
    await writeFile(other, mine);
    const locked = await cli(p, 'install', '--locked');
    expect(locked.code).toBe(1);
    expect(locked.err).toContain(
      'error[ERR_FS]: wit/deps/wasi-random-0.2.3 was not written by wit-deps and holds `acme:random@0.2.3`, so `wasi:random@0.2.3` cannot be installed but --locked was given',
    );
    expect(locked.err).toContain('hint: move `');
    expect(await readdir(join(p.cwd, 'wit', 'deps', 'wasi-io-0.2.3'))).toEqual(['package.wit']);
    // without --locked the install goes on, the folder is left alone and the WIT check says why
    const r = await cli(p, 'install');
    expect(r.code).toBe(0);
    expect(await text(other)).toBe(mine);
    expect(r.err).toContain('wit/deps/wasi-random-0.2.3 exists and was not created by wit-deps');
    expect(r.err).toContain("warning: the project's WIT in `wit` does not resolve");
  });
});

describe('a hand-vendored wit/deps/io (the Rust wit-deps tool layout)', () => {
  it('removes the copy so the package is defined once, and `wit check` passes', async () => {
    const p = await project('hand-vendored');
    const r = await cli(p, 'install');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1 package installed, 1 written, replaced 1, wkg\.lock updated/);
    expect(r.err).toContain(
      'replaced wit/deps/io (a copy of wasi:io@0.2.3 not written by wit-deps) with wit/deps/wasi-io-0.2.3',
    );
    expect(await readdir(join(p.cwd, 'wit', 'deps'))).toEqual(['wasi-io-0.2.3']);
    expect(r.err).not.toContain('warning');
    expect((await local(p, 'wit', 'check', 'wit')).code).toBe(0);
  });

  it('fails naming both folders when the other folder is not clearly a copy', async () => {
    const p = await project('hand-vendored');
    await writeFile(join(p.cwd, 'wit', 'deps', 'io', 'NOTES.md'), 'patched locally\n');
    const r = await cli(p, 'install');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'error[ERR_WIT_RESOLVE]: package `wasi:io@0.2.3` would be defined in two folders: wit/deps/io (not written by wit-deps) and wit/deps/wasi-io-0.2.3',
    );
    expect(r.err).toContain('hint: wit/deps/io holds more than WIT files (`NOTES.md`)');
    expect((await readdir(join(p.cwd, 'wit', 'deps'))).sort()).toEqual(['io']);
    expect((await readdir(join(p.cwd, 'wit', 'deps', 'io'))).sort()).toEqual([
      'NOTES.md',
      'error.wit',
      'poll.wit',
      'streams.wit',
      'world.wit',
    ]);
  });
});

describe("the project's own WIT after the install", () => {
  const world =
    'package example:app@0.1.0;\n\nworld app {\n  import wasi:io/streams@0.2.3;\n  import wasi:io/strams@0.2.3;\n}\n';

  it('warns with the rendered diagnostic, and fails under --locked', async () => {
    const p = await project('hand-vendored');
    await writeFile(join(p.cwd, 'wit', 'world.wit'), world);
    const r = await cli(p, 'install');
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      "warning: the project's WIT in `wit` does not resolve against wit/deps",
    );
    expect(r.err).toContain('--> wit/world.wit:5:');
    const locked = await cli(p, 'install', '--locked');
    expect(locked.code).toBe(1);
    expect(locked.err).toContain("error[ERR_WIT_RESOLVE]: the project's WIT in `wit`");
    expect(locked.err).toContain('--> wit/world.wit:5:');
  });
});
