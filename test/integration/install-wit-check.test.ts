/**
 * The check of the project's own WIT after an install, and its record in the cache: WIT that
 * resolved is recorded under the hash of every file read (the project's `*.wit` files and
 * `wit/deps`), so a no-op install trusts the record; any changed file is checked afresh, a problem
 * is never recorded, and a cache where the record cannot be written only means checking again.
 * Real files, the bundled OCI layouts, no network.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { witCheckKey } from '../../src/app/deps/post-install-check.js';
import { readWitFolder } from '../../src/app/wit/folder.js';
import { Cache } from '../../src/cache/store.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

const BROKEN =
  'package example:http-app@0.1.0;\n\nworld app {\n  export wasi:http/nope@0.2.3;\n}\n';

async function setUp(): Promise<{
  cwd: string;
  cacheDir: string;
  records: () => Promise<string[]>;
}> {
  const top = await tempDir('wit-deps-wit-check-');
  const cwd = await exampleProject({ dir: join(top, 'app') });
  const cacheDir = join(top, 'cache');
  const records = (): Promise<string[]> =>
    readdir(join(cacheDir, 'checks')).catch(() => [] as string[]);
  return { cwd, cacheDir, records };
}

describe('the WIT check after an install', () => {
  it('records WIT that resolved and finds every change afresh', async () => {
    const { cwd, cacheDir, records } = await setUp();
    const run = (locked = false) => install({ cwd, env: { HOME: cwd }, cacheDir, locked });
    expect((await run()).witProblem).toBeUndefined();
    const recorded = await records();
    expect(recorded).toHaveLength(1);
    // a no-op install: same files, same record
    expect((await run()).witProblem).toBeUndefined();
    expect(await records()).toEqual(recorded);
    // the project's own WIT changed: checked again, the problem reported and not recorded
    const world = join(cwd, 'wit/world.wit');
    const good = await readFile(world, 'utf8');
    await writeFile(world, BROKEN);
    expect((await run()).witProblem).toMatchObject({ code: 'ERR_WIT_RESOLVE' });
    await expect(run(true)).rejects.toMatchObject({ code: 'ERR_WIT_RESOLVE' });
    expect(await records()).toEqual(recorded);
    await writeFile(world, good);
    expect((await run()).witProblem).toBeUndefined();
    expect(await records()).toEqual(recorded);
  });

  it('trusts a record for exactly the files it was made for', async () => {
    const { cwd, cacheDir } = await setUp();
    const run = () => install({ cwd, env: { HOME: cwd }, cacheDir });
    expect((await run()).witProblem).toBeUndefined();
    await writeFile(join(cwd, 'wit/world.wit'), BROKEN);
    // a record of these broken files (as if they had resolved) is what the install consults
    const files = await readWitFolder(join(cwd, 'wit'));
    await new Cache(cacheDir).writeCheck(witCheckKey(files, 'wit'));
    expect((await run()).witProblem).toBeUndefined();
    // one more byte in a dependency's file is another key: checked, and the problem found
    const deps = await readdir(join(cwd, 'wit/deps'));
    const io = join(
      cwd,
      'wit/deps',
      deps.find((d) => d.startsWith('wasi-io-'))!,
      'package.wit',
    );
    await writeFile(io, `${await readFile(io, 'utf8')}\n`);
    expect(witCheckKey(await readWitFolder(join(cwd, 'wit')), 'wit')).not.toBe(
      witCheckKey(files, 'wit'),
    );
  });

  it('checks every time when the cache cannot hold the record', async () => {
    const { cwd, cacheDir, records } = await setUp();
    const run = () => install({ cwd, env: { HOME: cwd }, cacheDir });
    expect((await run()).witProblem).toBeUndefined();
    // `checks` is a file, not a folder: no record can be written there
    await rm(join(cacheDir, 'checks'), { recursive: true });
    await writeFile(join(cacheDir, 'checks'), 'not a folder');
    expect((await run()).witProblem).toBeUndefined();
    await writeFile(join(cwd, 'wit/world.wit'), BROKEN);
    expect((await run()).witProblem).toMatchObject({ code: 'ERR_WIT_RESOLVE' });
    expect(await records()).toEqual([]);
  });
});
