/**
 * Installs stopped before their commit: Ctrl-C (an aborted `signal`) stops an install that needs
 * no network too (it writes nothing, and a wait for the project lock ends at once), and a
 * `wit/deps` on another file system is refused before a journal that could never be replayed.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { install } from '../../src/app/deps/install.js';
import { acquireProjectMutex } from '../../src/project/project-mutex-io.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

async function project(): Promise<{ cwd: string; env: Record<string, string> }> {
  const cwd = await exampleProject({ prefix: 'wit-deps-interrupt-' });
  const cache = await tempDir('wit-deps-interrupt-cache-');
  return { cwd, env: { HOME: cwd, WIT_DEPS_CACHE_DIR: cache } };
}

describe('an interrupted install', () => {
  it.each(['resolved', 'write'])(
    'commits nothing when aborted at `%s`, with no network to wait on',
    async (at) => {
      const { cwd, env } = await project();
      const controller = new AbortController();
      const pending = install({
        cwd,
        env,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.kind === at) controller.abort(new Error('interrupted'));
        },
      });
      await expect(pending).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
      expect(await readdir(cwd)).not.toContain('wkg.lock');
      expect(await readdir(join(cwd, 'wit'))).toEqual(['world.wit']);
    },
  );

  it('stops waiting for the project lock at once', async () => {
    const { cwd, env } = await project();
    const release = await acquireProjectMutex(cwd);
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = install({ cwd, env, signal: controller.signal, lockWaitMs: 20_000 });
      setTimeout(() => controller.abort(new Error('interrupted')), 200);
      await expect(pending).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await release();
    }
  });
});

const SHM = '/dev/shm';
const otherDisk = existsSync(SHM) && statSync(SHM).dev !== statSync(tmpdir()).dev;

describe('wit/deps on another file system', () => {
  it.skipIf(!otherDisk)(
    'fails before committing (a journal would be stuck on EXDEV) and changes nothing',
    async () => {
      const { cwd, env } = await project();
      const elsewhere = await mkdtemp(join(SHM, 'wit-deps-deps-'));
      await symlink(elsewhere, join(cwd, 'wit', 'deps'));
      await expect(install({ cwd, env })).rejects.toMatchObject({ code: 'ERR_FS' });
      expect(await readdir(cwd)).not.toContain('.wit-deps-journal.json');
      expect(await readdir(cwd)).not.toContain('wkg.lock');
      expect(await readdir(join(cwd, 'wit'))).toEqual(['deps', 'world.wit']);
      expect(await readdir(elsewhere)).toEqual([]);
      await rm(elsewhere, { recursive: true, force: true });
    },
  );
});
