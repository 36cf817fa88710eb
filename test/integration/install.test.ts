/**
 * `wit-deps install` against the real registry (docker-registry), with the real wasi:http@0.2.0
 * binary and WASI packages built by our encoder: transitive installs, ranges, prereleases, two
 * versions side by side, the lock, zero-request reinstalls, --offline/--locked, errors; path
 * dependencies (WIT folders and .wasm files) whose references come from the registry.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install, type InstallOptions } from '../../src/app/deps/install.js';
import { renderTree, tree } from '../../src/app/deps/tree.js';
import { verify } from '../../src/app/deps/verify.js';
import { witCheck } from '../../src/app/wit/text.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseLock } from '../../src/project/wkg-lock.js';
import { decodeWit, printWitPackage } from '../../src/wit/index.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { publishWasi, wasiFixtures, type WasiFixture } from '../support/wasi-publish.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

let registry: RunningRegistry;
let digests: Map<string, string>;
let fixtures: WasiFixture[];
let cacheRoot: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = wasiFixtures();
  digests = await publishWasi(registry.host, 'webassembly/', fixtures);
  cacheRoot = await tempDir('wit-deps-it-cache-');
}, 120_000);

afterAll(async () => {
  await registry?.stop();
});

async function project(deps: string, extra = ''): Promise<string> {
  const wasi = { oci: registry.host, prefix: 'webassembly/' };
  return tempProject({
    prefix: 'wit-deps-it-proj-',
    witToml: witToml(deps, wasi, { after: extra }),
  });
}

function run(cwd: string, more: Partial<InstallOptions> = {}, cache = cacheRoot) {
  return install({ cwd, env: { HOME: cwd }, cacheDir: cache, ...more });
}

async function folders(cwd: string): Promise<string[]> {
  return (await readdir(join(cwd, 'wit', 'deps'))).sort();
}

function fixture(id: string): WasiFixture {
  const f = fixtures.find((x) => `${x.name}@${x.version}` === id);
  if (f === undefined) throw new Error(`no fixture ${id}`);
  return f;
}

describe('install from a real registry', () => {
  it('installs the real wasi:http@0.2.0 and its whole closure, then reinstalls with zero requests', async () => {
    const cwd = await project('"wasi:http" = "=0.2.0"');
    const cache = await tempDir('wit-deps-it-cold-');
    const first = await run(cwd, {}, cache);
    expect(first.packages.map((p) => p.id)).toEqual([
      'wasi:cli@0.2.0',
      'wasi:clocks@0.2.0',
      'wasi:filesystem@0.2.0',
      'wasi:http@0.2.0',
      'wasi:io@0.2.0',
      'wasi:random@0.2.0',
      'wasi:sockets@0.2.0',
    ]);
    expect(await folders(cwd)).toEqual(first.packages.map((p) => p.folder));
    // each folder holds the package printed from its own registry artifact
    for (const p of first.packages) {
      const decoded = decodeWit(fixture(p.id).bytes);
      const text = await readFile(join(cwd, 'wit', 'deps', p.folder, 'package.wit'), 'utf8');
      expect(text).toBe(printWitPackage(decoded.resolve, decoded.package));
      expect(p.digest).toBe(digests.get(p.id));
    }
    // one manifest and one blob per package (exact versions: no tag list), no token
    expect(first.requests).toBe(14);
    const lockText = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    const lock = parseLock(lockText);
    expect(
      lock.packages.map((p) => [p.name, p.registry, p.versions.map((v) => v.requirement)]),
    ).toEqual([
      ['wasi:cli', registry.host, ['=0.2.0']],
      ['wasi:clocks', registry.host, ['=0.2.0']],
      ['wasi:filesystem', registry.host, ['=0.2.0']],
      ['wasi:http', registry.host, ['=0.2.0']],
      ['wasi:io', registry.host, ['=0.2.0']],
      ['wasi:random', registry.host, ['=0.2.0']],
      ['wasi:sockets', registry.host, ['=0.2.0']],
    ]);
    const second = await run(cwd, {}, cache);
    expect(second.requests).toBe(0);
    expect(second.lockWritten).toBe(false);
    expect(second.packages.every((p) => p.status === 'unchanged')).toBe(true);
    expect(await readFile(join(cwd, 'wkg.lock'), 'utf8')).toBe(lockText);
    // a wiped wit/deps is rebuilt from the warm cache, still without network
    await rm(join(cwd, 'wit'), { recursive: true });
    const third = await run(cwd, { frozen: true }, cache);
    expect(third.requests).toBe(0);
    expect(await folders(cwd)).toEqual(first.packages.map((p) => p.folder));
  });

  it('resolves ^0.2 to the highest 0.2 version and records the range in the lock', async () => {
    const cwd = await project('"wasi:http" = "^0.2"');
    const result = await run(cwd);
    expect(result.packages.find((p) => p.name === 'wasi:http')?.version).toBe('0.2.3');
    expect(result.packages.every((p) => p.version === '0.2.3')).toBe(true);
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(lock.packages.find((p) => p.name === 'wasi:http')?.versions[0]?.requirement).toBe(
      '^0.2',
    );
  });

  it('selects a prerelease only when asked', async () => {
    const cwd = await project('"wasi:http" = "0.3.0-rc-2026-01-06"');
    const result = await run(cwd);
    expect(result.packages.map((p) => p.id).sort()).toEqual([
      'wasi:cli@0.3.0-rc-2026-01-06',
      'wasi:clocks@0.3.0-rc-2026-01-06',
      'wasi:filesystem@0.3.0-rc-2026-01-06',
      'wasi:http@0.3.0-rc-2026-01-06',
      'wasi:random@0.3.0-rc-2026-01-06',
      'wasi:sockets@0.3.0-rc-2026-01-06',
    ]);
  });

  it('keeps two versions of wasi:io side by side', async () => {
    const cwd = await project('"wasi:clocks" = "=0.2.0"\n"wasi:io" = "~0.2.3"');
    const result = await run(cwd);
    expect(result.packages.map((p) => p.id)).toEqual([
      'wasi:clocks@0.2.0',
      'wasi:io@0.2.0',
      'wasi:io@0.2.3',
    ]);
    expect(await folders(cwd)).toEqual(['wasi-clocks-0.2.0', 'wasi-io-0.2.0', 'wasi-io-0.2.3']);
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(
      lock.packages.find((p) => p.name === 'wasi:io')?.versions.map((v) => v.requirement),
    ).toEqual(['=0.2.0', '~0.2.3']);
  });

  it("removes stale folders it created and leaves the user's folders alone", async () => {
    const cwd = await project('"wasi:io" = "=0.2.0"');
    await run(cwd);
    await mkdir(join(cwd, 'wit', 'deps', 'my-vendored'), { recursive: true });
    await writeFile(join(cwd, 'wit', 'deps', 'my-vendored', 'x.wit'), 'package my:vendored;\n');
    await writeFile(
      join(cwd, 'wit.toml'),
      (await readFile(join(cwd, 'wit.toml'), 'utf8')).replace('=0.2.0', '=0.2.3'),
    );
    const result = await run(cwd);
    expect(result.removed).toEqual(['wasi-io-0.2.0']);
    expect(await folders(cwd)).toEqual(['my-vendored', 'wasi-io-0.2.3']);
  });

  it('fails --locked when the lock would change, and --offline on a cold cache', async () => {
    const cwd = await project('"wasi:io" = "=0.2.0"');
    await expect(run(cwd, { locked: true })).rejects.toMatchObject({
      code: 'ERR_LOCKFILE_OUTDATED',
    });
    await expect(readdir(join(cwd, 'wit'))).rejects.toThrow();
    const cold = await tempDir('wit-deps-it-empty-');
    await expect(run(cwd, { offline: true }, cold)).rejects.toMatchObject({ code: 'ERR_OFFLINE' });
  });

  it('names what exists when a range matches nothing, and a missing package', async () => {
    const cwd = await project('"wasi:http" = "^0.4"');
    await expect(run(cwd)).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NO_MATCH',
      details: {
        package: 'wasi:http',
        requirement: '^0.4',
        available: ['0.3.0-rc-2026-01-06', '0.2.3', '0.2.0'],
      },
    });
    const missing = await project('"wasi:nope" = "^1"');
    await expect(run(missing)).rejects.toMatchObject({
      code: 'ERR_RESOLVE_NOT_FOUND',
      details: { package: 'wasi:nope' },
    });
  });

  it("installs what the project's own WIT references, with no dependency table", async () => {
    const cwd = await project('');
    await mkdir(join(cwd, 'wit'));
    await writeFile(
      join(cwd, 'wit', 'world.wit'),
      'package acme:app@0.1.0;\n\nworld app {\n  import wasi:clocks/wall-clock@0.2.0;\n  import wasi:random/random@0.2.3;\n}\n',
    );
    const result = await run(cwd);
    expect(result.packages.map((p) => p.id)).toEqual([
      'wasi:clocks@0.2.0',
      'wasi:io@0.2.0',
      'wasi:random@0.2.3',
    ]);
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(
      lock.packages.map((p) => `${p.name} ${p.versions.map((v) => v.requirement).join(',')}`),
    ).toEqual(['wasi:clocks =0.2.0', 'wasi:io =0.2.0', 'wasi:random =0.2.3']);
  });

  it('runs through the CLI with a one-line summary and --json', async () => {
    const cwd = await project('"wasi:random" = "0.2.0"');
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheRoot } });
    expect(await main(['install'], io)).toBe(0);
    expect(io.out()).toMatch(
      /^1 package installed, 1 written, wkg.lock updated, \d+ requests, [\d.]+ s\n$/,
    );
    const json = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cacheRoot } });
    expect(await main(['--json', 'install', '--frozen'], json)).toBe(0);
    expect(JSON.parse(json.out())).toMatchObject({
      requests: 0,
      lockWritten: false,
      packages: [{ id: 'wasi:random@0.2.3' }],
    });
  });
});

const BILLING = `// invoices, kept next to the app
package acme:billing@0.1.0;

interface invoices {
  use wasi:clocks/wall-clock@0.2.0.{datetime};

  record invoice {
    id: string,
    issued: datetime,
  }

  issue: func(amount: u64) -> invoice;
}
`;

const APP = `package acme:app@0.1.0;

world app {
  import acme:billing/invoices@0.1.0;
}
`;

/** A project in `<tmp>/app` with a path dependency on `<tmp>/billing/wit`. */
async function pathProject(): Promise<{ cwd: string; billing: string }> {
  const top = await tempDir('wit-deps-it-path-');
  const billing = join(top, 'billing', 'wit');
  await mkdir(billing, { recursive: true });
  await writeFile(join(billing, 'billing.wit'), BILLING);
  await mkdir(join(billing, 'deps', 'wasi-clocks-0.2.0'), { recursive: true }); // not read
  const cwd = join(top, 'app');
  await mkdir(join(cwd, 'wit'), { recursive: true });
  await writeFile(join(cwd, 'wit', 'world.wit'), APP);
  const deps = '"acme:billing" = { path = "../billing/wit" }\n"wasi:io" = "=0.2.0"';
  await writeFile(
    join(cwd, 'wit.toml'),
    witToml(deps, { oci: registry.host, prefix: 'webassembly/' }),
  );
  return { cwd, billing };
}

