/**
 * Attack class: writes and deletes outside the project's `wit/deps` (DESIGN.md, threat model). A
 * project's own folders are untrusted (a pull request can commit a symbolic link): `wit/deps`, the
 * WIT folder or a `wit/deps/<folder>` that links to another project, or `[package] wit` pointing
 * out of the project, must not make install write or delete there. A file, a link or a read-only
 * `wit/deps` where the install must write fails before the journal, so later commands still work.
 * A crafted `.wit-deps.json` marker makes its folder the user's, never wit-deps' to replace.
 */
import { execFileSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { tree } from '../../src/app/deps/tree.js';
import { MARKER_FILE, parseMarker, serializeMarker } from '../../src/project/deps-layout.js';
import { JOURNAL_FILE } from '../../src/project/install-journal.js';
import { snapshot } from '../support/project-snapshot.js';
import { tempDir, tempProject, witToml } from '../support/temp-project.js';

const LAYOUT = join(import.meta.dirname, '../../fixtures/wasi-oci');

/** A project in `dir` depending on `deps` (from the bundled WASI layouts, no network). */
async function project(dir: string, deps: string, extra = ''): Promise<string> {
  return tempProject({ dir, witToml: witToml(deps, { layout: LAYOUT }, { before: extra }) });
}

/** Runs an install of `cwd` with its own home and a shared cache folder. */
async function run(cwd: string, cache: string) {
  return install({ cwd, env: { HOME: cwd }, cacheDir: cache });
}

/** Two projects side by side: a victim with installed, managed folders, and an attacker. */
async function victimAndAttacker(): Promise<{ outer: string; victim: string; cache: string }> {
  const outer = await tempDir('wit-deps-sec-confine-');
  const cache = join(outer, 'cache');
  const victim = await project(join(outer, 'victim'), '"wasi:random" = "=0.2.0"');
  await run(victim, cache);
  expect(await readdir(join(victim, 'wit', 'deps'))).toEqual(['wasi-random-0.2.0']);
  return { outer, victim, cache };
}

describe('wit/deps and the WIT folder stay inside the project', () => {
  it('refuses a wit/deps that links to another project, and changes nothing there', async () => {
    const { outer, victim, cache } = await victimAndAttacker();
    const before = await snapshot(victim);
    const attacker = await project(join(outer, 'attacker'), '"wasi:io" = "=0.2.0"');
    await mkdir(join(attacker, 'wit'));
    await symlink(join(victim, 'wit', 'deps'), join(attacker, 'wit', 'deps'));
    const failure = run(attacker, cache);
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_FS',
      message: expect.stringContaining('outside the project') as unknown,
      hint: expect.stringContaining('wit-deps install') as unknown,
    });
    expect(await snapshot(victim)).toEqual(before);
    expect(await readdir(join(outer, 'victim', 'wit'))).toEqual(['deps']);
  });

  it('refuses a WIT folder that links to another project', async () => {
    const { outer, victim, cache } = await victimAndAttacker();
    const before = await snapshot(victim);
    const attacker = await project(join(outer, 'attacker'), '"wasi:io" = "=0.2.0"');
    await symlink(join(victim, 'wit'), join(attacker, 'wit'));
    await expect(run(attacker, cache)).rejects.toMatchObject({ code: 'ERR_FS' });
    await expect(tree({ cwd: attacker, env: { HOME: attacker } })).rejects.toMatchObject({
      code: 'ERR_FS',
    });
    expect(await snapshot(victim)).toEqual(before);
    expect((await readdir(join(victim, 'wit'))).sort()).toEqual(['deps']);
  });

  it.each([
    ['a relative path out of the project', '../victim/wit'],
    ['a path that leaves it half-way', 'wit/../../victim/wit'],
    ['an absolute path', '<victim>/wit'],
  ])('refuses `[package] wit` set to %s (ERR_MANIFEST_INVALID)', async (_what, wit) => {
    const { outer, victim, cache } = await victimAndAttacker();
    const before = await snapshot(victim);
    const value = wit.replace('<victim>', victim);
    const extra = `[package]\nwit = ${JSON.stringify(value)}\n\n`;
    const attacker = await project(join(outer, 'attacker'), '"wasi:io" = "=0.2.0"', extra);
    await expect(run(attacker, cache)).rejects.toMatchObject({
      code: 'ERR_MANIFEST_INVALID',
      details: { key: 'package.wit' },
      hint: expect.stringContaining('wit = "wit"') as unknown,
    });
    expect(await snapshot(victim)).toEqual(before);
    expect(await readdir(attacker)).toEqual(['wit.toml']);
  });

  it('still accepts a WIT folder that links inside the project', async () => {
    const root = await project(await tempDir('wit-deps-sec-inside-'), '"wasi:io" = "=0.2.0"');
    await mkdir(join(root, 'interfaces'));
    await symlink(join(root, 'interfaces'), join(root, 'wit'));
    await run(root, join(root, '.cache'));
    expect(await readdir(join(root, 'interfaces', 'deps'))).toEqual(['wasi-io-0.2.0']);
  });
});

