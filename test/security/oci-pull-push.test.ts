/**
 * Attack class: `oci pull` and `oci push` damaging what they should not, against the real
 * registry (anonymous), through the CLI's `main()`.
 *
 * - pull: the layer title chose the file name and an existing file was replaced, so an artifact
 *   titled `wit.toml` overwrote the project's manifest. Now only a plain file name is used, and
 *   nothing existing is replaced without `--force` (not even with `-o`, not through a symlink).
 * - push: a file that is not the package the reference names (`wasi:http@0.2.0` under
 *   `wasi/http:0.3.0` or `acme/other`), a file that is neither WIT package nor component, and a
 *   push that moves an existing tag to other content are refused unless `--force`.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { OciClients, pushWitPackage } from '../../src/oci/index.js';
import { sha256Digest } from '../../src/oci/digest.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { wasiFixtures } from '../support/wasi-publish.js';
import { tempDirSync } from '../support/temp-project.js';

const HTTP = readFileSync(new URL('../../fixtures/oci/wasi-http-0.2.0.wasm', import.meta.url));
const COMPONENT = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
const CORE_MODULE = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const MANIFEST = '[dependencies]\n"wasi:http" = "0.2.0"\n';

let reg: RunningRegistry;

beforeAll(async () => {
  reg = await startRegistry();
});
afterAll(async () => {
  await reg?.stop();
});

const tempDir = (): string => tempDirSync('wit-deps-sec-oci-');

interface Run {
  code: number;
  doc: { error?: { code: string; hint?: string }; path?: string; layerDigest?: string };
}

async function cli(args: string[], cwd: string): Promise<Run> {
  const io = bufferIo({ cwd, env: { WIT_DEPS_RETRIES: '0' } });
  const code = await main(['--json', ...args], io);
  return { code, doc: JSON.parse(io.out() || '{}') as Run['doc'] };
}

/** Publishes `bytes` under `repository:tag` with the layer title `title`. */
async function publish(repository: string, tag: string, title: string, bytes: Uint8Array) {
  const clients = new OciClients({});
  try {
    await pushWitPackage(clients.registry(reg.host), repository, tag, { layer: bytes, title });
  } finally {
    await clients.close();
  }
}

