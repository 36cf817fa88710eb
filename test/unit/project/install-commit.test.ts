/**
 * Committing an install under a journal, killed at every step (a checkpoint that throws stands in
 * for the process dying: the commit has no cleanup on failure, exactly as after `kill -9`), then
 * recovered: the project is always the old state or the new one, never a mix, and recovery leaves
 * no journal, staging folder or temporary file. Recovery itself is killed at every step too.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WitDepsError } from '../../../src/errors.js';
import { writeFolderFiles } from '../../../src/project/deps-io.js';
import {
  commitInstall,
  createStage,
  journalOf,
  replayJournal,
  stageDepsFolder,
  type Checkpoint,
} from '../../../src/project/install-commit-io.js';
import {
  JOURNAL_FILE,
  parseJournal,
  serializeJournal,
} from '../../../src/project/install-journal.js';
import {
  hasInterruptedInstall,
  readJournal,
  recoverInstall,
  settleInterruptedInstall,
} from '../../../src/project/install-recovery-io.js';
import { PROJECT_MUTEX_FILE, acquireProjectMutex } from '../../../src/project/project-mutex-io.js';
import { tempDir } from '../../support/temp-project.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const STEPS = ['staged', 'journal', 'aside a', 'in a', 'in c', 'remove b', 'lock', 'done'];

class Killed extends Error {}

/** Every file under `dir` (relative path -> text). */
async function tree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(out, await tree(dir, rel));
    else out[rel] = await readFile(join(dir, rel), 'utf8');
  }
  return out;
}

async function pkg(deps: string, folder: string, text: string, digest = D1): Promise<void> {
  await writeFolderFiles(
    join(deps, folder),
    { 'package.wit': text },
    { id: `test:${folder}@1.0.0`, digest },
  );
}

/** Old state: `a` (replaced), `b` (removed), `k` (kept), `u` (the user's), old lock. */
async function oldProject(): Promise<{ root: string; deps: string }> {
  const root = await tempDir('wit-deps-commit-');
  const deps = join(root, 'wit', 'deps');
  await pkg(deps, 'a', 'old a\n');
  await pkg(deps, 'b', 'old b\n');
  await pkg(deps, 'k', 'kept k\n');
  await mkdir(join(deps, 'u'));
  await writeFile(join(deps, 'u', 'x.wit'), 'the user\n');
  await writeFile(join(root, 'wkg.lock'), 'old lock\n');
  await writeFile(join(root, 'wit', 'world.wit'), 'own wit\n');
  return { root, deps };
}

let expected: { old: Record<string, string>; new: Record<string, string> } | undefined;

/** The old and new trees, computed once by an uninterrupted commit. */
async function states(): Promise<{ old: Record<string, string>; new: Record<string, string> }> {
  if (expected !== undefined) return expected;
  const { root } = await oldProject();
  const old = await tree(root);
  await commit(root, undefined);
  expected = { old, new: await tree(root) };
  return expected;
}

/** Stages `a` (new digest) and `c`, then commits; the checkpoint may throw. */
async function commit(root: string, checkpoint: Checkpoint | undefined): Promise<void> {
  const stage = await createStage(join(root, 'wit', 'deps'));
  await stageDepsFolder(
    stage,
    'a',
    { 'package.wit': 'new a\n' },
    { id: 'test:a@1.0.0', digest: D2 },
  );
  await stageDepsFolder(
    stage,
    'c',
    { 'package.wit': 'new c\n' },
    { id: 'test:c@1.0.0', digest: D2 },
  );
  const journal = journalOf(root, stage, { write: ['a', 'c'], remove: ['b'], lock: 'new lock\n' });
  await commitInstall(root, journal, checkpoint);
}

function killAt(n: number, seen: string[] = []): Checkpoint {
  return (step) => {
    seen.push(step);
    return seen.length === n ? Promise.reject(new Killed(step)) : Promise.resolve();
  };
}

