/**
 * Attack class: registry hosts from edited files (wit.toml in a pull request, a shared
 * config.toml). A host that is not a plain `host[:port]` with a port from 1 to 65535
 * (`127.0.0.1:99999` made `new URL` throw: ERR_INTERNAL) is refused where the file is read, with
 * the file's own code (ERR_MANIFEST_INVALID, ERR_CONFIG_INVALID, ERR_INVALID_REFERENCE) and a hint,
 * before any connection is tried.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseManifest } from '../../src/project/manifest.js';
import { parseWasmPkgConfig } from '../../src/registry/config.js';
import { tempProject } from '../support/temp-project.js';

async function projectWith(toml: string): Promise<string> {
  return tempProject({ prefix: 'wit-deps-sec-hosts-', witToml: toml });
}

/** What `fn` throws, as code, message and hint; fails the test when it returns. */
async function failure(fn: () => unknown) {
  let error: { code?: unknown; message?: unknown; hint?: unknown } | undefined;
  try {
    await fn();
  } catch (e) {
    error = e as typeof error;
  }
  if (error === undefined) expect.fail('expected a failure');
  return { code: error.code, message: String(error.message), hint: String(error.hint) };
}

const DEPENDENCY = '[dependencies]\n"x:foo" = "1.0.0"\n\n';

describe('registry hosts in wit.toml', () => {
  it('refuses a port above 65535 in `oci` when wit.toml is read, not with ERR_INTERNAL', async () => {
    const cwd = await projectWith(`${DEPENDENCY}[registries]\nx = { oci = "127.0.0.1:99999" }\n`);
    const error = await failure(() =>
      install({ cwd, env: { HOME: cwd }, cacheDir: join(cwd, 'cache') }),
    );
    expect(error.code).toBe('ERR_MANIFEST_INVALID');
    expect(error.message).toContain('registries.x.oci');
    expect(error.message).toContain('99999');
    expect(error.hint).toContain('1 to 65535');
    const io = bufferIo({ cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: join(cwd, 'cache') } });
    expect(await main(['install'], io)).toBe(1);
    expect(io.err()).toContain('ERR_MANIFEST_INVALID');
    expect(io.err()).not.toContain('ERR_INTERNAL');
  });

  it.each([
    [
      'a registry name with port 0',
      `${DEPENDENCY}[registries]\nx = "127.0.0.1:0"\n`,
      'registries.x',
    ],
    [
      'a dependency registry with port 70000',
      '[dependencies]\n"y:bar" = { version = "1", registry = "localhost:70000" }\n',
      'registry',
    ],
    [
      'an `oci` host with a scheme',
      `${DEPENDENCY}[registries]\nx = { oci = "https://ghcr.io" }\n`,
      'oci',
    ],
    [
      'an `oci` host with a path',
      `${DEPENDENCY}[registries]\nx = { oci = "ghcr.io/org" }\n`,
      'oci',
    ],
  ])('refuses %s', async (_what, toml, key) => {
    const error = await failure(() => parseManifest(toml));
    expect(error.code).toBe('ERR_MANIFEST_INVALID');
    expect(error.message).toContain(key);
    expect(error.message).toContain('is not a valid registry host');
  });

  it('keeps accepting valid hosts', () => {
    const manifest = parseManifest(
      `${DEPENDENCY}[registries]\nx = { oci = "127.0.0.1:65535" }\ny = "[::1]:5000"\nz = "registry.acme.io"\n`,
    );
    expect([...manifest.registries.keys()]).toEqual(['x', 'y', 'z']);
  });
});

describe('registry hosts in config.toml', () => {
  it('refuses a port above 65535 in a namespace registry', async () => {
    const cwd = await projectWith(`${DEPENDENCY}`);
    const config = join(cwd, 'config.toml');
    await writeFile(config, '[namespace_registries]\nx = "127.0.0.1:99999"\n');
    const error = await failure(() =>
      install({ cwd, env: { HOME: cwd, WKG_CONFIG_FILE: config }, cacheDir: join(cwd, 'cache') }),
    );
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.message).toContain('99999');
    expect(error.hint).toContain('1 to 65535');
  });

  it.each([
    ['default_registry', 'default_registry = "127.0.0.1:99999"\n'],
    [
      'inline metadata',
      '[namespace_registries]\nx = { registry = "acme.io", metadata = { oci = { registry = "127.0.0.1:99999" } } }\n',
    ],
  ])('refuses a bad host in %s', async (_what, text) => {
    const error = await failure(() => parseWasmPkgConfig(text));
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.message).toContain('127.0.0.1:99999');
  });
});

describe('registry hosts in OCI references', () => {
  it('refuses a port above 65535 in `wit-deps oci tags`', async () => {
    const io = bufferIo({ env: {} });
    expect(await main(['oci', 'tags', '127.0.0.1:99999/x/y'], io)).not.toBe(0);
    expect(io.err()).toContain('ERR_INVALID_REFERENCE');
    expect(io.err()).toContain('65535');
  });
});
