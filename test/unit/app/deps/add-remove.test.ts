/**
 * `addPackages` argument checks: what `wit-deps add` refuses before it reads or writes anything
 * (usage errors, exit code 2), and that the name of `add --path <dir>` is the package's own.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addPackages, type AddOptions } from '../../../../src/app/deps/add-remove.js';
import { tempDir } from '../../../support/temp-project.js';

async function emptyProject(): Promise<AddOptions> {
  const cwd = await tempDir('wit-deps-add-');
  return { cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: join(cwd, '.cache') }, offline: true };
}

describe('addPackages', () => {
  it.each([
    [[], {}, /^name the packages to add$/, /wit-deps add --path <dir>/],
    [['a:b', 'c:d'], { path: 'x' }, /^`--path` adds one package$/, /once for each folder/],
    [['a:b'], { path: 'x', registry: 'r' }, /`--registry` cannot be used/, /drop `--registry`/],
    [['a:b@^1'], { path: 'x' }, /takes no version range$/, /wit-deps add --path x a:b`$/],
    [['a:b'], { path: '' }, /^`--path` is empty$/, /wit-deps add --path <dir>/],
  ] as const)('refuses %j with %j as a usage error', async (specs, extra, message, hint) => {
    const options = await emptyProject();
    const error = await addPackages(specs, { ...options, ...extra }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_USAGE', exitCode: 2 });
    expect((error as Error).message).toMatch(message);
    expect((error as { hint: string }).hint).toMatch(hint);
    expect(await readdir(options.cwd)).toEqual([]);
  });

  it('checks the package name given with --path before reading the folder', async () => {
    const options = await emptyProject();
    const error = await addPackages(['not-a-name'], { ...options, path: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ERR_INVALID_PACKAGE_NAME' });
    expect(await readdir(options.cwd)).toEqual([]);
  });
});
