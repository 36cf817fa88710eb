import { execFileSync } from 'node:child_process';
import { readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_PATH_PACKAGE_BYTES,
  readPathPackage,
  readPathPackageName,
} from '../../../../src/app/source/path-packages.js';
import { rootDependencies } from '../../../../src/app/project/project-inputs.js';
import { parseManifest } from '../../../../src/project/manifest.js';
import { decodeWit, printWitPackage } from '../../../../src/wit/index.js';
import { tempProject } from '../../../support/temp-project.js';

const IO_WASM = join(
  import.meta.dirname,
  '../../../../fixtures/pm/wasi-binaries/wasi-io-0.2.0.wasm',
);

async function tree(files: Record<string, string>): Promise<string> {
  return tempProject({ prefix: 'wit-deps-path-', files });
}

describe('readPathPackage', () => {
  it('refuses files larger than the limit before reading them (ERR_LIMIT_EXCEEDED)', async () => {
    const root = await tree({ 'big.wit': '', 'lib/a.wit': 'package acme:big;\n', 'lib/b.wit': '' });
    await truncate(join(root, 'big.wit'), MAX_PATH_PACKAGE_BYTES + 1); // sparse: no disk used
    await truncate(join(root, 'lib/b.wit'), MAX_PATH_PACKAGE_BYTES);
    for (const path of ['big.wit', 'lib'])
      await expect(readPathPackage(root, 'acme:big', path)).rejects.toMatchObject({
        code: 'ERR_LIMIT_EXCEEDED',
        message: expect.stringMatching(/^path dependency `acme:big` /) as unknown,
        details: { package: 'acme:big', path },
      });
  });

  it('reads only regular files: a FIFO or a device named .wit is not read', async () => {
    const root = await tree({ 'lib/a.wit': 'package acme:lib;\n' });
    execFileSync('mkfifo', [join(root, 'pipe.wit')]);
    await symlink('/dev/zero', join(root, 'zero.wit'));
    execFileSync('mkfifo', [join(root, 'lib', 'pipe.wit')]);
    for (const path of ['pipe.wit', 'zero.wit'])
      await expect(readPathPackage(root, 'acme:lib', path)).rejects.toMatchObject({
        code: 'ERR_PATH_NOT_FOUND',
      });
    // in a folder, a FIFO is skipped (as wit-parser skips what is not a file)
    expect(Object.keys((await readPathPackage(root, 'acme:lib', 'lib')).files)).toEqual(['a.wit']);
  });

  it("refuses a folder's symlink that leads out of the folder, and follows one inside it", async () => {
    const root = await tree({ 'lib/a.wit': 'package acme:lib;\n', 'lib/in/b.txt': '// b\n' });
    await symlink('in/b.txt', join(root, 'lib', 'b.wit'));
    expect(Object.keys((await readPathPackage(root, 'acme:lib', 'lib')).files)).toEqual([
      'a.wit',
      'b.wit',
    ]);
    await symlink('/dev/zero', join(root, 'lib', 'zero.wit'));
    await expect(readPathPackage(root, 'acme:lib', 'lib')).rejects.toMatchObject({
      code: 'ERR_FS',
      message: expect.stringMatching(
        /^path dependency `acme:lib` \(`lib`\): `lib\/zero.wit` resolves outside /,
      ) as unknown,
      details: { package: 'acme:lib', path: 'lib', file: 'lib/zero.wit' },
    });
  });

  it("reads a folder's top-level .wit files, not its deps/ or other files", async () => {
    const root = await tree({
      'lib/wit/a.wit':
        'package acme:lib@1.2.0;\ninterface a { use wasi:io/poll@0.2.0.{pollable}; }\n',
      'lib/wit/b.wit': 'interface b { use wasi:random/random.{get-random-u64}; }\n',
      'lib/wit/README.md': '# not WIT\n',
      'lib/wit/deps/wasi-io-0.2.0/package.wit': 'package wasi:io@0.2.0;\n',
    });
    const pkg = await readPathPackage(root, 'acme:lib', 'lib/wit/');
    expect(pkg.version).toBe('1.2.0');
    expect(Object.keys(pkg.files)).toEqual(['a.wit', 'b.wit']);
    expect(pkg.sources.map((s) => s.path)).toEqual(['lib/wit/a.wit', 'lib/wit/b.wit']);
    expect(pkg.dependencies).toEqual([
      { name: 'wasi:io', requirement: '=0.2.0' },
      { name: 'wasi:random', requirement: '*' },
    ]);
    expect(pkg.binary).toBe(false);
    // the digest follows the files: same text, same digest; an edit changes it
    expect((await readPathPackage(root, 'acme:lib', 'lib/wit')).digest).toBe(pkg.digest);
    await writeFile(join(root, 'lib/wit/b.wit'), 'interface b {}\n');
    const edited = await readPathPackage(root, 'acme:lib', 'lib/wit');
    expect(edited.digest).not.toBe(pkg.digest);
    expect(edited.dependencies).toEqual([{ name: 'wasi:io', requirement: '=0.2.0' }]);
  });

  it('reads a single .wit file and a .wasm binary package', async () => {
    const root = await tree({ 'one.wit': 'package acme:one;\ninterface x {}\n' });
    const one = await readPathPackage(root, 'acme:one', 'one.wit');
    expect([one.version, Object.keys(one.files), one.dependencies]).toEqual([
      undefined,
      ['one.wit'],
      [],
    ]);
    await writeFile(join(root, 'io.wasm'), await readFile(IO_WASM));
    const io = await readPathPackage(root, 'wasi:io', 'io.wasm');
    const decoded = decodeWit(new Uint8Array(await readFile(IO_WASM)));
    expect(io.version).toBe('0.2.0');
    expect(io.binary).toBe(true);
    expect(io.files).toEqual({ 'package.wit': printWitPackage(decoded.resolve, decoded.package) });
  });

  it('fails with a code, the dependency as subject and a hint', async () => {
    const root = await tree({
      'empty/x.txt': 'no wit here\n',
      'other/p.wit': 'package acme:other@0.1.0;\n',
      'bad/p.wit': 'package acme:bad;\ninterface {\n',
      'notes.txt': 'x',
    });
    const cases: [string, string, string, RegExp][] = [
      [
        'acme:gone',
        'gone',
        'ERR_PATH_NOT_FOUND',
        /^path dependency `acme:gone` \(`gone`\) does not exist$/,
      ],
      ['acme:empty', 'empty', 'ERR_PATH_NOT_FOUND', /holds no `.wit` files$/],
      ['acme:notes', 'notes.txt', 'ERR_PATH_NOT_FOUND', /neither a WIT folder/],
      ['acme:lib', 'other', 'ERR_PATH_MISMATCH', /holds package `acme:other@0.1.0`$/],
      ['acme:bad', 'bad', 'ERR_WIT_PARSE', /^path dependency `acme:bad` \(`bad`\): expected/],
    ];
    for (const [name, path, code, message] of cases) {
      const error = await readPathPackage(root, name, path).catch((e: unknown) => e);
      expect(error).toMatchObject({ code });
      expect((error as Error).message).toMatch(message);
      expect((error as { hint: string }).hint).toMatch(/wit.toml|wit check/);
    }
  });
});

