/**
 * `wit-deps wit check` and `wit-deps wit build` with no path read the project's WIT folder
 * (`wit`, or `[package] wit` from wit.toml); `build` with no `-o` writes
 * `<ns>-<name>-<version>.wasm` in the working folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { decodeWit } from '../../src/wit/index.js';

const APP = 'package acme:app@1.2.0;\ninterface api {\n  f: func();\n}\n';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(witFolder: string, manifest?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wit-defaults-'));
  dirs.push(dir);
  mkdirSync(join(dir, witFolder), { recursive: true });
  writeFileSync(join(dir, witFolder, 'app.wit'), APP);
  if (manifest !== undefined) writeFileSync(join(dir, 'wit.toml'), manifest);
  return dir;
}

describe('wit check and wit build without a path', () => {
  it('check reads ./wit', async () => {
    const io = bufferIo({ cwd: project('wit') });
    expect(await main(['--json', 'wit', 'check'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ package: 'acme:app@1.2.0', interfaces: ['api'] });
  });

  it('check reads the folder `[package] wit` names', async () => {
    const dir = project('interfaces', '[package]\nname = "acme:app"\nwit = "interfaces"\n');
    const io = bufferIo({ cwd: dir });
    expect(await main(['--json', 'wit', 'check'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ package: 'acme:app@1.2.0' });
  });

  it('check without a WIT folder says so', async () => {
    const dir = project('elsewhere');
    const io = bufferIo({ cwd: dir });
    expect(await main(['--json', 'wit', 'check'], io)).toBe(1);
    const doc = JSON.parse(io.out()) as { error: { code: string; message: string; hint: string } };
    expect(doc.error.code).toBe('ERR_FS');
    expect(doc.error.message).toBe('this project has no WIT folder `wit`');
    expect(doc.error.hint).toContain('[package]');
  });

  it('build writes <ns>-<name>-<version>.wasm from ./wit', async () => {
    const dir = project('wit');
    const io = bufferIo({ cwd: dir });
    expect(await main(['wit', 'build'], io)).toBe(0);
    expect(io.out()).toContain('wrote acme:app@1.2.0 to acme-app-1.2.0.wasm');
    const bytes = new Uint8Array(readFileSync(join(dir, 'acme-app-1.2.0.wasm')));
    const decoded = decodeWit(bytes);
    expect(decoded.resolve.packages.map((p) => p.name.name)).toContain('app');
  });

  it('build -o still writes where it is told', async () => {
    const dir = project('wit');
    const io = bufferIo({ cwd: dir });
    expect(await main(['wit', 'build', '-o', 'x.wasm'], io)).toBe(0);
    expect(existsSync(join(dir, 'x.wasm'))).toBe(true);
    expect(existsSync(join(dir, 'acme-app-1.2.0.wasm'))).toBe(false);
  });
});
