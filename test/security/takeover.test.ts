/**
 * Attack class: a committed `wit/deps` that the takeover of another tool's folders
 * (`src/app/deps/takeover.ts`) could be tricked into following or deleting. A folder without a marker
 * is adopted, replaced or removed only when it is a real folder whose `*.wit` files are regular
 * files inside wit/deps: a `package.wit` (or a file of a hand-vendored copy) that is a symbolic
 * link to a file elsewhere, even one with the right text, makes the folder the user's (blocked, or
 * left alone), its target is never read as the package nor removed, and `--locked` fails on it.
 * A journal may only take over folders it also writes or removes.
 */
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { parseJournal } from '../../src/project/install-journal.js';
import { WASI_LAYOUT, tempDir, tempProject, witToml } from '../support/temp-project.js';

const COMMITTED = join(import.meta.dirname, '../../fixtures/wkg-projects/committed-deps/wit/deps');
const IO = 'wasi-io-0.2.3';

async function ioProject(): Promise<{ cwd: string; cache: string; outside: string }> {
  const cwd = await tempProject({
    witToml: witToml('"wasi:io" = "=0.2.3"', { layout: WASI_LAYOUT }),
  });
  const outside = await tempDir('wit-deps-takeover-outside-');
  // the exact text wit-deps prints for wasi:io@0.2.3, outside the project
  await writeFile(join(outside, 'package.wit'), await readFile(join(COMMITTED, IO, 'package.wit')));
  return { cwd, cache: await tempDir('wit-deps-takeover-cache-'), outside };
}

describe('takeover never follows a symbolic link', () => {
  it('a wanted folder whose package.wit links elsewhere is blocked, and --locked fails', async () => {
    const p = await ioProject();
    const folder = join(p.cwd, 'wit', 'deps', IO);
    await mkdir(folder, { recursive: true });
    await symlink(join(p.outside, 'package.wit'), join(folder, 'package.wit'));
    const run = (locked: boolean) =>
      install({ cwd: p.cwd, env: { HOME: p.cwd }, cacheDir: p.cache, locked });
    const first = await run(false);
    expect(first.packages.map((x) => `${x.id} ${x.status}`)).toEqual(['wasi:io@0.2.3 blocked']);
    expect(first.takenOver).toEqual([]);
    expect(await readdir(folder)).toEqual(['package.wit']);
    expect((await lstat(join(folder, 'package.wit'))).isSymbolicLink()).toBe(true);
    await expect(run(true)).rejects.toMatchObject({
      code: 'ERR_FS',
      message: expect.stringContaining(`wit/deps/${IO} was not written by wit-deps`) as string,
    });
    expect(await readdir(p.outside)).toEqual(['package.wit']);
  });

  it('a hand-vendored copy with a linked file is left alone, its target too', async () => {
    const p = await ioProject();
    const io = join(p.cwd, 'wit', 'deps', 'io');
    await mkdir(io, { recursive: true });
    await symlink(join(p.outside, 'package.wit'), join(io, 'io.wit'));
    const result = await install({ cwd: p.cwd, env: { HOME: p.cwd }, cacheDir: p.cache });
    expect(result.takenOver).toEqual([]);
    expect((await readdir(join(p.cwd, 'wit', 'deps'))).sort()).toEqual(['io', IO]);
    expect((await lstat(join(io, 'io.wit'))).isSymbolicLink()).toBe(true);
    expect(await readdir(p.outside)).toEqual(['package.wit']);
  });
});

describe('journal takeover list', () => {
  it('a journal that takes over a folder it neither writes nor removes is refused', () => {
    const journal = {
      version: 1,
      depsDir: 'wit/deps',
      stage: '.wit-deps-stage-1-ab',
      write: [],
      remove: [],
      takeover: ['config'],
      lock: null,
    };
    expect(() => parseJournal(JSON.stringify(journal))).toThrow(/`takeover` names a folder/);
    const ok = parseJournal(JSON.stringify({ ...journal, remove: ['config'] }));
    expect(ok.takeover).toEqual(['config']);
  });
});