describe('an entry where install must write', () => {
  it('never replaces (or follows) a symbolic link at a wanted folder name', async () => {
    const { outer, victim, cache } = await victimAndAttacker();
    const before = await snapshot(victim);
    const attacker = await project(join(outer, 'attacker'), '"wasi:random" = "=0.2.0"');
    await mkdir(join(attacker, 'wit', 'deps'), { recursive: true });
    const link = join(attacker, 'wit', 'deps', 'wasi-random-0.2.0');
    const target = join(victim, 'wit', 'deps', 'wasi-random-0.2.0');
    await symlink(target, link);
    await expect(run(attacker, cache)).rejects.toMatchObject({
      code: 'ERR_FS',
      details: { kind: 'deps-entry-not-folder', path: link, entry: 'symlink' },
      hint: expect.stringContaining('delete the link') as unknown,
    });
    expect(await readlink(link)).toBe(target);
    expect(await snapshot(victim)).toEqual(before);
    expect(await readdir(attacker)).not.toContain(JOURNAL_FILE);
  });

  it('fails before the journal on a file at a wanted folder name; later commands work', async () => {
    const root = await project(await tempDir('wit-deps-sec-file-'), '"wasi:io" = "=0.2.0"');
    const cache = join(root, '.cache');
    const file = join(root, 'wit', 'deps', 'wasi-io-0.2.0');
    await mkdir(join(root, 'wit', 'deps'), { recursive: true });
    await writeFile(file, 'not a folder\n');
    await expect(run(root, cache)).rejects.toMatchObject({
      code: 'ERR_FS',
      details: { kind: 'deps-entry-not-folder', path: file, entry: 'file' },
      hint: expect.stringContaining('move') as unknown,
    });
    expect(await readdir(root)).not.toContain(JOURNAL_FILE);
    expect((await readdir(join(root, 'wit'))).sort()).toEqual(['deps']);
    expect(await readFile(file, 'utf8')).toBe('not a folder\n');
    const shown = await tree({ cwd: root, env: { HOME: root }, cacheDir: cache });
    expect(shown.roots.map((r) => r.id)).toEqual(['wasi:io@0.2.0']);
    await rm(file);
    await run(root, cache);
    expect((await lstat(join(root, 'wit', 'deps', 'wasi-io-0.2.0'))).isDirectory()).toBe(true);
  });

  it('fails before the journal when wit/deps is read-only; later commands work', async (ctx) => {
    const root = await project(await tempDir('wit-deps-sec-ro-'), '"wasi:io" = "=0.2.0"');
    const cache = join(root, '.cache');
    const deps = join(root, 'wit', 'deps');
    await mkdir(deps, { recursive: true });
    const undo = await makeReadOnly(deps);
    if (undo === undefined) return ctx.skip();
    try {
      await expect(run(root, cache)).rejects.toMatchObject({
        code: 'ERR_FS',
        message: expect.stringContaining('not writable') as unknown,
        details: { path: deps },
      });
      expect(await readdir(root)).not.toContain(JOURNAL_FILE);
      expect((await readdir(join(root, 'wit'))).sort()).toEqual(['deps']);
    } finally {
      await undo();
    }
    await run(root, cache);
    expect(await readdir(deps)).toEqual(['wasi-io-0.2.0']);
  });
});

/**
 * Makes `dir` read-only for this process: `chmod` when not root; as root (who writes anywhere),
 * a read-only bind mount. Returns the undo, or undefined when neither works here.
 */
async function makeReadOnly(dir: string): Promise<(() => Promise<void>) | undefined> {
  if (process.getuid?.() !== 0) {
    await chmod(dir, 0o555);
    return () => chmod(dir, 0o755);
  }
  try {
    execFileSync('mount', ['--bind', dir, dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const umount = (): Promise<void> => {
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return Promise.resolve();
  };
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'ignore' });
  } catch {
    await umount();
    return undefined;
  }
  return umount;
}

describe('a crafted .wit-deps.json marker', () => {
  const marker = {
    id: 'wasi:io@0.2.0',
    digest: `sha256:${'a'.repeat(64)}`,
    files: { 'package.wit': `sha256:${'b'.repeat(64)}` },
  };

  it.each([
    ['an id that is a path', { ...marker, id: '../../../../tmp/x@0.2.0' }],
    ['an id with a version that is not SemVer', { ...marker, id: 'wasi:io@0.2.0/../../x' }],
    ['an id with an invalid name', { ...marker, id: 'wasi:IO_x@0.2.0' }],
    ['a digest that is not sha256', { ...marker, digest: '../../x' }],
    ['a file name with a control character', { ...marker, files: { 'a\nb.wit': 'x' } }],
  ])('is not a marker when it has %s', (_what, crafted) => {
    expect(parseMarker(serializeMarker(crafted))).toBeUndefined();
  });

  it('makes its folder the user’s: install neither replaces nor removes it', async () => {
    const root = await project(await tempDir('wit-deps-sec-marker-'), '"wasi:io" = "=0.2.0"');
    const deps = join(root, 'wit', 'deps');
    const crafted = { ...marker, id: '../../../../tmp/x@0.2.0' };
    for (const folder of ['wasi-io-0.2.0', 'stale-1.0.0']) {
      await mkdir(join(deps, folder), { recursive: true });
      await writeFile(join(deps, folder, 'package.wit'), 'the user’s\n');
      await writeFile(join(deps, folder, MARKER_FILE), serializeMarker(crafted));
    }
    const before = await snapshot(deps);
    const result = await run(root, join(root, '.cache'));
    expect(result.packages).toMatchObject([{ id: 'wasi:io@0.2.0', status: 'blocked' }]);
    expect(result.removed).toEqual([]);
    expect(await snapshot(deps)).toEqual(before);
  });
});
