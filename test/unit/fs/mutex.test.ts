import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { acquireMutex, type MutexSubject } from '../../../src/fs/mutex.js';
import { parseLockRecord } from '../../../src/fs/process-identity.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wit-deps-mutex-'));
  dirs.push(dir);
  return dir;
}

const subject: MutexSubject = {
  what: 'the test mutex',
  createHint: 'make the folder writable',
  busy: () => new WitDepsError('ERR_CACHE', 'the test mutex is busy'),
};

describe('acquireMutex', () => {
  it('holds any file as a mutex: a second taker gets the caller’s busy error until release', async () => {
    const path = join(await tmp(), 'some.lock');
    const release = await acquireMutex(path, subject, { waitMs: 0 });
    expect(parseLockRecord(await readFile(path, 'utf8'))?.pid).toBe(process.pid);
    await expect(acquireMutex(path, subject, { waitMs: 0 })).rejects.toMatchObject({
      code: 'ERR_CACHE',
      message: 'the test mutex is busy',
    });
    await release();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await (
      await acquireMutex(path, subject, { waitMs: 0 })
    )();
  });

  it('names the mutex and the caller’s hint when its file cannot be created', async () => {
    const path = join(await tmp(), 'missing', 'some.lock');
    await expect(acquireMutex(path, subject, { waitMs: 0 })).rejects.toMatchObject({
      code: 'ERR_FS',
      message: `the test mutex \`${path}\` could not be created`,
      hint: 'make the folder writable',
    });
  });
});
