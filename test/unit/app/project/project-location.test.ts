/**
 * Finding the project root and the WIT folder (app/project/project-location.ts, project/project-root-io.ts)
 * on real folders: nearest marker up, the `.git` and home limits, `-d` relative to where the
 * command runs and confined to the root, a WIT folder holding its own lock, the nearest `wit/`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { commandProject, locateProject } from '../../../../src/app/project/project-location.js';
import { findProjectRoot } from '../../../../src/project/project-root-io.js';
import { tempDir } from '../../../support/temp-project.js';

let top: string;

beforeEach(async () => {
  top = await tempDir('wit-deps-locate-');
});

async function file(path: string, text = ''): Promise<void> {
  await mkdir(join(top, path, '..'), { recursive: true });
  await writeFile(join(top, path), text);
}

const env = (): Record<string, string> => ({ HOME: top });
const WORLD = 'package a:b;\nworld w { import wasi:io/streams@0.2.0; }\n';

describe('the project root', () => {
  it('is the nearest folder up holding wit.toml, wkg.toml or wkg.lock', async () => {
    await file('p/wkg.lock');
    await file('p/crates/a/src/lib.rs');
    await file('p/crates/a/wkg.toml');
    expect(await findProjectRoot(join(top, 'p/crates/a/src'), env())).toEqual({
      root: join(top, 'p/crates/a'),
      marker: 'wkg.toml',
    });
    expect(await findProjectRoot(join(top, 'p/crates'), env())).toEqual({
      root: join(top, 'p'),
      marker: 'wkg.lock',
    });
  });

  it('is searched no higher than a .git folder and than home; none found is where it runs', async () => {
    await file('outer/wit.toml', '[dependencies]\n');
    await mkdir(join(top, 'outer/repo/.git'), { recursive: true });
    await mkdir(join(top, 'outer/repo/sub'), { recursive: true });
    const inRepo = join(top, 'outer/repo/sub');
    expect(await findProjectRoot(inRepo, env())).toEqual({ root: inRepo, marker: undefined });
    // home: HOME=outer/repo2 stops the search before outer/
    await mkdir(join(top, 'outer/repo2/sub'), { recursive: true });
    const inHome = join(top, 'outer/repo2/sub');
    expect(await findProjectRoot(inHome, { HOME: join(top, 'outer/repo2') })).toEqual({
      root: inHome,
      marker: undefined,
    });
    // without either limit, outer/wit.toml is found
    expect((await findProjectRoot(inHome, env())).root).toBe(join(top, 'outer'));
  });

  it('a directory named wit.toml is no marker', async () => {
    await mkdir(join(top, 'p/wit.toml'), { recursive: true });
    expect((await findProjectRoot(join(top, 'p'), env())).marker).toBeUndefined();
  });
});

describe('the WIT folder', () => {
  it('is the folder itself when it holds *.wit files and a wkg.lock', async () => {
    await file('p/wit/0_2_1/world.wit', WORLD);
    await file('p/wit/0_2_1/wkg.lock');
    await mkdir(join(top, 'p/wit/0_2_1/deps/x'), { recursive: true });
    const found = await locateProject({ cwd: join(top, 'p/wit/0_2_1/deps/x'), env: env() });
    expect(found.root).toBe(join(top, 'p/wit/0_2_1'));
    expect(found.witDir).toBe(join(top, 'p/wit/0_2_1'));
    expect(found.depsDir).toBe(join(top, 'p/wit/0_2_1/deps'));
  });

  it('is the nearest wit/ from where it runs up to the root, without a wit.toml', async () => {
    await file('ws/wkg.lock');
    await file('ws/crates/a/wit/a.wit', WORLD);
    await mkdir(join(top, 'ws/crates/a/src/deep'), { recursive: true });
    const found = await locateProject({ cwd: join(top, 'ws/crates/a/src/deep'), env: env() });
    expect(found).toMatchObject({ root: join(top, 'ws'), witDir: join(top, 'ws/crates/a/wit') });
    // with a wit.toml, its `[package] wit` (default wit/) decides
    await file('ws/wit.toml', '[dependencies]\n');
    const manifest = await locateProject({ cwd: join(top, 'ws/crates/a/src'), env: env() });
    expect(manifest.witDir).toBe(join(top, 'ws/wit'));
  });

  it('-d is relative to where the command runs and must lie inside the root', async () => {
    await file('p/wkg.lock');
    await file('p/crates/a/wit/a.wit', WORLD);
    const found = await locateProject({ cwd: join(top, 'p/crates/a'), env: env(), witDir: 'wit' });
    expect(found).toMatchObject({ root: join(top, 'p'), witDir: join(top, 'p/crates/a/wit') });
    await expect(
      locateProject({ cwd: join(top, 'p/crates'), env: env(), witDir: '../../elsewhere' }),
    ).rejects.toMatchObject({ code: 'ERR_USAGE', exitCode: 2 });
  });

  it('commandProject rebases path flags onto the root', async () => {
    await file('p/wit.toml', '[dependencies]\n');
    await mkdir(join(top, 'p/sub'), { recursive: true });
    const request = await commandProject({
      cwd: join(top, 'p/sub'),
      env: env(),
      cacheDir: 'cache',
      config: '../cfg.toml',
      path: '../../billing/wit',
      witDir: '../wit',
    });
    expect(request).toEqual({
      cwd: join(top, 'p'),
      witDir: join(top, 'p/wit'),
      cacheDir: join(top, 'p/sub/cache'),
      config: join(top, 'p/cfg.toml'),
      path: '../billing/wit',
    });
  });
});
