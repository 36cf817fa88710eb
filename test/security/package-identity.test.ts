/**
 * Attack class: package identity (a hostile registry, or a hand-edited wkg.lock). A tag serving
 * another package (`wasi/random:0.2.0` holding `wasi:io@0.2.0`), or a lock entry whose digest is
 * swapped for another cached package's, must fail with ERR_ARTIFACT_MISMATCH (install and verify),
 * never install the other package under the trusted name.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { tree } from '../../src/app/deps/tree.js';
import { verify } from '../../src/app/deps/verify.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures, type WasiFixture } from '../support/wasi-publish.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

let registry: RunningRegistry;
let fixtures: WasiFixture[];

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = wasiFixtures();
  const pick = (id: string): WasiFixture => fixtures.find((f) => `${f.name}@${f.version}` === id)!;
  await publishWasi(registry.host, 'good/', [pick('wasi:io@0.2.0'), pick('wasi:random@0.2.0')]);
  // hostile: the tag wasi/random:0.2.0 serves wasi:io@0.2.0
  await publishWasi(registry.host, 'evil/', [{ ...pick('wasi:io@0.2.0'), name: 'wasi:random' }]);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

async function project(prefix: string, deps: string): Promise<string> {
  const toml = witToml(deps, { oci: registry.host, prefix });
  return tempProject({ prefix: 'wit-deps-sec-id-', witToml: toml });
}

describe('package identity', () => {
  it('refuses a tag that serves another package', async () => {
    const cwd = await project('evil/', '"wasi:random" = "=0.2.0"');
    const cache = await tempDir('wit-deps-sec-cache-');
    await expect(install({ cwd, env: { HOME: cwd }, cacheDir: cache })).rejects.toMatchObject({
      code: 'ERR_ARTIFACT_MISMATCH',
      details: { expected: 'wasi:random@0.2.0', found: 'wasi:io@0.2.0' },
    });
  });

  it('refuses a lock entry whose digest was swapped for another cached package', async () => {
    const cwd = await project('good/', '"wasi:random" = "=0.2.0"\n"wasi:io" = "=0.2.0"');
    const cache = await tempDir('wit-deps-sec-cache-');
    await install({ cwd, env: { HOME: cwd }, cacheDir: cache });
    const lock = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    const digests = [...lock.matchAll(/digest = "(sha256:[0-9a-f]+)"/g)].map((m) => m[1]!);
    expect(digests).toHaveLength(2);
    // swap the two digests: each entry now points at the other package's cached blob
    const swapped = lock
      .replace(digests[0]!, 'X')
      .replace(digests[1]!, digests[0]!)
      .replace('X', digests[1]!);
    await writeFile(join(cwd, 'wkg.lock'), swapped);
    await expect(verify({ cwd, env: { HOME: cwd }, cacheDir: cache })).rejects.toMatchObject({
      code: 'ERR_VERIFY_FAILED',
    });
    await expect(install({ cwd, env: { HOME: cwd }, cacheDir: cache })).rejects.toMatchObject({
      code: 'ERR_ARTIFACT_MISMATCH',
    });
    // the read-only tree resolves from the cached facts of each digest: those were recorded for
    // the other package, so they must not be shown under the trusted name
    await expect(tree({ cwd, env: { HOME: cwd }, cacheDir: cache })).rejects.toMatchObject({
      code: 'ERR_ARTIFACT_MISMATCH',
    });
  });
});
