/**
 * What a user meets around the dependency commands, against the real registry: an install
 * repairs the folders `verify` blames, `update` of a package that is not a dependency is an
 * error, `update` reports the versions it changed.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/install.js';
import { updatePackages } from '../../src/app/manage.js';
import { verify } from '../../src/app/verify.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

let open: RunningRegistry;
let cacheDir: string;

beforeAll(async () => {
  open = await startRegistry();
  const io = wasiFixtures().filter((f) => f.name === 'wasi:io' || f.name === 'wasi:random');
  await publishWasi(open.host, 'webassembly/', io);
  cacheDir = await mkdtemp(join(tmpdir(), 'wit-deps-ux-cache-'));
}, 120_000);

afterAll(async () => {
  await open.stop();
});

async function project(deps: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wit-deps-ux-'));
  const registries = `[registries]\nwasi = { oci = "${open.host}", prefix = "webassembly/" }\n`;
  await writeFile(join(dir, 'wit.toml'), `[dependencies]\n${deps}\n${registries}`);
  return dir;
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
