/**
 * Attack class: hostile files in a cloned project or a path dependency. A `.wit` file that is a
 * symlink to a secret outside the package folder (`~/.git-credentials`) must be refused before it
 * is read, so a parse error cannot print it; a FIFO must not hang a command (with the project
 * lock held); a symlink to `/dev/zero` must not exhaust memory. Every file the tool reads from a
 * project or a path dependency is read with `src/fs/safe-read.ts`: regular files only, size caps,
 * and, for path dependencies and wit/deps, confined to their folder.
 */
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readDockerConfig } from '../../src/registry/docker-config.js';
import { copyExample } from '../support/example.js';
import { tempDir } from '../support/temp-project.js';

const LAYOUT = join(import.meta.dirname, '../../fixtures/wasi-oci');
const SECRET = 'ghp_s3cr3tT0kenThatMustNeverBePrinted';
const BILLING =
  'package acme:billing@0.1.0;\n\ninterface billing {\n  charge: func(cents: u64);\n}\n';
/** A command that has not finished after this long hangs (each ends in well under a second). */
const HANG = 6_000;
/** The timeout of a test that runs commands that might hang. */
const FAST = 15_000;

interface Run {
  code: number;
  /** stdout and stderr together. */
  output: string;
  /** The `error` of the `--json` document, when there is one. */
  error: Record<string, unknown> | undefined;
}

/** A temporary folder with `app/` (the project) and `secret` (a credentials file). */
async function workspace(): Promise<{ top: string; cwd: string }> {
  const top = await tempDir('wit-deps-hostile-');
  const cwd = join(top, 'app');
  await mkdir(join(cwd, 'wit'), { recursive: true });
  await writeFile(join(top, 'secret'), `https://alice:${SECRET}@github.com\n`);
  return { top, cwd };
}

/** Runs the CLI in-process, with and without `--json`; fails if it does not end within `wait` ms. */
async function run(top: string, cwd: string, argv: string[], wait = HANG): Promise<Run> {
  const env = { HOME: top, WIT_DEPS_CACHE_DIR: join(top, 'cache') };
  const once = async (json: boolean): Promise<{ code: number; out: string; err: string }> => {
    const io = bufferIo({ cwd, env });
    const code = await main([...(json ? ['--json'] : []), ...argv], io);
    return { code, out: io.out(), err: io.err() };
  };
  const both = (async () => {
    const human = await once(false);
    const json = await once(true);
    const doc = JSON.parse(json.out) as { error?: Record<string, unknown> };
    return {
      code: json.code,
      output: [human.out, human.err, json.out, json.err].join('\n'),
      error: doc.error,
    };
  })();
  return settles(both, `\`${argv.join(' ')}\``, wait);
}

/** `promise`, or a rejection when it has not settled within `wait` ms (a hang). */
async function settles<T>(promise: Promise<T>, what: string, wait = HANG): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung`)), wait);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** A project whose only dependency is the path package `acme:billing` at `path`. */
async function pathProject(cwd: string, path: string): Promise<void> {
  await writeFile(
    join(cwd, 'wit.toml'),
    `[dependencies]\n"acme:billing" = { path = ${JSON.stringify(path)} }\n`,
  );
}

describe('a path dependency cannot make the tool read a file outside its folder', () => {
  it('refuses a `.wit` symlink in the folder that leads outside it, and never prints it', async () => {
    const { top, cwd } = await workspace();
    await mkdir(join(top, 'billing/wit'), { recursive: true });
    await writeFile(join(top, 'billing/wit/billing.wit'), BILLING);
    await symlink(join(top, 'secret'), join(top, 'billing/wit/creds.wit'));
    await pathProject(cwd, '../billing/wit');
    const result = await run(top, cwd, ['install']);
    expect(result.code).toBe(1);
    expect(result.error).toMatchObject({ code: 'ERR_FS', details: { package: 'acme:billing' } });
    expect(result.error?.['message']).toContain('creds.wit` resolves outside');
    expect(result.error?.['hint']).toContain('symlink');
    expect(result.output).not.toContain(SECRET);
    await expect(lstat(join(cwd, 'wit/deps'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a path naming a `.wit` symlink to a secret (install and add --path)', async () => {
    const { top, cwd } = await workspace();
    await mkdir(join(top, 'billing'));
    await symlink(join(top, 'secret'), join(top, 'billing/creds.wit'));
    await pathProject(cwd, '../billing/creds.wit');
    const install = await run(top, cwd, ['install']);
    expect(install.code).toBe(1);
    expect(install.error).toMatchObject({ code: 'ERR_FS' });
    expect(install.output).not.toContain(SECRET);
    await writeFile(join(cwd, 'wit.toml'), '[dependencies]\n');
    const add = await run(top, cwd, ['add', '--path', '../billing/creds.wit']);
    expect(add.code).toBe(1);
    expect(add.error).toMatchObject({ code: 'ERR_FS' });
    expect(add.output).not.toContain(SECRET);
  });

  it('follows a symlink that stays inside the folder', async () => {
    const { top, cwd } = await workspace();
    await mkdir(join(top, 'billing/wit/shared'), { recursive: true });
    await writeFile(join(top, 'billing/wit/billing.wit'), BILLING);
    const types = 'interface types {\n  type cents = u64;\n}\n';
    await writeFile(join(top, 'billing/wit/shared/types.txt'), types);
    await symlink('shared/types.txt', join(top, 'billing/wit/types.wit'));
    await pathProject(cwd, '../billing/wit');
    const result = await run(top, cwd, ['install']);
    expect(result.code).toBe(0);
    const copied = join(cwd, 'wit/deps/acme-billing-0.1.0/types.wit');
    expect(await readFile(copied, 'utf8')).toBe(types);
    expect((await lstat(copied)).isFile()).toBe(true);
  });
});

