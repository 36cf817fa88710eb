/**
 * Attack class: a planted install journal. Every wit-deps command that reads a project, even the
 * read-only `tree`, replays a `.wit-deps-journal.json` it finds; a journal (and staging folders)
 * committed in a pull request must not make that replay move a folder out of the project, move
 * one in from elsewhere, or go through a symbolic link. A bad journal is `ERR_INSTALL_JOURNAL`
 * with a hint, and nothing is moved.
 */
import { lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tree } from '../../src/app/deps/tree.js';
import { writeFolderFiles } from '../../src/project/deps-io.js';
import {
  JOURNAL_FILE,
  serializeJournal,
  type InstallJournal,
} from '../../src/project/install-journal.js';
import { snapshot } from '../support/project-snapshot.js';
import { tempDir } from '../support/temp-project.js';

const LAYOUT = join(import.meta.dirname, '../../fixtures/wasi-oci');
const STAGE = '.wit-deps-stage-1-ab';
const DIGEST = `sha256:${'1'.repeat(64)}`;

/** A managed folder, as an install writes it. */
async function managed(dir: string, id: string, text: string): Promise<void> {
  await writeFolderFiles(dir, { 'package.wit': text }, { id, digest: DIGEST });
}

/**
 * A project (`<outer>/project`, one managed folder `wasi-io-0.2.0`) next to a folder outside it
 * (`<outer>/outside`, holding `new/evil-1.0.0`), with `journal` planted in the project.
 */
async function planted(journal: Partial<InstallJournal>) {
  const outer = await tempDir('wit-deps-sec-journal-');
  const root = join(outer, 'project');
  const deps = join(root, 'wit', 'deps');
  const outside = join(outer, 'outside');
  await managed(join(deps, 'wasi-io-0.2.0'), 'wasi:io@0.2.0', 'package wasi:io@0.2.0;\n');
  await managed(join(outside, 'new', 'evil-1.0.0'), 'evil:x@1.0.0', 'from outside\n');
  await mkdir(join(outside, 'old'));
  const toml = `[dependencies]\n"wasi:io" = "=0.2.0"\n\n[registries]\nwasi = { layout = "${LAYOUT}" }\n`;
  await writeFile(join(root, 'wit.toml'), toml);
  const full: InstallJournal = {
    depsDir: 'wit/deps',
    stage: STAGE,
    write: ['evil-1.0.0'],
    remove: ['wasi-io-0.2.0'],
    lock: null,
    ...journal,
  };
  await writeFile(join(root, JOURNAL_FILE), serializeJournal(full));
  return { outer, root, deps, outside };
}

/** Runs the read-only `tree` and expects a refused journal. */
async function expectRefused(root: string): Promise<void> {
  await expect(tree({ cwd: root, env: { HOME: root } })).rejects.toMatchObject({
    code: 'ERR_INSTALL_JOURNAL',
    hint: expect.stringContaining(`delete \`${JOURNAL_FILE}\``) as unknown,
  });
}

describe('replaying a planted journal', () => {
  it('never follows a staging folder that links out of the project (`tree`)', async () => {
    const { root, deps, outside } = await planted({});
    await symlink(outside, join(root, 'wit', STAGE));
    const [before, beforeDeps] = [await snapshot(outside), await snapshot(deps)];
    await expectRefused(root);
    expect(await snapshot(outside)).toEqual(before);
    expect(await snapshot(deps)).toEqual(beforeDeps);
    expect(await readlink(join(root, 'wit', STAGE))).toBe(outside);
  });

  it('never moves a folder out through a staging `old/` that is a link', async () => {
    const { root, deps, outside } = await planted({ write: [] });
    await mkdir(join(root, 'wit', STAGE));
    await symlink(join(outside, 'old'), join(root, 'wit', STAGE, 'old'));
    const beforeDeps = await snapshot(deps);
    await expectRefused(root);
    expect(await readdir(join(outside, 'old'))).toEqual([]);
    expect(await snapshot(deps)).toEqual(beforeDeps);
  });

  it('never moves a folder in through a staging `new/` that is a link', async () => {
    const { root, deps, outside } = await planted({ remove: [] });
    await mkdir(join(root, 'wit', STAGE));
    await symlink(join(outside, 'new'), join(root, 'wit', STAGE, 'new'));
    await expectRefused(root);
    expect(await readdir(join(outside, 'new'))).toEqual(['evil-1.0.0']);
    expect(await readdir(deps)).toEqual(['wasi-io-0.2.0']);
  });

  it('never moves a staged entry that is a link to a folder elsewhere', async () => {
    const { root, deps, outside } = await planted({ remove: [] });
    await mkdir(join(root, 'wit', STAGE, 'new'), { recursive: true });
    const link = join(root, 'wit', STAGE, 'new', 'evil-1.0.0');
    await symlink(join(outside, 'new', 'evil-1.0.0'), link);
    await expectRefused(root);
    expect(await readdir(deps)).toEqual(['wasi-io-0.2.0']);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('never removes a wit/deps entry that is a link (nor what it points to)', async () => {
    const { root, deps, outside } = await planted({ write: [], remove: ['evil-1.0.0'] });
    const link = join(deps, 'evil-1.0.0');
    await symlink(join(outside, 'new', 'evil-1.0.0'), link);
    await mkdir(join(root, 'wit', STAGE, 'old'), { recursive: true });
    const before = await snapshot(outside);
    await expectRefused(root);
    expect(await readlink(link)).toBe(join(outside, 'new', 'evil-1.0.0'));
    expect(await snapshot(outside)).toEqual(before);
  });

  it('refuses folder names that wit-deps never makes, and moves nothing', async () => {
    const odd = 'wasi io\n0.2.0';
    const { root, deps } = await planted({ write: [], remove: [odd] });
    await managed(join(deps, odd), 'wasi:io@0.2.0', 'kept\n');
    await expect(tree({ cwd: root, env: { HOME: root } })).rejects.toMatchObject({
      code: 'ERR_INSTALL_JOURNAL',
      hint: expect.stringContaining(`delete \`${JOURNAL_FILE}\``) as unknown,
    });
    expect(await readFile(join(deps, odd, 'package.wit'), 'utf8')).toBe('kept\n');
    expect(await readdir(root)).toContain(JOURNAL_FILE);
  });
});
