/** `wit-deps wit check` and `wit-deps wit build` end to end on real files. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FIXTURES } from '../support/wit-fixtures.js';
import { withoutProducers } from '../support/wasm-sections.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'wit-text-'));
}

describe('wit check', () => {
  it('reports the package of a valid folder with deps/', async () => {
    const dir = tempDir();
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
    const dir = tempDir();
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
    const dir = tempDir();
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
