import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  listDepsFolders,
  readMarker,
  sha256Text,
  writeFolderFiles,
} from '../../../src/project/deps-io.js';
import { readLockFile, writeLockFile } from '../../../src/project/lock-file-io.js';
import { acquireProjectMutex, PROJECT_MUTEX_FILE } from '../../../src/project/project-mutex-io.js';
import { buildLock, emptyLock } from '../../../src/resolve/lock.js';
import { tempDir } from '../../support/temp-project.js';

const tmp = () => tempDir('wit-deps-proj-');
const D = `sha256:${'a'.repeat(64)}`;

describe('wit/deps folders', () => {
  it('writes a folder with its marker and lists markers', async () => {
    const deps = join(await tmp(), 'wit', 'deps');
    await writeFolderFiles(
      join(deps, 'wasi-io-0.2.0'),
      { 'package.wit': 'package wasi:io@0.2.0;\n' },
      { id: 'wasi:io@0.2.0', digest: D },
    );
    await mkdir(join(deps, 'mine'));
    await writeFile(join(deps, 'mine', 'x.wit'), 'package my:x;\n');
    expect(await readFile(join(deps, 'wasi-io-0.2.0', 'package.wit'), 'utf8')).toBe(
      'package wasi:io@0.2.0;\n',
    );
    expect(await readMarker(join(deps, 'wasi-io-0.2.0'))).toEqual({
      id: 'wasi:io@0.2.0',
      digest: D,
      files: { 'package.wit': sha256Text('package wasi:io@0.2.0;\n') },
    });
    expect(await listDepsFolders(deps)).toEqual([
      { folder: 'mine', marker: undefined },
      { folder: 'wasi-io-0.2.0', marker: { id: 'wasi:io@0.2.0', digest: D } },
    ]);
  });

  it('lists nothing when wit/deps does not exist', async () => {
    expect(await listDepsFolders(join(await tmp(), 'nope'))).toEqual([]);
  });
});

describe('wkg.lock file', () => {
  it('reads a missing lock as empty and writes only when bytes change', async () => {
    const root = await tmp();
    const first = await readLockFile(root);
    expect(first).toEqual({ lock: emptyLock(), text: undefined });
    const lock = buildLock(emptyLock(), [
      { name: 'wasi:io', registry: 'wasi.dev', requirement: '=0.2.0', version: '0.2.0', digest: D },
    ]);
    expect(await writeLockFile(root, lock, first.text)).toBe(true);
    const again = await readLockFile(root);
    const before = (await stat(join(root, 'wkg.lock'))).mtimeMs;
    expect(await writeLockFile(root, again.lock, again.text)).toBe(false);
    expect((await stat(join(root, 'wkg.lock'))).mtimeMs).toBe(before);
  });
});

describe('project lock', () => {
  it('makes a second holder wait, then fail clearly', async () => {
    const root = await tmp();
    const release = await acquireProjectMutex(root);
    let waited = false;
    await expect(
      acquireProjectMutex(root, { waitMs: 250, onWait: () => (waited = true) }),
    ).rejects.toMatchObject({
      code: 'ERR_PROJECT_LOCKED',
    });
    expect(waited).toBe(true);
    const pending = acquireProjectMutex(root, { waitMs: 5_000 });
    setTimeout(() => void release(), 150);
    const second = await pending;
    await second();
    await expect(stat(join(root, PROJECT_MUTEX_FILE))).rejects.toThrow();
  });

  it('takes over a lock left by a killed process', async () => {
    const root = await tmp();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    const pid = child.pid!;
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    await writeFile(join(root, PROJECT_MUTEX_FILE), `${pid}\n`);
    const release = await acquireProjectMutex(root, { waitMs: 0 });
    // the pid comes first (what older versions read), then the owner's identity
    const [first] = (await readFile(join(root, PROJECT_MUTEX_FILE), 'utf8')).split('\n');
    expect(first).toBe(String(process.pid));
    await release();
  });

  it('takes over a stale lock despite an abandoned empty takeover guard', async () => {
    const root = await tmp();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    const pid = child.pid!;
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    await writeFile(join(root, PROJECT_MUTEX_FILE), `${pid}\n`);
    const guard = join(root, `${PROJECT_MUTEX_FILE}.takeover`);
    await writeFile(guard, ''); // its holder died before writing its pid
    const long = new Date(Date.now() - 60_000);
    await utimes(guard, long, long);
    const release = await acquireProjectMutex(root, { waitMs: 1_000 });
    await release();
  });

  it('takes over an empty lock whose writer died before writing its pid', async () => {
    const root = await tmp();
    const lock = join(root, PROJECT_MUTEX_FILE);
    await writeFile(lock, '');
    // fresh: maybe being written right now, so it is waited for
    await expect(acquireProjectMutex(root, { waitMs: 0 })).rejects.toMatchObject({
      code: 'ERR_PROJECT_LOCKED',
    });
    const long = new Date(Date.now() - 60_000);
    await utimes(lock, long, long);
    const release = await acquireProjectMutex(root, { waitMs: 0 });
    await release();
  });

  it('lets exactly one of several processes take over a stale lock', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    const pid = child.pid!;
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    for (let round = 0; round < 20; round++) {
      const root = await tmp();
      await writeFile(join(root, PROJECT_MUTEX_FILE), `${pid}\n`);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, () => acquireProjectMutex(root, { waitMs: 0 })),
      );
      const holders = outcomes.filter((o) => o.status === 'fulfilled');
      expect(holders.length, `round ${round}`).toBe(1);
      for (const o of outcomes)
        if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'ERR_PROJECT_LOCKED' });
    }
  });
});
