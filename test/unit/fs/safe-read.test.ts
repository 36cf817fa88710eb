import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readRegularFile, readRegularText } from '../../../src/fs/safe-read.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wit-deps-safe-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function caught(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('readRegularFile', () => {
  it('reads a regular file inside its root', async () => {
    await writeFile(join(dir, 'a.wit'), 'package a:b;\n');
    await expect(readRegularText(join(dir, 'a.wit'), { limit: 100, root: dir })).resolves.toBe(
      'package a:b;\n',
    );
  });

  it('refuses a FIFO at once instead of blocking on it', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.wit')]);
    const err = await caught(readRegularFile(join(dir, 'pipe.wit'), { limit: 100 }));
    expect(err).toMatchObject({ code: 'ERR_FS' });
    expect(err.message).toContain('not a regular file');
  });

  it('refuses a symlink to a device', async () => {
    await symlink('/dev/zero', join(dir, 'zero.wit'));
    await expect(readRegularFile(join(dir, 'zero.wit'), { limit: 100 })).rejects.toMatchObject({
      code: 'ERR_FS',
    });
  });

  it('stops at the size cap', async () => {
    await writeFile(join(dir, 'big.wit'), 'x'.repeat(101));
    await expect(readRegularFile(join(dir, 'big.wit'), { limit: 100 })).rejects.toMatchObject({
      code: 'ERR_LIMIT_EXCEEDED',
    });
  });

  it('refuses a symlink that leads out of its root, before reading it', async () => {
    const root = join(dir, 'pkg');
    await mkdir(root);
    await writeFile(join(dir, 'secret'), 'https://user:token@example.com\n');
    await symlink(join(dir, 'secret'), join(root, 'creds.wit'));
    const err = await caught(readRegularText(join(root, 'creds.wit'), { limit: 100, root }));
    expect(err).toMatchObject({ code: 'ERR_FS' });
    expect(err.message).toContain('outside');
    expect(String(err)).not.toContain('token');
  });

  it('follows a symlink that stays inside its root', async () => {
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'sub', 'real.wit'), 'ok');
    await symlink(join(dir, 'sub', 'real.wit'), join(dir, 'link.wit'));
    await expect(readRegularText(join(dir, 'link.wit'), { limit: 10, root: dir })).resolves.toBe(
      'ok',
    );
  });
});
