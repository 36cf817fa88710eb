import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { testHookCheckpoint } from '../../../../src/app/deps/test-hook.js';
import { tempDir } from '../../../support/temp-project.js';

describe('the install test hook', () => {
  it.each([
    ['no variable', {}],
    ['only the step', { WIT_DEPS_TEST_HOOK_PAUSE_AT: '2' }],
    ['only the file', { WIT_DEPS_TEST_HOOK_PAUSED_FILE: '/tmp/x' }],
    ['step 0', { WIT_DEPS_TEST_HOOK_PAUSE_AT: '0', WIT_DEPS_TEST_HOOK_PAUSED_FILE: '/tmp/x' }],
    ['a word', { WIT_DEPS_TEST_HOOK_PAUSE_AT: 'yes', WIT_DEPS_TEST_HOOK_PAUSED_FILE: '/tmp/x' }],
    ['a relative file', { WIT_DEPS_TEST_HOOK_PAUSE_AT: '1', WIT_DEPS_TEST_HOOK_PAUSED_FILE: 'x' }],
  ])('is off with %s', (_what, env) => {
    expect(testHookCheckpoint(env)).toBeUndefined();
  });

  it.each([
    ['in a missing folder', (dir: string) => join(dir, 'missing', 'paused')],
    ['that already exists', (dir: string) => join(dir, 'existing')],
  ])(
    'never fails a commit nor overwrites a file: a paused file %s means no pause',
    async (_what, at) => {
      const dir = await tempDir('wit-deps-hook-');
      await writeFile(join(dir, 'existing'), 'keep\n');
      const file = at(dir);
      const checkpoint = testHookCheckpoint({
        WIT_DEPS_TEST_HOOK_PAUSE_AT: '1',
        WIT_DEPS_TEST_HOOK_PAUSED_FILE: file,
      })!;
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      try {
        await expect(checkpoint('staged')).resolves.toBeUndefined();
        expect(vi.getTimerCount()).toBe(0);
      } finally {
        vi.useRealTimers();
      }
      expect(await readFile(join(dir, 'existing'), 'utf8')).toBe('keep\n');
    },
  );

  it('passes the other steps and writes the file when it reaches its step', async () => {
    const file = join(await tempDir('wit-deps-hook-'), 'paused');
    const checkpoint = testHookCheckpoint({
      WIT_DEPS_TEST_HOOK_PAUSE_AT: '2',
      WIT_DEPS_TEST_HOOK_PAUSED_FILE: file,
    })!;
    await checkpoint('staged');
    await expect(readFile(file, 'utf8')).rejects.toThrow();
    vi.useFakeTimers({ toFake: ['setTimeout'] }); // the pause is a timer: never let it run
    try {
      void checkpoint('journal'); // pauses here (the e2e test kills the process)
      let text = '';
      for (let i = 0; i < 1000 && text === ''; i++) {
        await new Promise((r) => setImmediate(r));
        text = await readFile(file, 'utf8').catch(() => '');
      }
      expect(text).toBe('2 journal\n');
      expect(vi.getTimerCount()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
