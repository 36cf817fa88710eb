/**
 * `wit-deps wit print` end to end through `main()`: stdout text, `--all`, `--out-dir` files and the
 * errors for malformed input, components and missing files.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { bufferIo } from '../../src/cli/io.js';
import { CORPUS } from '../support/wit-corpus.js';

const HTTP_DIR = join(CORPUS, 'real-packages/wasi-http-0.2.0');
const HTTP_WASM = join(HTTP_DIR, 'wasi-http-0.2.0.wasm');
const HTTP_UNPACK = join(HTTP_DIR, 'wasi-http-0.2.0.unpack');

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'wit-print-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('wit print', () => {
  it('prints the main package of a binary WIT package', async () => {
    const io = bufferIo({ cwd: HTTP_DIR });
    expect(await main(['wit', 'print', 'wasi-http-0.2.0.wasm'], io)).toBe(0);
    expect(io.out()).toBe(await readFile(join(HTTP_UNPACK, 'package.wit'), 'utf8'));
    expect(io.err()).toBe('');
  });

  it('prints every package nested under --all', async () => {
    const io = bufferIo({ cwd: work });
    expect(await main(['wit', 'print', '--all', HTTP_WASM], io)).toBe(0);
    const main0 = await readFile(join(HTTP_UNPACK, 'package.wit'), 'utf8');
    const out = io.out();
    expect(out.startsWith(main0)).toBe(true);
    const nested = out.slice(main0.length);
    expect(nested.match(/^package wasi:[a-z]+@0\.2\.0 \{$/gm)).toHaveLength(3);
    expect(nested).toContain(
      'package wasi:io@0.2.0 {\n  interface poll {\n    resource pollable {',
    );
    expect(nested).toMatch(/\n}\n\n\npackage /);
    expect(nested.endsWith('  }\n}\n')).toBe(true);
  });

  it('writes one package.wit per package under --out-dir', async () => {
    const io = bufferIo({ cwd: work });
    expect(await main(['--json', 'wit', 'print', HTTP_WASM, '--out-dir', 'deps'], io)).toBe(0);
    const doc = JSON.parse(io.out()) as {
      package: string;
      files: { package: string; path: string }[];
    };
    expect(doc.package).toBe('wasi:http@0.2.0');
    const dirs = (await readdir(join(work, 'deps'))).sort();
    expect(dirs).toEqual([
      'wasi-cli-0.2.0',
      'wasi-clocks-0.2.0',
      'wasi-http-0.2.0',
      'wasi-io-0.2.0',
    ]);
    for (const dir of dirs) {
      expect(await readdir(join(work, 'deps', dir))).toEqual(['package.wit']);
    }
    expect(await readFile(join(work, 'deps/wasi-http-0.2.0/package.wit'), 'utf8')).toBe(
      await readFile(join(HTTP_UNPACK, 'package.wit'), 'utf8'),
    );
    expect(await readFile(join(work, 'deps/wasi-io-0.2.0/package.wit'), 'utf8')).toBe(
      await readFile(join(HTTP_UNPACK, 'deps/wasi-io-0.2.0/package.wit'), 'utf8'),
    );
    expect(doc.files.map((f) => f.package)[0]).toBe('wasi:http@0.2.0');
  });

  it('fails with ERR_WIT_DECODE, the offset and the expectation on a truncated file', async () => {
    const bytes = await readFile(HTTP_WASM);
    await writeFile(join(work, 'cut.wasm'), bytes.subarray(0, 100));
    const io = bufferIo({ cwd: work });
    expect(await main(['wit', 'print', 'cut.wasm'], io)).toBe(1);
    expect(io.err()).toMatch(/^error\[ERR_WIT_DECODE\]: .*expected .* at byte \d+\n/);
    const json = bufferIo({ cwd: work });
    expect(await main(['--json', 'wit', 'print', 'cut.wasm'], json)).toBe(1);
    const doc = JSON.parse(json.out()) as { error: { code: string; details: { offset: number } } };
    expect(doc.error.code).toBe('ERR_WIT_DECODE');
    expect(doc.error.details.offset).toBeGreaterThan(8);
  });

  it('refuses a core module and a bad magic number differently', async () => {
    await writeFile(join(work, 'core.wasm'), Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await writeFile(join(work, 'text.wasm'), 'package a:b;\n');
    const io = bufferIo({ cwd: work });
    expect(await main(['wit', 'print', 'core.wasm'], io)).toBe(1);
    expect(io.err()).toContain('error[ERR_WIT_NOT_A_PACKAGE]');
    const io2 = bufferIo({ cwd: work });
    expect(await main(['wit', 'print', 'text.wasm'], io2)).toBe(1);
    expect(io2.err()).toContain(
      'error[ERR_WIT_DECODE]: bad magic number, expected `\\0asm` at byte 0',
    );
  });

  it('reports a missing file as ERR_FS', async () => {
    const io = bufferIo({ cwd: work });
    expect(await main(['wit', 'print', 'nope.wasm'], io)).toBe(1);
    expect(io.err()).toContain('error[ERR_FS]');
    expect(io.err()).toContain('does not exist');
  });
});