describe('readPathPackageName', () => {
  it('reads the name from a folder, a .wit file or a .wasm package, without resolving', async () => {
    const root = await tree({
      // the header may be in any file; references to packages not installed are fine
      'lib/wit/a.wit': 'interface a { use wasi:io/poll@0.2.0.{pollable}; }\n',
      'lib/wit/b.wit': 'package acme:lib@1.2.0;\ninterface b {}\n',
      'one.wit': 'package acme:one;\ninterface x {}\n',
    });
    await writeFile(join(root, 'io.wasm'), await readFile(IO_WASM));
    expect(await readPathPackageName(root, 'lib/wit')).toBe('acme:lib');
    expect(await readPathPackageName(root, 'one.wit')).toBe('acme:one');
    expect(await readPathPackageName(root, 'io.wasm')).toBe('wasi:io');
  });

  it('fails with the path as subject and a hint', async () => {
    const root = await tree({
      'empty/x.txt': 'no wit here\n',
      'headless/p.wit': 'interface x {}\n',
      'bad/p.wit': 'package acme:bad;\ninterface {\n',
    });
    await writeFile(join(root, 'junk.wasm'), 'not wasm');
    const cases: [string, string, RegExp, RegExp][] = [
      ['gone', 'ERR_PATH_NOT_FOUND', /^path `gone` does not exist$/, /add --path <dir>/],
      ['empty', 'ERR_PATH_NOT_FOUND', /^path `empty` holds no `.wit` files$/, /add --path/],
      ['headless', 'ERR_WIT_RESOLVE', /^path `headless`: /, /wit check headless/],
      ['bad', 'ERR_WIT_PARSE', /^path `bad`: expected/, /wit check bad/],
      ['junk.wasm', 'ERR_WIT_DECODE', /^path `junk.wasm`: /, /wit check junk.wasm/],
    ];
    for (const [path, code, message, hint] of cases) {
      const error = await readPathPackageName(root, path).catch((e: unknown) => e);
      expect(error, path).toMatchObject({ code, details: { path } });
      expect((error as Error).message).toMatch(message);
      expect((error as { hint: string }).hint).toMatch(hint);
    }
  });
});

describe('rootDependencies', () => {
  it("lets a path dependency satisfy the project's WIT references to it", () => {
    const roots = rootDependencies(
      parseManifest('[dependencies]\n"acme:billing" = { path = "../billing/wit" }\n'),
      [{ name: 'wasi:io', path: 'io' }],
      [
        { name: 'acme:billing', version: '0.1.0', files: ['wit/world.wit'] },
        { name: 'wasi:io', version: '0.2.0', files: ['wit/world.wit'] },
        { name: 'wasi:clocks', version: '0.2.0', files: ['wit/world.wit'] },
      ],
    );
    expect(roots.map((r) => [r.name, r.path ?? r.requirement])).toEqual([
      ['acme:billing', '../billing/wit'],
      ['wasi:clocks', '=0.2.0'],
      ['wasi:io', 'io'],
    ]);
  });
});
