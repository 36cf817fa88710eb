/**
 * `add`, `remove` and `update --latest` against the bundled OCI layouts (no network): a command
 * whose install fails leaves `wit.toml` exactly as it was, as cargo and npm do, and a missing
 * package in a layout registry is reported as not found.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { addPackages, removePackages, updatePackages } from '../../src/app/deps/add-remove.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

async function project(): Promise<{ cwd: string; run: (...argv: string[]) => Promise<number> }> {
  const cwd = await exampleProject({ prefix: 'wit-deps-manage-' });
  const cache = await tempDir('wit-deps-manage-cache-');
  const env = { HOME: cwd, WIT_DEPS_CACHE_DIR: cache };
  return {
    cwd,
    run: async (...argv) => main(['--json', ...argv], bufferIo({ cwd, env })),
  };
}

describe('add/remove/update leave wit.toml alone when the install fails', () => {
  it('add of an unsatisfiable range or an unknown package changes nothing', async () => {
    const { cwd, run } = await project();
    expect(await run('install')).toBe(0);
    const before = await readFile(join(cwd, 'wit.toml'), 'utf8');
    const lock = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    const io = bufferIo({ cwd, env: { HOME: cwd } });
    expect(await main(['--json', 'add', 'wasi:http@^9'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'ERR_RESOLVE_NO_MATCH' } });
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(before);
    const io2 = bufferIo({ cwd, env: { HOME: cwd } });
    expect(await main(['--json', 'add', 'wasi:io@0.2.0', 'wasi:nope@1'], io2)).toBe(1);
    expect(JSON.parse(io2.out())).toMatchObject({
      error: { code: 'ERR_RESOLVE_NOT_FOUND', details: { package: 'wasi:nope' } },
    });
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(before);
    expect(await readFile(join(cwd, 'wkg.lock'), 'utf8')).toBe(lock);
  });

  it('a failed add in a project without wit.toml does not leave one behind', async () => {
    const empty = await tempDir('wit-deps-manage-empty-');
    const cache = await tempDir('wit-deps-manage-cache-');
    const io = bufferIo({ cwd: empty, env: { HOME: empty, WIT_DEPS_CACHE_DIR: cache } });
    expect(await main(['--json', 'add', '--offline', 'wasi:http@^0.2'], io)).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'ERR_OFFLINE' } });
    expect(await readdir(empty)).toEqual([]);
  });

  it('a successful add keeps the comment of the entry it replaces', async () => {
    const { cwd, run } = await project();
    expect(await run('add', 'wasi:http@=0.2.0')).toBe(0);
    const toml = await readFile(join(cwd, 'wit.toml'), 'utf8');
    expect(toml).toContain('"wasi:http" = "=0.2.0"');
    expect(toml).toMatch(/"wasi:http" = "=0\.2\.0" +# \^0\.2\.0: the newest 0\.2\.x/);
    expect(await readFile(join(cwd, 'wkg.lock'), 'utf8')).toContain('requirement = "=0.2.0"');
  });

  it('concurrent add/remove in one project edit wit.toml one after the other (no lost edit)', async () => {
    const { cwd } = await project();
    const cache = await tempDir('wit-deps-manage-cache-');
    const options = { cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache } };
    await Promise.all([
      addPackages(['wasi:random@=0.2.0'], options),
      addPackages(['wasi:clocks@=0.2.0'], options),
      removePackages(['wasi:http'], options),
    ]);
    const toml = await readFile(join(cwd, 'wit.toml'), 'utf8');
    expect(toml).toContain('"wasi:random" = "=0.2.0"');
    expect(toml).toContain('"wasi:clocks" = "=0.2.0"');
    expect(toml).not.toContain('"wasi:http"');
    const lock = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    expect(lock).toContain('name = "wasi:random"');
    expect(lock).toContain('name = "wasi:clocks"');
  });

  it('reports an invalid package name as a rejected promise', async () => {
    const { cwd } = await project();
    let pending: Promise<unknown> | undefined;
    expect(
      () => (pending = updatePackages(['not a name'], { cwd, env: { HOME: cwd } })),
    ).not.toThrow();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_INVALID_PACKAGE_NAME' });
  });

  it('a failure after the install committed keeps the new wit.toml (it matches wit/deps)', async () => {
    const { cwd } = await project();
    const cache = await tempDir('wit-deps-manage-cache-');
    const options = {
      cwd,
      env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache },
      // a folder of the user's appears where the commit moves the new package in, after the
      // journal (before it, the check before the journal refuses it with nothing changed)
      onEvent: (e: { kind: string }) => {
        if (e.kind === 'committed')
          mkdirSync(join(cwd, 'wit', 'deps', 'wasi-random-0.2.0'), { recursive: true });
      },
    };
    await expect(addPackages(['wasi:random@=0.2.0'], options)).rejects.toMatchObject({
      code: 'ERR_INSTALL_JOURNAL',
    });
    // the journal is pending: once the folder is moved away, the install finishes as added
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toContain('"wasi:random" = "=0.2.0"');
    rmSync(join(cwd, 'wit', 'deps', 'wasi-random-0.2.0'), { recursive: true });
    const io = bufferIo({ cwd, env: options.env });
    expect(await main(['--json', 'install'], io)).toBe(0);
    expect(await readFile(join(cwd, 'wkg.lock'), 'utf8')).toContain('name = "wasi:random"');
    expect(await readdir(join(cwd, 'wit', 'deps'))).toContain('wasi-random-0.2.0');
  });
});
