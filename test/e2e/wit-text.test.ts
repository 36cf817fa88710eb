/**
 * `wit-deps wit check` and `wit-deps wit build` end to end on real files, including WIT folders
 * whose `deps/` hold binary (`.wasm`) packages.
 */
import { readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { encodeWitPackage } from '../../src/wit/encode/index.js';
import { decodeWit, printWitPackage } from '../../src/wit/index.js';
import { parseWitPackage } from '../../src/wit/parse.js';
import { FIXTURES } from '../support/wit-fixtures.js';
import { withoutProducers } from '../support/wasm-sections.js';
import { tempDirSync } from '../support/temp-project.js';

describe('wit check', () => {
  it('reports the package of a valid folder with deps/', async () => {
    const dir = tempDirSync('wit-text-');
    mkdirSync(join(dir, 'wit/deps/io'), { recursive: true });
    cpSync(join(FIXTURES, 'wasi/io/0.2.0'), join(dir, 'wit/deps/io'), { recursive: true });
    writeFileSync(
      join(dir, 'wit/app.wit'),
      'package acme:app;\nworld app {\n  import wasi:io/streams@0.2.0;\n}\n',
    );
    const io = bufferIo({ cwd: dir });
    expect(await main(['wit', 'check', 'wit', '--json'], io)).toBe(0);
    const result = JSON.parse(io.out()) as { package: string; packages: string[] };
    expect(result.package).toBe('acme:app');
    expect(result.packages).toEqual(['wasi:io@0.2.0', 'acme:app']);
  });

  it('exits 1 with a wasm-tools style diagnostic on stderr', async () => {
    const dir = tempDirSync('wit-text-');
    writeFileSync(join(dir, 'bad.wit'), 'package a:b;\ninterface i {\n  f: func(x: nope);\n}\n');
    const io = bufferIo({ cwd: dir });
    expect(await main(['wit', 'check', 'bad.wit'], io)).toBe(1);
    expect(io.err()).toContain('error[ERR_WIT_RESOLVE]: name `nope` does not exist');
    expect(io.err()).toContain('     --> bad.wit:3:14');
    expect(io.err()).toContain('    3 |   f: func(x: nope);');
    expect(io.err()).toContain('      |              ^---');
  });
});

describe('wit build', () => {
  it('writes the binary package, identical to wasm-tools apart from producers', async () => {
    const dir = tempDirSync('wit-text-');
    const src = join(FIXTURES, 'corpus/wit-component-interfaces/resources/resources.wit');
    writeFileSync(join(dir, 'resources.wit'), readFileSync(src));
    const io = bufferIo({ cwd: dir });
    expect(await main(['wit', 'build', 'resources.wit', '-o', 'out.wasm'], io)).toBe(0);
    expect(io.out()).toContain('wrote foo:bar to out.wasm');
    const built = new Uint8Array(readFileSync(join(dir, 'out.wasm')));
    const expected = new Uint8Array(
      readFileSync(join(FIXTURES, 'corpus/wit-component-interfaces/resources/resources.wasm')),
    );
    expect(withoutProducers(built)).toEqual(withoutProducers(expected));
  });
});

describe('WIT folders with binary (.wasm) dependencies', () => {
  const DEP =
    'package acme:dep@1.0.0;\ninterface types {\n  record point {\n    x: u32,\n    y: u32,\n  }\n}\n';
  const APP =
    'package acme:app;\ninterface api {\n  use acme:dep/types@1.0.0.{point};\n  move: func(p: point) -> point;\n}\nworld app {\n  export api;\n}\n';

  /** A project whose `wit/deps/` holds acme:dep as a binary built by our encoder, or as text. */
  function project(binary: boolean): string {
    const dir = tempDirSync('wit-text-');
    mkdirSync(join(dir, 'wit/deps'), { recursive: true });
    writeFileSync(join(dir, 'wit/app.wit'), APP);
    if (binary) {
      const dep = parseWitPackage([{ path: 'dep.wit', text: DEP }]);
      const bytes = encodeWitPackage(dep.resolve, dep.package, { producersVersion: '0.0.0' });
      writeFileSync(join(dir, 'wit/deps/acme-dep.wasm'), bytes);
    } else {
      writeFileSync(join(dir, 'wit/deps/acme-dep.wit'), DEP);
    }
    return dir;
  }

  it('wit check resolves the folder with the decoded package', async () => {
    const io = bufferIo({ cwd: project(true) });
    expect(await main(['wit', 'check', 'wit', '--json'], io)).toBe(0);
    const result = JSON.parse(io.out()) as { package: string; packages: string[] };
    expect(result.package).toBe('acme:app');
    expect(result.packages).toEqual(['acme:dep@1.0.0', 'acme:app']);
  });

  it('wit build writes the same bytes as with the dependency as text', async () => {
    const built: Uint8Array[] = [];
    for (const binary of [true, false]) {
      const dir = project(binary);
      const io = bufferIo({ cwd: dir });
      expect(await main(['wit', 'build', 'wit', '-o', 'app.wasm'], io)).toBe(0);
      built.push(new Uint8Array(readFileSync(join(dir, 'app.wasm'))));
    }
    expect(built[0]!.length).toBeGreaterThan(0);
    expect(built[0]).toEqual(built[1]);
    const printed = printWitPackage(decodeWit(built[0]!).resolve, decodeWit(built[0]!).package);
    expect(printed).toContain('use acme:dep/types@1.0.0.{point};');
  });

  it('wit print --all prints the main package and the decoded one', async () => {
    const io = bufferIo({ cwd: project(true) });
    expect(await main(['wit', 'print', '--all', 'wit'], io)).toBe(0);
    expect(io.out()).toContain('package acme:app;');
    expect(io.out()).toContain('move: func(p: point) -> point;');
    expect(io.out()).toMatch(
      /package acme:dep@1\.0\.0 \{\n {2}interface types \{\n {4}record point \{/,
    );
  });

  it('refuses a package given both as text and in a binary dependency', async () => {
    const dir = project(true);
    writeFileSync(join(dir, 'wit/deps/acme-dep.wit'), DEP);
    const io = bufferIo({ cwd: dir });
    expect(await main(['wit', 'check', 'wit'], io)).toBe(1);
    expect(io.err()).toContain(
      'package `acme:dep@1.0.0` is defined in two different locations: here and in a binary (.wasm) dependency',
    );
    expect(io.err()).toContain('--> wit/deps/acme-dep.wit:1:9');
  });

  it('names the .wasm file that does not decode', async () => {
    const dir = project(false);
    writeFileSync(join(dir, 'wit/deps/broken.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1]));
    const io = bufferIo({ cwd: dir });
    expect(await main(['wit', 'check', 'wit'], io)).toBe(1);
    expect(io.err()).toContain('error[ERR_WIT_DECODE]: `wit/deps/broken.wasm`: ');
  });
});
