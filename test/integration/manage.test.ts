/**
 * add / remove / update / outdated / tree / verify, private registries (Basic, token, config.toml
 * auth) and `.well-known` discovery, against the real registry.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { addPackages, removePackages, updatePackages } from '../../src/app/deps/add-remove.js';
import { outdated } from '../../src/app/deps/outdated.js';
import { renderTree, tree } from '../../src/app/deps/tree.js';
import { verify } from '../../src/app/deps/verify.js';
import { envHostKey } from '../../src/registry/credentials.js';
import { parseLock, serializeLock } from '../../src/project/wkg-lock.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures } from '../support/wasi-publish.js';
import { tempDir, tempProject } from '../support/temp-project.js';

let open: RunningRegistry;
let digests: Map<string, string>;
let cacheDir: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  open = await startRegistry();
  stops.push(() => open.stop());
  const io = wasiFixtures().filter((f) => f.name === 'wasi:io' || f.name === 'wasi:random');
  digests = await publishWasi(open.host, 'webassembly/', io);
  cacheDir = await tempDir('wit-deps-mg-cache-');
}, 120_000);

afterAll(async () => {
  for (const stop of stops) await stop();
});

async function project(text: string): Promise<string> {
  return tempProject({ prefix: 'wit-deps-mg-', witToml: text });
}

const mapping = () => `\n[registries]\nwasi = { oci = "${open.host}", prefix = "webassembly/" }\n`;
const opts = (cwd: string, env: Record<string, string> = {}) => ({
  cwd,
  env: { HOME: cwd, ...env },
  cacheDir,
});

describe('add, update, outdated, tree, verify, remove', () => {
  it('walks a project through its life', async () => {
    const cwd = await project(`# my project\n[dependencies]\n${mapping()}`);
    const added = await addPackages(['wasi:io'], opts(cwd));
    expect(added.changed).toEqual([{ name: 'wasi:io', to: '0.2.3' }]);
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(
      `# my project\n[dependencies]\n"wasi:io" = "0.2.3"\n${mapping()}`,
    );
    expect(added.install.packages.map((p) => p.id)).toEqual(['wasi:io@0.2.3']);

    // pin an older version through the lock, as if it had been installed before 0.2.3 existed
    await addPackages(['wasi:random@^0.2'], opts(cwd));
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    const lockedRandom = lock.packages.find((p) => p.name === 'wasi:random')!;
    lockedRandom.versions = [
      { requirement: '^0.2', version: '0.2.0', digest: digests.get('wasi:random@0.2.0')! },
    ];
    await writeFile(join(cwd, 'wkg.lock'), serializeLock(lock));
    const kept = await install(opts(cwd));
    expect(kept.packages.map((p) => p.id)).toEqual(['wasi:io@0.2.3', 'wasi:random@0.2.0']);

    // only the outdated rows by default; `all` lists the others too
    const random = {
      name: 'wasi:random',
      requirement: '^0.2',
      current: '0.2.0',
      wanted: '0.2.3',
      latest: '0.2.3',
      outdated: true,
      source: 'wit.toml',
    };
    const report = await outdated(opts(cwd));
    expect(report).toMatchObject({ packages: [random], outdated: 1 });
    const every = await outdated({ ...opts(cwd), all: true });
    expect(every.packages).toEqual([
      {
        name: 'wasi:io',
        requirement: '0.2.3',
        current: '0.2.3',
        wanted: '0.2.3',
        latest: '0.2.3',
        outdated: false,
        source: 'wit.toml',
      },
      random,
    ]);

    const updated = await updatePackages(['wasi:random'], opts(cwd));
    expect(updated.install.packages.map((p) => p.id)).toEqual([
      'wasi:io@0.2.3',
      'wasi:random@0.2.3',
    ]);
    expect(updated.install.removed).toEqual(['wasi-random-0.2.0']);

    const t = await tree(opts(cwd));
    expect(t.requests).toBe(0);
    expect(renderTree(t.roots)).toBe('wasi:io@0.2.3 (0.2.3)\nwasi:random@0.2.3 (^0.2)');

    expect(await verify(opts(cwd))).toEqual({ checked: 2, paths: 0, problems: [] });
    await writeFile(join(cwd, 'wit', 'deps', 'wasi-io-0.2.3', 'package.wit'), 'tampered\n');
    await expect(verify(opts(cwd))).rejects.toMatchObject({
      code: 'ERR_VERIFY_FAILED',
      details: {
        problems: [{ id: 'wasi:io@0.2.3', problem: '`package.wit` was modified' }],
      },
    });
    await rm(join(cwd, 'wit', 'deps', 'wasi-io-0.2.3', 'package.wit'));
    await expect(verify(opts(cwd))).rejects.toMatchObject({
      details: { problems: [{ id: 'wasi:io@0.2.3', problem: '`package.wit` is missing' }] },
    });

    const removed = await removePackages(['wasi:io'], opts(cwd));
    expect(removed.install.removed).toEqual(['wasi-io-0.2.3']);
    expect(
      parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8')).packages.map((p) => p.name),
    ).toEqual(['wasi:random']);
  });

  it('add changes only the version of an existing entry: a table stays a table, comments stay', async () => {
    const toml = `[dependencies]\n\n# io\n[dependencies."wasi:io"] # table\nversion = "0.2.3" # newest\n${mapping()}`;
    const cwd = await project(toml);
    const added = await addPackages(['wasi:io@=0.2.0'], opts(cwd));
    expect(added.changed).toEqual([{ name: 'wasi:io', from: '0.2.3', to: '=0.2.0' }]);
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(
      toml.replace('"0.2.3" # newest', '"=0.2.0" # newest'),
    );
    expect(added.install.packages.map((p) => p.id)).toEqual(['wasi:io@0.2.0']);
  });

  it('update --latest raises a range the newest version lies outside of, keeping its operator', async () => {
    const cwd = await project(
      `[dependencies]\n"wasi:io" = "~0.1.0" # tilde\n"wasi:random" = "=0.2.0"\n${mapping()}`,
    );
    const result = await updatePackages([], { ...opts(cwd), latest: true });
    expect(result.changed).toEqual([{ name: 'wasi:io', from: '~0.1.0', to: '~0.2.3' }]);
    expect(result.install.packages.map((p) => p.id)).toEqual([
      'wasi:io@0.2.3',
      'wasi:random@0.2.0',
    ]);
    // the exact pin stays; `--pinned`, or naming the package, raises it
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(
      `[dependencies]\n"wasi:io" = "~0.2.3" # tilde\n"wasi:random" = "=0.2.0"\n${mapping()}`,
    );
    const pinned = await updatePackages([], { ...opts(cwd), latest: true, pinned: true });
    expect(pinned.changed).toEqual([{ name: 'wasi:random', from: '=0.2.0', to: '=0.2.3' }]);
    expect(pinned.updated).toEqual(['wasi:random 0.2.0 -> 0.2.3']);
  });
});

describe('private registries and discovery', () => {
  it('installs from a registry with Basic auth (env credentials) and with token auth', async () => {
    for (const auth of ['basic', 'token'] as const) {
      const reg = await startRegistry({ auth });
      stops.push(() => reg.stop());
      const credential = {
        kind: 'basic',
        username: reg.username!,
        password: reg.password!,
      } as const;
      await publishWasi(
        reg.host,
        'acme/',
        wasiFixtures().filter((f) => f.name === 'wasi:io'),
        credential,
      );
      const cwd = await project(
        `[dependencies]\n"wasi:io" = "^0.2"\n[registries]\nwasi = { oci = "${reg.host}", prefix = "acme/" }\n`,
      );
      const cold = await tempDir('wit-deps-mg-auth-');
      // htpasswd refuses anonymous pulls; the token server grants anonymous callers `pull` only
      if (auth === 'basic')
        await expect(install({ cwd, env: { HOME: cwd }, cacheDir: cold })).rejects.toMatchObject({
          code: 'ERR_REGISTRY_UNAUTHORIZED',
        });
      const key = envHostKey(reg.host);
      const env = {
        HOME: cwd,
        [`WIT_DEPS_REGISTRY_${key}_USERNAME`]: reg.username!,
        [`WIT_DEPS_REGISTRY_${key}_PASSWORD`]: reg.password!,
      };
      const result = await install({ cwd, env, cacheDir: cold });
      expect(result.packages.map((p) => p.id)).toEqual(['wasi:io@0.2.3']);
    }
  });

  it('takes auth from config.toml and finds the registry through .well-known', async () => {
    const reg = await startRegistry({ auth: 'basic' });
    stops.push(() => reg.stop());
    await publishWasi(
      reg.host,
      'team/',
      wasiFixtures().filter((f) => f.name === 'wasi:random'),
      {
        kind: 'basic',
        username: reg.username!,
        password: reg.password!,
      },
    );
    let hits = 0;
    const server: Server = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          preferredProtocol: 'oci',
          oci: { registry: reg.host, namespacePrefix: 'team/' },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stops.push(() => new Promise((r) => server.close(() => r())));
    const name = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cwd = await project(`[dependencies]\n"wasi:random" = "0.2"\n`);
    const config = join(cwd, 'config.toml');
    await writeFile(
      config,
      `[namespace_registries]\nwasi = "${name}"\n\n[registry."${name}".oci]\nauth = { username = "${reg.username!}", password = "${reg.password!}" }\n`,
    );
    const cold = await tempDir('wit-deps-mg-disc-');
    const result = await install({ cwd, env: { HOME: cwd }, cacheDir: cold, config });
    expect(result.packages.map((p) => p.id)).toEqual(['wasi:random@0.2.3']);
    expect(hits).toBe(1);
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(lock.packages[0]?.registry).toBe(name);
  });
});