describe('install with path dependencies', () => {
  it('installs a path package and what it uses from the registry, keeps it out of the lock', async () => {
    const { cwd, billing } = await pathProject();
    const first = await run(cwd);
    expect(first.paths).toEqual([
      {
        id: 'acme:billing@0.1.0',
        name: 'acme:billing',
        version: '0.1.0',
        path: '../billing/wit',
        folder: 'acme-billing-0.1.0',
        status: 'written',
      },
    ]);
    expect(first.packages.map((p) => [p.id, p.direct])).toEqual([
      ['wasi:clocks@0.2.0', false],
      ['wasi:io@0.2.0', true],
    ]);
    expect(await folders(cwd)).toEqual([
      'acme-billing-0.1.0',
      'wasi-clocks-0.2.0',
      'wasi-io-0.2.0',
    ]);
    const copied = join(cwd, 'wit', 'deps', 'acme-billing-0.1.0');
    expect(await readFile(join(copied, 'billing.wit'), 'utf8')).toBe(BILLING);
    expect((await readdir(copied)).sort()).toEqual(['.wit-deps.json', 'billing.wit']);
    // the project with its wit/deps resolves with our WIT parser, as a bindings generator reads it
    const checked = await witCheck({ path: 'wit', cwd });
    expect(checked.packages).toContain('acme:billing@0.1.0');
    expect(checked.packages).toContain('wasi:clocks@0.2.0');
    const lockText = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    expect(
      parseLock(lockText).packages.map((p) => `${p.name} ${p.versions[0]!.requirement}`),
    ).toEqual(['wasi:clocks =0.2.0', 'wasi:io =0.2.0']);
    await expect(verify({ cwd, env: { HOME: cwd }, cacheDir: cacheRoot })).resolves.toEqual({
      checked: 2,
      paths: 1,
      problems: [],
    });

    const second = await run(cwd);
    expect(second.requests).toBe(0);
    expect(second.lockWritten).toBe(false);
    expect([...second.packages, ...second.paths].map((p) => p.status)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);

    const edited = BILLING.replace('issue: func', 'void: func(id: string);\n  issue: func');
    await writeFile(join(billing, 'billing.wit'), edited);
    await expect(verify({ cwd, env: { HOME: cwd }, cacheDir: cacheRoot })).rejects.toMatchObject({
      code: 'ERR_VERIFY_FAILED',
      details: { problems: [{ id: 'acme:billing@0.1.0' }] },
    });
    const third = await run(cwd);
    expect(third.requests).toBe(0);
    expect(third.paths[0]!.status).toBe('written');
    expect(third.packages.every((p) => p.status === 'unchanged')).toBe(true);
    expect(await readFile(join(copied, 'billing.wit'), 'utf8')).toBe(edited);

    await writeFile(join(cwd, 'wit', 'world.wit'), 'package acme:app@0.1.0;\n');
    await writeFile(
      join(cwd, 'wit.toml'),
      (await readFile(join(cwd, 'wit.toml'), 'utf8')).replace(/^"acme:billing".*\n/m, ''),
    );
    const fourth = await run(cwd);
    expect(fourth.removed).toEqual(['acme-billing-0.1.0', 'wasi-clocks-0.2.0']);
    expect(await folders(cwd)).toEqual(['wasi-io-0.2.0']);
    expect(fourth.lockWritten).toBe(true);
  });

  it('lets a wkg.toml path override replace a registry package everywhere (.wasm file)', async () => {
    const cwd = await project('"wasi:clocks" = "=0.2.0"');
    await writeFile(join(cwd, 'io.wasm'), fixture('wasi:io@0.2.0').bytes);
    await writeFile(join(cwd, 'wkg.toml'), '[overrides]\n"wasi:io" = { path = "io.wasm" }\n');
    const result = await run(cwd);
    expect(result.packages.map((p) => p.id)).toEqual(['wasi:clocks@0.2.0']);
    expect(result.paths.map((p) => [p.id, p.folder, p.status])).toEqual([
      ['wasi:io@0.2.0', 'wasi-io-0.2.0', 'written'],
    ]);
    const decoded = decodeWit(fixture('wasi:io@0.2.0').bytes);
    expect(await readFile(join(cwd, 'wit', 'deps', 'wasi-io-0.2.0', 'package.wit'), 'utf8')).toBe(
      printWitPackage(decoded.resolve, decoded.package),
    );
    const lock = parseLock(await readFile(join(cwd, 'wkg.lock'), 'utf8'));
    expect(lock.packages.map((p) => p.name)).toEqual(['wasi:clocks']);
    const shown = await tree({ cwd, env: { HOME: cwd }, cacheDir: cacheRoot });
    expect(renderTree(shown.roots)).toBe('wasi:clocks@0.2.0 (=0.2.0)\n└── wasi:io@0.2.0');
    expect(shown.paths).toMatchObject([{ id: 'wasi:io@0.2.0', path: 'io.wasm', dependencies: [] }]);
  });

  it('fails with a rendered diagnostic when the path package does not resolve against its deps', async () => {
    const { cwd, billing } = await pathProject();
    await writeFile(
      join(billing, 'billing.wit'),
      BILLING.replace('{datetime}', '{instant as datetime}'),
    );
    const failed = run(cwd);
    await expect(failed).rejects.toMatchObject({ code: 'ERR_WIT_RESOLVE' });
    await expect(failed).rejects.toThrow(/^path dependency `acme:billing` \(`..\/billing\/wit`\)/);
    const error = (await failed.catch((e: unknown) => e)) as { details: { rendered: string } };
    expect(error.details.rendered).toContain('--> ../billing/wit/billing.wit:5:');
    expect(await readdir(join(cwd, 'wit'))).toEqual(['world.wit']); // nothing written
  });

  it('names the dependency when its path is missing or holds another package', async () => {
    const { cwd, billing } = await pathProject();
    await writeFile(join(billing, 'billing.wit'), BILLING.replace('acme:billing@', 'acme:ledger@'));
    await expect(run(cwd)).rejects.toMatchObject({
      code: 'ERR_PATH_MISMATCH',
      message:
        'path dependency `acme:billing` (`../billing/wit`) holds package `acme:ledger@0.1.0`',
    });
    await rm(billing, { recursive: true });
    await expect(run(cwd)).rejects.toMatchObject({
      code: 'ERR_PATH_NOT_FOUND',
      message: 'path dependency `acme:billing` (`../billing/wit`) does not exist',
    });
  });
});
