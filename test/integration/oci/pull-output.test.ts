/**
 * Where `oci pull` writes: `-o -` streams the verified layer to stdout (the summary then goes to
 * stderr; with `--json` it is a usage error), and `-o <dir>` writes the default name into that
 * folder, never replacing a file there without `--force`. Read from an OCI layout, no network.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { buildWasiLayout } from '../../support/wasi-layout.js';

const HTTP = new Uint8Array(
  readFileSync(new URL('../../../fixtures/pm/wasi-binaries/wasi-http-0.2.3.wasm', import.meta.url)),
);
let root: string;
let ref: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wit-deps-pull-out-'));
  await buildWasiLayout(join(root, 'oci'));
  ref = `oci-layout:${join(root, 'oci', 'wasi', 'http')}:0.2.3`;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function workDir(): string {
  const dir = mkdtempSync(join(root, 'cwd-'));
  return dir;
}

describe('oci pull -o', () => {
  it('- writes the layer bytes to stdout and the summary to stderr', async () => {
    const cwd = workDir();
    const io = bufferIo({ cwd });
    expect(await main(['oci', 'pull', ref, '-o', '-'], io)).toBe(0);
    expect(io.outBytes()).toEqual(HTTP);
    expect(io.err()).toMatch(/^pulled \d+ bytes, layer sha256:[0-9a-f]{64}\n$/);
  });

  it('- with --json is a usage error', async () => {
    const io = bufferIo({ cwd: workDir() });
    expect(await main(['--json', 'oci', 'pull', ref, '-o', '-'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'ERR_USAGE' } });
  });

  it('<dir> writes the default name into the folder, and replaces a file there only with --force', async () => {
    const cwd = workDir();
    mkdirSync(join(cwd, 'deps'));
    const io = bufferIo({ cwd });
    expect(await main(['--json', 'oci', 'pull', ref, '-o', 'deps'], io)).toBe(0);
    const path = join(cwd, 'deps', 'http.wasm');
    expect(JSON.parse(io.out())).toMatchObject({ path });
    expect(new Uint8Array(readFileSync(path))).toEqual(HTTP);

    writeFileSync(path, 'mine');
    const again = bufferIo({ cwd });
    expect(await main(['--json', 'oci', 'pull', ref, '-o', 'deps/'], again)).toBe(1);
    expect(JSON.parse(again.out())).toMatchObject({ error: { code: 'ERR_FS' } });
    expect(readFileSync(path, 'utf8')).toBe('mine');

    const forced = bufferIo({ cwd });
    expect(await main(['oci', 'pull', ref, '-o', 'deps', '--force'], forced)).toBe(0);
    expect(new Uint8Array(readFileSync(path))).toEqual(HTTP);
  });

  it('<dir>/ that does not exist yet is a folder too', async () => {
    const cwd = workDir();
    const io = bufferIo({ cwd });
    expect(await main(['--json', 'oci', 'pull', ref, '-o', 'new/'], io)).toBe(0);
    expect(new Uint8Array(readFileSync(join(cwd, 'new', 'http.wasm')))).toEqual(HTTP);
  });
});