describe("the project's own files are read only when they are regular files", () => {
  it('a `wit/*.wit` symlink that leads out of the project is refused by install before it is read', async () => {
    const { top, cwd } = await workspace();
    await writeFile(join(cwd, 'wit.toml'), '[dependencies]\n');
    await writeFile(join(cwd, 'wit/app.wit'), 'package me:app;\n\nworld app {}\n');
    await symlink(join(top, 'secret'), join(cwd, 'wit/creds.wit'));
    const result = await run(top, cwd, ['install']);
    expect(result.code).toBe(1);
    expect(result.error).toMatchObject({ code: 'ERR_FS' });
    expect(result.error?.['message']).toContain('creds.wit` resolves outside');
    expect(result.output).not.toContain(SECRET);
  });

  it('a `wit/*.wit` symlink to a file elsewhere in the project is read', async () => {
    const { top, cwd } = await workspace();
    await writeFile(join(cwd, 'wit.toml'), '[dependencies]\n');
    await mkdir(join(cwd, 'shared'));
    await writeFile(join(cwd, 'shared/app.wit'), 'package me:app;\n\nworld app {}\n');
    await symlink(join(cwd, 'shared/app.wit'), join(cwd, 'wit/app.wit'));
    const result = await run(top, cwd, ['install']);
    expect(result.code).toBe(0);
  });

  it(
    'a FIFO as `wit/x.wit` fails install and wit check at once with ERR_FS',
    async () => {
      const { top, cwd } = await workspace();
      await writeFile(join(cwd, 'wit.toml'), '[dependencies]\n');
      execFileSync('mkfifo', [join(cwd, 'wit/x.wit')]);
      for (const argv of [['install'], ['wit', 'check', 'wit'], ['wit', 'check', 'wit/x.wit']]) {
        const result = await run(top, cwd, argv);
        expect(result.code, argv.join(' ')).toBe(1);
        expect(result.error, argv.join(' ')).toMatchObject({ code: 'ERR_FS' });
        expect(result.error?.['message']).toContain('is not a regular file');
      }
    },
    FAST,
  );

  it(
    'wit print of a FIFO or /dev/zero named `.wasm` fails at once with ERR_FS',
    async () => {
      const { top, cwd } = await workspace();
      execFileSync('mkfifo', [join(cwd, 'pipe.wasm')]);
      await symlink('/dev/zero', join(cwd, 'zero.wasm'));
      for (const file of ['pipe.wasm', 'zero.wasm']) {
        const result = await run(top, cwd, ['wit', 'print', file]);
        expect(result.code, file).toBe(1);
        expect(result.error, file).toMatchObject({ code: 'ERR_FS' });
        expect(result.error?.['message']).toContain('is not a regular file');
      }
    },
    FAST,
  );

  it(
    'a symlink to /dev/zero as `wit/x.wit` fails install and wit check with ERR_FS',
    async () => {
      const { top, cwd } = await workspace();
      await writeFile(join(cwd, 'wit.toml'), '[dependencies]\n');
      await symlink('/dev/zero', join(cwd, 'wit/x.wit'));
      for (const argv of [['install'], ['wit', 'check', 'wit']]) {
        const result = await run(top, cwd, argv);
        expect(result.code, argv.join(' ')).toBe(1);
        expect(result.error, argv.join(' ')).toMatchObject({ code: 'ERR_FS' });
      }
    },
    FAST,
  );

  it(
    'wit.toml, wkg.lock and the wasm-pkg config as FIFOs or /dev/zero fail with ERR_FS',
    async () => {
      const { top, cwd } = await workspace();
      execFileSync('mkfifo', [join(cwd, 'wit.toml')]);
      expect((await run(top, cwd, ['install'])).error).toMatchObject({ code: 'ERR_FS' });
      await unlink(join(cwd, 'wit.toml'));
      await writeFile(join(cwd, 'wit.toml'), '[dependencies]\n');
      await symlink('/dev/zero', join(cwd, 'wkg.lock'));
      expect((await run(top, cwd, ['install'])).error).toMatchObject({ code: 'ERR_FS' });
      await unlink(join(cwd, 'wkg.lock'));
      execFileSync('mkfifo', [join(top, 'config.toml')]);
      const config = await run(top, cwd, ['install', '--config', join(top, 'config.toml')]);
      expect(config.error).toMatchObject({ code: 'ERR_FS' });
    },
    FAST,
  );

  it(
    'a docker config.json that is a FIFO is ERR_FS, not a hang',
    async () => {
      // read only when a registry wants credentials: read directly
      const { top } = await workspace();
      await mkdir(join(top, '.docker'));
      execFileSync('mkfifo', [join(top, '.docker/config.json')]);
      const docker = readDockerConfig(join(top, '.docker/config.json'));
      await expect(settles(docker, 'readDockerConfig')).rejects.toMatchObject({ code: 'ERR_FS' });
    },
    FAST,
  );
});

