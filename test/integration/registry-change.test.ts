/**
 * A package whose registry changed in wit.toml since wkg.lock was written: the locked digest
 * differs from what the new place serves, and the error says the registry changed (naming the
 * one in the lock and the new one) instead of "the tag was re-published".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { buildWasiLayout } from '../support/wasi-layout.js';

const FAKE = `sha256:${'ab'.repeat(32)}`;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function lock(registry: string | undefined): string {
  return [
    'version = 1',
    '',
    '[[packages]]',
    'name = "wasi:io"',
    ...(registry === undefined ? [] : [`registry = "${registry}"`]),
    '',
    '[[packages.versions]]',
    'requirement = "^0.2.0"',
    'version = "0.2.0"',
    `digest = "${FAKE}"`,
    '',
  ].join('\n');
}

async function project(lockRegistry: string | undefined): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'wit-deps-regchange-'));
  dirs.push(cwd);
  await buildWasiLayout(join(cwd, 'oci'));
  writeFileSync(
    join(cwd, 'wit.toml'),
    '[dependencies]\n"wasi:io" = "0.2.0"\n\n[registries]\nwasi = { layout = "oci" }\n',
  );
  writeFileSync(join(cwd, 'wkg.lock'), lock(lockRegistry));
  return cwd;
}

interface ErrorDoc {
  error: { code: string; message: string; hint: string; details: Record<string, unknown> };
}

describe('a registry change in wit.toml with a lock from the old registry', () => {
  it('names the registry in the lock and the layout wit.toml now maps to', async () => {
    const cwd = await project('wasi.dev');
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: join(cwd, 'cache') } });
    expect(await main(['--json', 'install'], io)).toBe(1);
    const { error } = JSON.parse(io.out()) as ErrorDoc;
    expect(error.code).toBe('ERR_INTEGRITY_MISMATCH');
    expect(error.message).toMatch(
      /^`wasi:io@0\.2\.0`: wkg\.lock records it from registry `wasi\.dev`, but wit\.toml \(or config\.toml\) now maps it to layout `[^`]+oci\/wasi\/io`/,
    );
    expect(error.hint).toContain('registry changed');
    expect(error.hint).toContain('`wit-deps update wasi:io`');
    expect(error.hint).not.toContain('re-published');
    expect(error.details).toMatchObject({ lockedRegistry: 'wasi.dev', registry: null });
  });
});