describe('committing an install', () => {
  it('moves staged folders in, stale ones out, writes the lock, and leaves nothing else', async () => {
    const { old, new: after } = await states();
    const unchanged = Object.entries(old).filter(
      ([k]) => !k.startsWith('wit/deps/b/') && !k.startsWith('wit/deps/a/') && k !== 'wkg.lock',
    );
    expect(Object.keys(after).sort()).toEqual(
      [
        ...unchanged.map(([k]) => k),
        'wit/deps/a/package.wit',
        'wit/deps/a/.wit-deps.json',
        'wit/deps/c/package.wit',
        'wit/deps/c/.wit-deps.json',
        'wkg.lock',
      ].sort(),
    );
    for (const [k, v] of unchanged) expect(after[k]).toBe(v);
    expect(after['wit/deps/a/package.wit']).toBe('new a\n');
    expect(after['wit/deps/c/package.wit']).toBe('new c\n');
    expect(after['wit/deps/a/.wit-deps.json']).toContain(D2);
    expect(after['wkg.lock']).toBe('new lock\n');
    expect(after['wit/deps/u/x.wit']).toBe('the user\n');
  });

  it('names its steps in order', async () => {
    const { root } = await oldProject();
    const seen: string[] = [];
    await commit(root, killAt(0, seen));
    expect(seen).toEqual(STEPS);
  });

  it.each(STEPS.map((step, i) => [i + 1, step] as const))(
    'killed after step %i (%s): old before the journal, new after recovery',
    async (n, step) => {
      const { old, new: after } = await states();
      const { root, deps } = await oldProject();
      await expect(commit(root, killAt(n))).rejects.toThrow(Killed);
      const pending = (await readJournal(root)) !== undefined;
      expect(pending).toBe(step !== 'staged' && step !== 'done');
      expect(await hasInterruptedInstall(root, deps)).toBe(true);
      if (!pending) {
        const visible = await tree(root);
        for (const k of Object.keys(visible)) if (k.includes('.wit-deps-stage-')) delete visible[k];
        expect(visible).toEqual(step === 'staged' ? old : after);
      }
      expect(await recoverInstall(root, deps)).toBe(pending);
      expect(await tree(root)).toEqual(step === 'staged' ? old : after);
      expect(await hasInterruptedInstall(root, deps)).toBe(false);
    },
  );

  it('finishes when recovery itself is killed at any step, any number of times', async () => {
    const { new: after } = await states();
    for (let n = 2; n <= 7; n++)
      for (let m = 1; m <= 6; m++) {
        const { root, deps } = await oldProject();
        await expect(commit(root, killAt(n))).rejects.toThrow(Killed);
        const journal = (await readJournal(root))!;
        await replayJournal(root, journal, killAt(m)).catch((e: unknown) => {
          if (!(e instanceof Killed)) throw e;
        });
        await recoverInstall(root, deps);
        expect(await tree(root), `kill at ${n}, then at ${m}`).toEqual(after);
      }
  });

  it('refuses to move a folder the user made meanwhile, and leaves it alone', async () => {
    const { root, deps } = await oldProject();
    await expect(commit(root, killAt(2))).rejects.toThrow(Killed);
    await mkdir(join(deps, 'c'));
    await writeFile(join(deps, 'c', 'mine.wit'), 'mine\n');
    await expect(recoverInstall(root, deps)).rejects.toMatchObject({
      code: 'ERR_INSTALL_JOURNAL',
    });
    expect(await readFile(join(deps, 'c', 'mine.wit'), 'utf8')).toBe('mine\n');
    expect(await readJournal(root)).toBeDefined();
  });

  it('refuses a journal that names another wit/deps, and touches nothing there', async () => {
    const outer = await tempDir('wit-deps-outer-');
    const root = join(outer, 'project');
    const elsewhere = join(outer, 'elsewhere', 'deps');
    await pkg(elsewhere, 'victim', 'not this project\n');
    await mkdir(join(root, 'wit', 'deps'), { recursive: true });
    const journal = {
      depsDir: '../elsewhere/deps',
      stage: '.wit-deps-stage-1-ab',
      write: [],
      remove: ['victim'],
      lock: null,
    };
    await writeFile(join(root, JOURNAL_FILE), serializeJournal(journal));
    await expect(recoverInstall(root, join(root, 'wit', 'deps'))).rejects.toMatchObject({
      code: 'ERR_INSTALL_JOURNAL',
    });
    expect(await readFile(join(elsewhere, 'victim', 'package.wit'), 'utf8')).toBe(
      'not this project\n',
    );
    expect(await readdir(join(outer, 'elsewhere'))).toEqual(['deps']);
  });
});