describe('wit/deps markers and the files they record are read only when regular', () => {
  /** The example app, installed from the bundled layout; its wasi-http folder. */
  async function installed(): Promise<{ top: string; cwd: string; folder: string; id: string }> {
    const { top, cwd } = await workspace();
    await rm(cwd, { recursive: true });
    await copyExample(cwd);
    const toml = await readFile(join(cwd, 'wit.toml'), 'utf8');
    await writeFile(join(cwd, 'wit.toml'), toml.replace('../../fixtures/wasi-oci', LAYOUT));
    expect((await run(top, cwd, ['install'], 20_000)).code).toBe(0);
    const http = (await readdir(join(cwd, 'wit/deps'))).find((n) => n.startsWith('wasi-http-'));
    return {
      top,
      cwd,
      folder: join(cwd, 'wit/deps', http!),
      id: http!.replace(/^wasi-http-/, 'wasi:http@'),
    };
  }

  it('a recorded package.wit that is a symlink to a FIFO is reported by verify, and install restores it', async () => {
    const { top, cwd, folder, id } = await installed();
    execFileSync('mkfifo', [join(top, 'pipe')]);
    await unlink(join(folder, 'package.wit'));
    await symlink(join(top, 'pipe'), join(folder, 'package.wit'));
    const verify = await run(top, cwd, ['verify']);
    expect(verify.code).toBe(1);
    expect(verify.error).toMatchObject({ code: 'ERR_VERIFY_FAILED' });
    const problems = (verify.error?.['details'] as { problems: unknown[] }).problems;
    expect(problems).toContainEqual({
      id,
      problem: expect.stringContaining('`package.wit`') as unknown,
    });
    expect((await run(top, cwd, ['install'])).code).toBe(0);
    expect((await lstat(join(folder, 'package.wit'))).isFile()).toBe(true);
    expect((await run(top, cwd, ['verify'])).code).toBe(0);
  }, 30_000);

  it('a `.wit-deps.json` that is a FIFO is reported by verify and fails install with ERR_FS', async () => {
    const { top, cwd, folder } = await installed();
    await unlink(join(folder, '.wit-deps.json'));
    execFileSync('mkfifo', [join(folder, '.wit-deps.json')]);
    const verify = await run(top, cwd, ['verify']);
    expect(verify.error).toMatchObject({ code: 'ERR_VERIFY_FAILED' });
    expect(verify.error?.['message']).toContain('.wit-deps.json');
    const install = await run(top, cwd, ['install']);
    expect(install.error).toMatchObject({ code: 'ERR_FS' });
    expect(install.error?.['message']).toContain('is not a regular file');
    expect(install.error?.['hint']).toContain('wit-deps install');
  }, 30_000);
});
