/**
 * The hints of `wit check` and `wit print` errors: they point at the place to fix (not back at
 * `wit check`), a missing package suggests `install`/`add`, the snippet lists the known packages
 * once, and `wit print` of a file that is neither `.wasm` nor `.wit` says so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wit-hints-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'wit'));
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

interface ErrorDoc {
  error: { code: string; message: string; hint: string; details: Record<string, unknown> };
}

async function fail(argv: string[], cwd: string): Promise<ErrorDoc['error']> {
  const io = bufferIo({ cwd });
  expect(await main(['--json', ...argv], io)).toBe(1);
  return (JSON.parse(io.out()) as ErrorDoc).error;
}

const BAD = 'package acme:app;\ninterface i {\n  f: func(x: nope);\n}\n';
const USES_IO = 'package acme:app;\nworld w {\n  import wasi:io/streams@0.2.0;\n}\n';

describe('wit check and wit print hints', () => {
  it('point at the place to fix, not back at `wit check`', async () => {
    const cwd = project({ 'wit/app.wit': BAD });
    for (const argv of [
      ['wit', 'check'],
      ['wit', 'print', 'wit'],
    ]) {
      const error = await fail(argv, cwd);
      expect(error.code).toBe('ERR_WIT_RESOLVE');
      expect(error.hint).toBe('fix the WIT source at `wit/app.wit:3:14`');
    }
  });

  it('a missing package suggests install and add', async () => {
    const cwd = project({ 'wit/app.wit': USES_IO });
    for (const argv of [
      ['wit', 'check'],
      ['wit', 'print', 'wit'],
    ]) {
      const error = await fail(argv, cwd);
      expect(error.hint).toContain('`wit-deps install`');
      expect(error.hint).toContain('`wit-deps add wasi:io`');
      expect(error.details['package']).toBe('wasi:io@0.2.0');
    }
  });

  it('lists the known packages once in the human output', async () => {
    const cwd = project({ 'wit/app.wit': USES_IO });
    const io = bufferIo({ cwd });
    expect(await main(['wit', 'check'], io)).toBe(1);
    expect(io.err()).toContain(
      "package 'wasi:io@0.2.0' not found. known packages:\n    acme:app\n",
    );
    expect(io.err().match(/acme:app/g)).toHaveLength(1);
    expect(io.err()).toContain('     --> wit/app.wit:3:10');
  });

  it('wit print of a file that is neither .wasm nor .wit says so', async () => {
    const cwd = project({ 'README.md': '# hello\n' });
    const error = await fail(['wit', 'print', 'README.md'], cwd);
    expect(error.code).toBe('ERR_WIT_DECODE');
    expect(error.message).toBe('`README.md` is not a .wasm or .wit file');
    expect(error.hint).toContain('a `.wit` file or a WIT folder');
  });
});
