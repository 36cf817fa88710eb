/**
 * Attack class: a committed vendor folder is untrusted input. `wit-deps vendor` writes and
 * removes only inside the project's vendor folder: a `vendor/oci/<ns>` (or `vendor/oci`) that is
 * a symlink out of the project is refused before anything is written there (ERR_FS), and a
 * folder without an `oci-layout` file, or a symlinked one, is never removed as a stale layout.
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendor } from '../../src/app/deps/vendor.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

describe('vendor confinement', () => {
  it('refuses a namespace folder that is a symlink out of the vendor folder', async () => {
    const cwd = await exampleProject();
    const outside = await tempDir('wit-deps-sec-vendor-outside-');
    await mkdir(join(cwd, 'vendor', 'oci'), { recursive: true });
    await symlink(outside, join(cwd, 'vendor', 'oci', 'wasi'));
    const cacheDir = await tempDir('wit-deps-sec-vendor-cache-');
    await expect(vendor({ cwd, env: { HOME: cwd }, cacheDir })).rejects.toMatchObject({
      code: 'ERR_FS',
    });
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a vendor folder that is a symlink out of the project', async () => {
    const cwd = await exampleProject();
    const outside = await tempDir('wit-deps-sec-vendor-outside-');
    await mkdir(join(cwd, 'vendor'));
    await symlink(outside, join(cwd, 'vendor', 'oci'));
    const cacheDir = await tempDir('wit-deps-sec-vendor-cache-');
    await expect(vendor({ cwd, env: { HOME: cwd }, cacheDir })).rejects.toMatchObject({
      code: 'ERR_FS',
    });
    expect(await readdir(outside)).toEqual([]);
  });

  it('removes only stale folders that are OCI layouts', async () => {
    const cwd = await exampleProject();
    const cacheDir = await tempDir('wit-deps-sec-vendor-cache-');
    const mine = join(cwd, 'vendor', 'oci', 'acme', 'notes');
    await mkdir(mine, { recursive: true });
    await writeFile(join(mine, 'README'), 'not a layout');
    const stale = join(cwd, 'vendor', 'oci', 'acme', 'old');
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    const outside = await tempDir('wit-deps-sec-vendor-outside-');
    await writeFile(join(outside, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await symlink(outside, join(cwd, 'vendor', 'oci', 'acme', 'linked'));
    const result = await vendor({ cwd, env: { HOME: cwd }, cacheDir });
    expect(result.removed).toEqual(['acme:old']);
    expect((await readdir(join(cwd, 'vendor', 'oci', 'acme'))).sort()).toEqual(['linked', 'notes']);
    expect(await readdir(outside)).toEqual(['oci-layout']);
  });
});