describe('oci pull', () => {
  it('does not let a layer titled wit.toml replace the project manifest', async () => {
    await publish('evil/manifest', '1.0.0', 'wit.toml', HTTP);
    const cwd = tempDir();
    writeFileSync(join(cwd, 'wit.toml'), MANIFEST);
    const pull = await cli(['oci', 'pull', `${reg.host}/evil/manifest:1.0.0`], cwd);
    expect(pull.code).toBe(1);
    expect(pull.doc.error?.code).toBe('ERR_FS');
    expect(pull.doc.error?.hint).toContain('--force');
    expect(readFileSync(join(cwd, 'wit.toml'), 'utf8')).toBe(MANIFEST);
    expect(readdirSync(cwd)).toEqual(['wit.toml']); // no temporary file left
  });

  it('uses a title only when it is a plain file name', async () => {
    const titles = [
      '../x.wasm',
      'a/b.wasm',
      'a\\b.wasm',
      '.bashrc',
      '..',
      'con.wasm',
      'NUL',
      'y'.repeat(300),
    ];
    for (const [i, title] of titles.entries()) {
      await publish(`evil/title${i}`, '1.0.0', title, HTTP);
      const parent = tempDir();
      const cwd = join(parent, 'work');
      mkdirSync(cwd);
      const pull = await cli(['oci', 'pull', `${reg.host}/evil/title${i}:1.0.0`], cwd);
      expect({ title, code: pull.code, path: pull.doc.path }).toEqual({
        title,
        code: 0,
        path: join(cwd, `title${i}.wasm`),
      });
      expect(readdirSync(parent)).toEqual(['work']);
      expect(readdirSync(cwd)).toEqual([`title${i}.wasm`]);
    }
  });

  it('replaces an existing file only with --force, also with -o, never through a symlink', async () => {
    await publish('wasi/http', '0.2.0', 'http.wasm', HTTP);
    const cwd = tempDir();
    writeFileSync(join(cwd, 'wkg.lock'), 'lock');
    const outside = join(tempDir(), 'outside.txt');
    writeFileSync(outside, 'keep');
    symlinkSync(outside, join(cwd, 'link.wasm'));
    const ref = `${reg.host}/wasi/http:0.2.0`;
    for (const target of ['wkg.lock', 'link.wasm']) {
      const refused = await cli(['oci', 'pull', ref, '-o', target], cwd);
      expect([target, refused.doc.error?.code]).toEqual([target, 'ERR_FS']);
    }
    expect(readFileSync(join(cwd, 'wkg.lock'), 'utf8')).toBe('lock');
    expect(readFileSync(outside, 'utf8')).toBe('keep');
    expect((await cli(['oci', 'pull', ref, '-o', 'wkg.lock', '--force'], cwd)).code).toBe(0);
    expect(readFileSync(join(cwd, 'wkg.lock')).equals(HTTP)).toBe(true);
    expect((await cli(['oci', 'pull', ref, '-o', 'link.wasm', '--force'], cwd)).code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('keep'); // the link was replaced, not followed
    expect(readdirSync(cwd).sort()).toEqual(['link.wasm', 'wkg.lock']);
  });
});

describe('oci push', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = tempDir();
    writeFileSync(join(cwd, 'http.wasm'), HTTP);
    writeFileSync(join(cwd, 'component.wasm'), COMPONENT);
    writeFileSync(join(cwd, 'module.wasm'), CORE_MODULE);
    writeFileSync(join(cwd, 'notes.txt'), 'not wasm at all');
    const io = wasiFixtures().find((f) => f.name === 'wasi:io' && f.version === '0.2.0');
    writeFileSync(join(cwd, 'io.wasm'), io!.bytes);
  });

  it('refuses a WIT package under another name or version, unless --force', async () => {
    for (const ref of [
      'wasi/http:0.3.0',
      'wasi/http:v0.2.1',
      'acme/other:0.2.0',
      'http:0.2.0',
      'wasi/io:0.2.0',
    ]) {
      const push = await cli(['oci', 'push', `${reg.host}/mm/${ref}`, 'http.wasm'], cwd);
      expect([ref, push.doc.error?.code]).toEqual([ref, 'ERR_ARTIFACT_MISMATCH']);
      expect(push.doc.error?.hint).toContain('--force');
    }
    const tags = await cli(['oci', 'tags', `${reg.host}/mm/wasi/http`], cwd);
    expect(tags.doc.error?.code).toBe('ERR_REGISTRY_NOT_FOUND'); // nothing was pushed
    for (const ref of [
      'wasi/http:0.2.0',
      'webassembly/wasi/http:0.2.0',
      'wasi/http:latest',
      'wasi/http:v0.2.0',
    ])
      expect((await cli(['oci', 'push', `${reg.host}/ok/${ref}`, 'http.wasm'], cwd)).code).toBe(0);
    const forced = await cli(
      ['oci', 'push', `${reg.host}/mm/wasi/http:0.3.0`, 'http.wasm', '--force'],
      cwd,
    );
    expect(forced.code).toBe(0);
  });

  it('refuses a file that is neither a WIT package nor a component, unless --force', async () => {
    for (const file of ['module.wasm', 'notes.txt']) {
      const push = await cli(['oci', 'push', `${reg.host}/inv/x:1.0.0`, file], cwd);
      expect([file, push.doc.error?.code]).toEqual([file, 'ERR_ARTIFACT_INVALID']);
      expect(push.doc.error?.hint).toContain('--force');
    }
    expect(
      (await cli(['oci', 'push', `${reg.host}/inv/x:1.0.0`, 'component.wasm'], cwd)).code,
    ).toBe(0);
    expect(
      (await cli(['oci', 'push', `${reg.host}/inv/y:1.0.0`, 'module.wasm', '--force'], cwd)).code,
    ).toBe(0);
  });

  it('does not move an existing tag to other content, unless --force', async () => {
    const ref = `${reg.host}/tag/wasi/http:0.2.0`;
    expect((await cli(['oci', 'push', ref, 'io.wasm', '--force'], cwd)).code).toBe(0);
    for (const file of ['http.wasm', 'component.wasm']) {
      const push = await cli(['oci', 'push', ref, file], cwd);
      expect([file, push.doc.error?.code]).toEqual([file, 'ERR_TAG_EXISTS']);
      expect(push.doc.error?.hint).toContain('--force');
    }
    const moved = await cli(['oci', 'push', ref, 'http.wasm', '--force'], cwd);
    expect(moved.doc.layerDigest).toBe(sha256Digest(HTTP));
    // the same content again is not a move
    expect((await cli(['oci', 'push', ref, 'http.wasm'], cwd)).code).toBe(0);
    const out = join(cwd, 'pulled.wasm');
    expect((await cli(['oci', 'pull', ref, '-o', out], cwd)).code).toBe(0);
    expect(readFileSync(out).equals(HTTP)).toBe(true);
  });
});
