/**
 * Attack class: a hostile (or broken) mirror. A mirror is configured by the user's
 * registries.conf or the project's `[mirrors]`, but what it serves is not trusted: by digest it
 * is verified (wrong bytes fall back to the next place and are never kept), and by tag it is never
 * asked unless `pull-from-mirror` says so. The mirror here is the fault server in front of the
 * real registry (which is also the origin), with one blob spoiled and its tag answers poisoned.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { Cache } from '../../src/cache/store.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { tempProject } from '../support/temp-project.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';

let origin: RunningRegistry;
let mirror: FaultServer;
let clocks: string;

beforeAll(async () => {
  origin = await startRegistry();
  const wanted = ['wasi:clocks@0.2.0', 'wasi:io@0.2.0'];
  const fixtures = wasiFixtures().filter((f) => wanted.includes(`${f.name}@${f.version}`));
  clocks = (await publishWasi(origin.host, 'o/', fixtures)).get('wasi:clocks@0.2.0')!;
  const size = fixtures.find((f) => f.name === 'wasi:clocks')!.bytes.byteLength;
  mirror = await startFaultServer();
  mirror.proxyTo(origin.url);
  // the same length, other bytes
  mirror.on(`/v2/o/wasi/clocks/blobs/${clocks}`, (_req, res) => {
    res.writeHead(200, { 'content-length': String(size) }).end(Buffer.alloc(size, 'x'));
  });
  // a tag list that would pick another version, if it were asked
  mirror.on('/v2/o/wasi/clocks/tags/list', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ name: 'o/wasi/clocks', tags: ['0.2.0', '9.9.9'] }));
  });
}, 120_000);

afterAll(async () => {
  await mirror.stop();
  await origin.stop();
});

describe('a hostile mirror', () => {
  it('serving wrong bytes for a digest: the origin serves it instead, and nothing wrong is kept', async () => {
    const cwd = await tempProject({
      prefix: 'wit-deps-hostile-mirror-',
      witToml:
        `[dependencies]\n"wasi:clocks" = "*"\n\n` +
        `[registries]\nwasi = { oci = "${origin.host}", prefix = "o/" }\n\n` +
        `[mirrors]\n"${origin.host}/o" = ["${mirror.host}/o"]\n`,
      files: { 'registries.conf': '' },
    });
    const result = await install({
      cwd,
      env: { HOME: cwd, CONTAINERS_REGISTRIES_CONF: join(cwd, 'registries.conf') },
      cacheDir: join(cwd, '.cache'),
      network: { retries: '0' },
    });
    // "*" picked 0.2.0: the mirror's 9.9.9 tag was never asked for
    expect(result.packages.map((p) => p.id).sort()).toEqual(['wasi:clocks@0.2.0', 'wasi:io@0.2.0']);
    expect(mirror.seen.map((r) => r.path)).toContain(`/v2/o/wasi/clocks/blobs/${clocks}`);
    expect(mirror.seen.filter((r) => /\/tags\/|\/manifests\/\d/.test(r.path))).toEqual([]);
    expect((await new Cache(join(cwd, '.cache')).load(clocks)).state).toBe('ok');
    expect(await readdir(join(cwd, 'wit', 'deps'))).toContain('wasi-clocks-0.2.0');
  });
});
