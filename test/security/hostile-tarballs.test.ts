/**
 * Attack class: hostile tarballs behind a `wit/deps.toml` URL (the archive host, or whoever
 * changed the URL in a pull request). An archive may not place anything outside
 * `wit/deps/<id>/` (no absolute paths, no `..`, no symbolic or hard links, no devices), may not
 * exhaust memory or disk (a gzip bomb, too many entries), and must match the digests deps.toml
 * pins. Every refusal leaves the project as it was: no folder, no lock.
 */
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockRustDeps, type RustDepsOptions } from '../../src/app/deps/rust-deps.js';
import type { Transport } from '../../src/oci/http/transport.js';
import type { FaultServer } from '../support/fault-server.js';
import { rawTar, serveFiles, type RawEntry, rustDepsProject } from '../support/tarballs.js';
import { tempDir } from '../support/temp-project.js';

const GOOD = 'package acme:good@0.1.0;\n\ninterface api {\n  ping: func();\n}\n';
const good: RawEntry = { name: 'pkg-main/wit/api.wit', body: GOOD };

const ARCHIVES: Record<string, RawEntry[]> = {
  traversal: [good, { name: 'pkg-main/wit/../../../evil.wit', body: 'owned' }],
  'deps-traversal': [good, { name: 'pkg-main/wit/deps/../../evil/x.wit', body: 'owned' }],
  absolute: [good, { name: '/tmp/evil.wit', body: 'owned' }],
  symlink: [good, { name: 'pkg-main/wit/secret.wit', type: '2', link: '/etc/passwd' }],
  hardlink: [good, { name: 'pkg-main/wit/secret.wit', type: '1', link: '/etc/passwd' }],
  device: [good, { name: 'pkg-main/wit/dev.wit', type: '3' }],
  'link-elsewhere': [good, { name: 'pkg-main/README.md', type: '2', link: '/etc/passwd' }],
};

let server: FaultServer;
const transports: Transport[] = [];

beforeAll(async () => {
  const files: Record<string, Uint8Array> = {};
  for (const [name, entries] of Object.entries(ARCHIVES))
    files[`/${name}.tar.gz`] = gzipSync(rawTar(entries));
  // 32 MiB of zeros inflate from ~32 KiB: far beyond the inflation ratio allowed
  files['/bomb.tar.gz'] = gzipSync(
    rawTar([good, { name: 'pkg-main/wit/big.wit', body: new Uint8Array(32 << 20) }]),
  );
  files['/not-gzip.tar.gz'] = new TextEncoder().encode('<html>not found</html>');
  server = await serveFiles(files);
});

afterAll(async () => {
  for (const t of transports) await t.close();
  await server.stop();
});

function project(depsToml: string): Promise<{ root: string; options: RustDepsOptions }> {
  return rustDepsProject(depsToml, transports, 'wit-deps-tarball-');
}

/** Runs an install of archive `name` that must fail with `code`, writing nothing. */
async function refused(name: string, code: string, message: RegExp): Promise<void> {
  const { root, options } = await project(`pkg = "${server.url}/${name}.tar.gz"\n`);
  await expect(lockRustDeps(options)).rejects.toMatchObject({
    code,
    message: expect.stringMatching(message) as unknown,
  });
  expect(readdirSync(join(root, 'wit'))).toEqual(['deps.toml']);
  expect(existsSync(join(root, 'evil.wit')) || existsSync(join(root, '..', 'evil.wit'))).toBe(
    false,
  );
}

describe('hostile tarballs are refused and nothing is written', () => {
  it.each([
    ['traversal', /climbs out of the archive/],
    ['deps-traversal', /climbs out of the archive/],
    ['absolute', /absolute or unsafe path/],
    ['symlink', /link or a device/],
    ['hardlink', /link or a device/],
    ['device', /link or a device/],
    ['not-gzip', /not a gzipped tarball/],
  ])('%s', async (name, message) => {
    await refused(name, 'ERR_ARCHIVE_UNSAFE', message);
  });

  it('a gzip bomb', async () => {
    await refused('bomb', 'ERR_LIMIT_EXCEEDED', /inflates to more than/);
  });

  it('a download that differs from the sha256 deps.toml pins', async () => {
    const { root, options } = await project(
      `pkg = { url = "${server.url}/link-elsewhere.tar.gz", sha256 = "${'0'.repeat(64)}" }\n`,
    );
    await expect(lockRustDeps(options)).rejects.toMatchObject({ code: 'ERR_INTEGRITY_MISMATCH' });
    expect(readdirSync(join(root, 'wit'))).toEqual(['deps.toml']);
  });

  it('plain http to a host that is not loopback, without a request', async () => {
    const { options } = await project('pkg = "http://example.com/pkg.tar.gz"\n');
    await expect(lockRustDeps(options)).rejects.toMatchObject({ code: 'ERR_REGISTRY_INSECURE' });
  });

  it('a wit/deps that is a symbolic link out of the project', async () => {
    const { root, options } = await project(`pkg = "${server.url}/link-elsewhere.tar.gz"\n`);
    const outside = await tempDir('wit-deps-outside-');
    symlinkSync(outside, join(root, 'wit', 'deps'));
    await expect(lockRustDeps(options)).rejects.toMatchObject({ code: 'ERR_FS' });
    expect(readdirSync(outside)).toEqual([]);
  });
});

it('a link outside the selected WIT files is skipped, not unpacked', async () => {
  const { root, options } = await project(`pkg = "${server.url}/link-elsewhere.tar.gz"\n`);
  await lockRustDeps(options);
  expect(readdirSync(join(root, 'wit', 'deps', 'pkg'))).toEqual(['api.wit']);
});

it('a path entry whose .wit file is a symbolic link out of its folder is refused, not copied', async () => {
  const { root, options } = await project('mine = { path = "../mine" }\n');
  mkdirSync(join(root, 'mine'));
  writeFileSync(join(root, 'secret'), 'ghp_s3cr3t');
  writeFileSync(join(root, 'mine', 'api.wit'), GOOD);
  symlinkSync(join(root, 'secret'), join(root, 'mine', 'leak.wit'));
  await expect(lockRustDeps(options)).rejects.toMatchObject({ code: 'ERR_FS' });
  expect(readdirSync(join(root, 'wit'))).toEqual(['deps.toml']);
});
