/**
 * The confinement helpers: the real path of a path that does not exist yet (through its nearest
 * existing ancestor), a dangling link refused, and the inside/outside check with its error.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertConfined, entryKind, realpathOfFuture } from '../../../src/fs/confine.js';

const temps: string[] = [];

afterEach(async () => {
  for (const t of temps.splice(0)) await rm(t, { recursive: true, force: true });
});

async function tmp(): Promise<string> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'wit-deps-confine-')));
  temps.push(dir);
  return dir;
}

describe('confinement helpers', () => {
  it('resolves a path that does not exist yet through its nearest existing ancestor', async () => {
    const dir = await tmp();
    await mkdir(join(dir, 'real'));
    await symlink(join(dir, 'real'), join(dir, 'link'));
    expect(await realpathOfFuture(join(dir, 'link', 'a', 'b'))).toBe(join(dir, 'real', 'a', 'b'));
  });

  it('refuses a dangling link on the way (ERR_FS)', async () => {
    const dir = await tmp();
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    await expect(realpathOfFuture(join(dir, 'dangling', 'x'))).rejects.toMatchObject({
      code: 'ERR_FS',
      details: { path: join(dir, 'dangling') },
    });
  });

  it('accepts a path inside the root and refuses one that links out', async () => {
    const dir = await tmp();
    await mkdir(join(dir, 'root'));
    await mkdir(join(dir, 'other'));
    await symlink(join(dir, 'other'), join(dir, 'root', 'out'));
    const root = join(dir, 'root');
    expect(await assertConfined(join(root, 'a'), root, { what: 'x' })).toBe(join(root, 'a'));
    await expect(assertConfined(join(root, 'out', 'a'), root, { what: 'x' })).rejects.toMatchObject(
      { code: 'ERR_FS', details: { resolved: join(dir, 'other', 'a') } },
    );
  });

  it('names entry kinds without following a final link', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'f'), '');
    await symlink(join(dir, 'f'), join(dir, 'l'));
    expect(await entryKind(join(dir, 'f'))).toBe('file');
    expect(await entryKind(join(dir, 'l'))).toBe('symlink');
    expect(await entryKind(dir)).toBe('directory');
    expect(await entryKind(join(dir, 'none'))).toBe('missing');
  });
});