describe('settling a project', () => {
  it('does nothing (and takes no lock) when no install was interrupted', async () => {
    const { root, deps } = await oldProject();
    expect(await settleInterruptedInstall(root, deps)).toBe(false);
    expect(await readdir(root)).not.toContain(PROJECT_MUTEX_FILE);
  });

  it('replays a pending journal under the project lock and releases it', async () => {
    const { root, deps } = await oldProject();
    await expect(commit(root, killAt(4))).rejects.toThrow(Killed);
    expect(await settleInterruptedInstall(root, deps)).toBe(true);
    expect(await tree(root)).toEqual((await states()).new);
  });

  it('stops waiting for the project lock when interrupted', async () => {
    const { root, deps } = await oldProject();
    await expect(commit(root, killAt(1))).rejects.toThrow(Killed);
    const release = await acquireProjectMutex(root);
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('interrupted')), 100);
      const started = Date.now();
      await expect(
        settleInterruptedInstall(root, deps, { lockWaitMs: 20_000, signal: controller.signal }),
      ).rejects.toMatchObject({ code: 'ERR_INTERRUPTED' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await release();
    }
  });

  it('sweeps a staging folder and temporary lock files left before the journal', async () => {
    const { root, deps } = await oldProject();
    await expect(commit(root, killAt(1))).rejects.toThrow(Killed);
    await writeFile(join(root, '.wkg.lock.tmp-123-abcd'), 'half');
    await writeFile(join(root, '.wit.toml.tmp-123-abcd'), 'half'); // add killed mid-write
    expect(await settleInterruptedInstall(root, deps)).toBe(false);
    expect(await tree(root)).toEqual((await states()).old);
  });
});

describe('the journal format', () => {
  const journal = {
    depsDir: 'wit/deps',
    stage: '.wit-deps-stage-1-ab',
    write: ['wasi-io-0.2.0'],
    remove: ['wasi-io-0.1.0'],
    lock: null,
  };

  it('round-trips', () => {
    expect(parseJournal(serializeJournal(journal))).toEqual(journal);
    expect(serializeJournal(journal)).toMatch(/^\{\n {2}"version": 1,/);
  });

  it.each([
    ['not json', 'nope'],
    ['a path as a folder', serializeJournal({ ...journal, write: ['../escape'] })],
    ['a hidden folder', serializeJournal({ ...journal, remove: ['.git'] })],
    ['another stage name', serializeJournal({ ...journal, stage: 'elsewhere' })],
    ['an absolute deps folder', serializeJournal({ ...journal, depsDir: '/etc' })],
    ['an unknown version', serializeJournal(journal).replace('"version": 1', '"version": 9')],
  ])('rejects %s with ERR_INSTALL_JOURNAL and a hint', (_what, text) => {
    let error: WitDepsError | undefined;
    try {
      parseJournal(text);
    } catch (e) {
      error = e as WitDepsError;
    }
    expect(error?.code).toBe('ERR_INSTALL_JOURNAL');
    expect(error?.message.startsWith(`${JOURNAL_FILE} is not a valid journal: `)).toBe(true);
    expect(error?.hint).toContain('wit-deps install');
  });
});
