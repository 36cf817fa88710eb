/**
 * Read-only commands (`tree`, `verify`, `outdated`) on a project they cannot write: the project
 * lock cannot be created there (EROFS is simulated; tests often run as root, who may write
 * anywhere). Leftovers without a journal are harmless and ignored; a pending journal is reported
 * as `ERR_INSTALL_JOURNAL` saying what to do, never as an internal error.
 */
import type * as FsPromises from 'node:fs/promises';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { JOURNAL_FILE, serializeJournal } from '../../../src/project/install-journal.js';
import { settleInterruptedInstall } from '../../../src/project/install-recovery-io.js';
import { PROJECT_MUTEX_FILE, acquireProjectMutex } from '../../../src/project/project-mutex-io.js';
import { tempDir } from '../../support/temp-project.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  const open = (path: string, ...rest: unknown[]): ReturnType<typeof fs.open> => {
    if (String(path).endsWith(PROJECT_MUTEX_FILE))
      return Promise.reject(Object.assign(new Error('EROFS: read-only'), { code: 'EROFS' }));
    return (fs.open as (...args: unknown[]) => ReturnType<typeof fs.open>)(path, ...rest);
  };
  return { ...fs, open, default: { ...fs, open } };
});

async function project(): Promise<{ root: string; deps: string }> {
  const root = await tempDir('wit-deps-ro-');
  const deps = join(root, 'wit', 'deps');
  await mkdir(join(root, 'wit', '.wit-deps-stage-1-ab', 'new'), { recursive: true });
  await mkdir(deps, { recursive: true });
  return { root, deps };
}

describe('settling a project that cannot be written', () => {
  it('ignores leftovers without a journal (the project is in its old state)', async () => {
    const { root, deps } = await project();
    expect(await settleInterruptedInstall(root, deps)).toBe(false);
    expect(await readdir(join(root, 'wit'))).toContain('.wit-deps-stage-1-ab');
  });

  it('reports a pending journal as ERR_INSTALL_JOURNAL with a hint', async () => {
    const { root, deps } = await project();
    const journal = {
      depsDir: 'wit/deps',
      stage: '.wit-deps-stage-1-ab',
      write: [],
      remove: [],
      lock: 'new\n',
    };
    await writeFile(join(root, JOURNAL_FILE), serializeJournal(journal));
    await expect(settleInterruptedInstall(root, deps)).rejects.toMatchObject({
      code: 'ERR_INSTALL_JOURNAL',
      message: expect.stringContaining('not writable') as unknown,
      hint: expect.stringContaining('wit-deps install') as unknown,
    });
  });

  it('an install there fails with ERR_FS naming the lock, not an internal error', async () => {
    const { root } = await project();
    await expect(acquireProjectMutex(root, { waitMs: 0 })).rejects.toMatchObject({
      code: 'ERR_FS',
      message: expect.stringContaining(PROJECT_MUTEX_FILE) as unknown,
    });
  });
});
