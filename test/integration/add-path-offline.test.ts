/**
 * `wit-deps add --path <dir> [ns:pkg]` against the bundled OCI layouts (no network): the entry is
 * written as `{ path = "<dir>" }`, the name read from the package when not given, the package's
 * references are installed from the registry, and a failed install (another package in the
 * folder, no folder, WIT that does not resolve) leaves wit.toml, wkg.lock and wit/deps as they
 * were.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

const BILLING = [
  'package acme:billing@0.1.0;',
  '',
  '/// Charges, stamped with the wall clock.',
  'interface billing {',
  '  use wasi:clocks/wall-clock@0.2.3.{datetime};',
  '  charge: func(cents: u64, at: datetime);',
  '}',
  '',
].join('\n');

interface Project {
  cwd: string;
  /** Runs the CLI with `--json`: the exit code and the parsed JSON document. */
  run: (...argv: string[]) => Promise<{ code: number; json: Record<string, unknown> }>;
  snapshot: () => Promise<string[]>;
}

/** The example app (installed) next to a `billing/wit` path package, in a temporary folder. */
async function project(): Promise<Project> {
  const top = await tempDir('wit-deps-add-path-');
  const cwd = await exampleProject({ dir: join(top, 'app') });
  await mkdir(join(top, 'billing/wit'), { recursive: true });
  await writeFile(join(top, 'billing/wit/billing.wit'), BILLING);
  const env = { HOME: top, WIT_DEPS_CACHE_DIR: join(top, 'cache') };
  const run: Project['run'] = async (...argv) => {
    const io = bufferIo({ cwd, env });
    const code = await main(['--json', ...argv], io);
    return { code, json: JSON.parse(io.out()) as Record<string, unknown> };
  };
  const snapshot = async (): Promise<string[]> => [
    await readFile(join(cwd, 'wit.toml'), 'utf8'),
    await readFile(join(cwd, 'wkg.lock'), 'utf8'),
    (await readdir(join(cwd, 'wit/deps'))).join(' '),
  ];
  expect((await run('install')).code).toBe(0);
  return { cwd, run, snapshot };
}

describe('add --path', () => {
  it('adds a WIT folder under the name of its package, and installs it with what it uses', async () => {
    const { cwd, run } = await project();
    const { code, json } = await run('add', '--path', '../billing/wit');
    expect(code).toBe(0);
    expect(json['changed']).toEqual([{ name: 'acme:billing', to: 'path ../billing/wit' }]);
    const toml = await readFile(join(cwd, 'wit.toml'), 'utf8');
    expect(toml).toContain(
      '"wasi:http" = "0.2.0"             # ^0.2.0: the newest 0.2.x in the registry\n' +
        '"acme:billing" = { path = "../billing/wit" }\n',
    );
    // copied verbatim; the path package is not locked, what it uses is
    const copied = await readFile(join(cwd, 'wit/deps/acme-billing-0.1.0/billing.wit'), 'utf8');
    expect(copied).toBe(BILLING);
    const lock = await readFile(join(cwd, 'wkg.lock'), 'utf8');
    expect(lock).not.toContain('acme:billing');
    expect(lock).toContain('name = "wasi:clocks"');
    // naming it gives the same entry; a second add changes nothing
    const again = await run('add', '--path', '../billing/wit', 'acme:billing');
    expect(again.code).toBe(0);
    expect(again.json['changed']).toEqual([
      { name: 'acme:billing', from: 'path ../billing/wit', to: 'path ../billing/wit' },
    ]);
    expect(await readFile(join(cwd, 'wit.toml'), 'utf8')).toBe(toml);
  });

  it('names the package the folder holds when another name is given; nothing changes', async () => {
    const { run, snapshot } = await project();
    const before = await snapshot();
    const { code, json } = await run('add', '--path', '../billing/wit', 'acme:ledger');
    expect(code).toBe(1);
    expect(json).toMatchObject({
      error: {
        code: 'ERR_PATH_MISMATCH',
        message:
          'path dependency `acme:ledger` (`../billing/wit`) holds package `acme:billing@0.1.0`',
        hint: 'run `wit-deps add --path ../billing/wit` to add it under its own name (`acme:billing`)',
      },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('leaves the project alone when the folder is missing or its WIT does not resolve', async () => {
    const { cwd, run, snapshot } = await project();
    const before = await snapshot();
    const missing = await run('add', '--path', '../nowhere');
    expect(missing.code).toBe(1);
    expect(missing.json).toMatchObject({ error: { code: 'ERR_PATH_NOT_FOUND' } });
    await writeFile(
      join(cwd, '../billing/wit/billing.wit'),
      BILLING.replace('{datetime}', '{no-such-type}'),
    );
    const broken = await run('add', '--path', '../billing/wit');
    expect(broken.code).toBe(1);
    expect(broken.json).toMatchObject({
      error: {
        code: 'ERR_WIT_RESOLVE',
        details: { package: 'acme:billing', path: '../billing/wit' },
      },
    });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a range, two packages or --registry with --path (exit code 2)', async () => {
    const { run, snapshot } = await project();
    const before = await snapshot();
    for (const argv of [
      ['add', '--path', '../billing/wit', 'acme:billing@0.1'],
      ['add', '--path', '../billing/wit', 'acme:billing', 'acme:ledger'],
      ['add', '--path', '../billing/wit', '--registry', 'acme.io'],
      ['add'],
    ]) {
      const { code, json } = await run(...argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(json).toMatchObject({ error: { code: 'ERR_USAGE' } });
    }
    expect(await snapshot()).toEqual(before);
  });
});
