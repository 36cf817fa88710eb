/**
 * Attack class: a planted install journal that names project files (`files`, written by
 * `update --wit`). A journal committed in a pull request may only name `wit.toml` or a `.wit`
 * file directly in the WIT folder; anything else (a path out of the project, a `.git` hook, a
 * file in `wit/deps`, the lock) is `ERR_INSTALL_JOURNAL` before anything is written, and `tree`,
 * which replays journals, writes nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tree } from '../../src/app/deps/tree.js';
import {
  JOURNAL_FILE,
  isJournalFilePath,
  parseJournal,
  serializeJournal,
} from '../../src/project/install-journal.js';
import { snapshot } from '../support/project-snapshot.js';
import { tempProject } from '../support/temp-project.js';

const LAYOUT = join(import.meta.dirname, '../../fixtures/wasi-oci');

describe('journal files', () => {
  it('accepts only wit.toml and .wit files directly in the WIT folder', () => {
    expect(isJournalFilePath('wit.toml', 'wit/deps')).toBe(true);
    expect(isJournalFilePath('wit/world.wit', 'wit/deps')).toBe(true);
    expect(isJournalFilePath('src/wit/world.wit', 'src/wit/deps')).toBe(true);
    for (const bad of [
      '../outside.wit',
      'wit/../../outside.wit',
      '/etc/x.wit',
      'wit/deps/x/package.wit',
      'wit/.hidden.wit',
      '.git/hooks/pre-commit',
      'wkg.lock',
      'wit/world.txt',
      'other/world.wit',
      'wit\\..\\x.wit',
    ])
      expect(isJournalFilePath(bad, 'wit/deps'), bad).toBe(false);
  });

  it('a planted journal naming a file outside the WIT folder is refused and nothing is written', async () => {
    const root = await tempProject({
      prefix: 'wit-deps-sec-jfiles-',
      witToml: `[dependencies]\n\n[registries]\nwasi = { layout = "${LAYOUT}" }\n`,
      files: { 'wit/world.wit': 'package acme:app@0.1.0;\nworld app {}\n' },
    });
    const journal = {
      version: 1,
      depsDir: 'wit/deps',
      stage: '.wit-deps-stage-1-ab',
      write: [],
      remove: [],
      lock: null,
      files: [
        { path: 'wit/world.wit', text: 'changed\n' },
        { path: '../escaped.wit', text: 'evil\n' },
      ],
    };
    await writeFile(join(root, JOURNAL_FILE), JSON.stringify(journal));
    const before = await snapshot(root);
    await expect(tree({ cwd: root, env: { HOME: root } })).rejects.toMatchObject({
      code: 'ERR_INSTALL_JOURNAL',
    });
    expect(await snapshot(root)).toEqual(before);
    expect(await readFile(join(root, 'wit/world.wit'), 'utf8')).toContain('world app {}');
  });

  it('round-trips the files of a journal update --wit writes', () => {
    const journal = {
      depsDir: 'wit/deps',
      stage: '.wit-deps-stage-1-ab',
      write: [],
      remove: [],
      lock: null,
      files: [{ path: 'wit/world.wit', text: '\uFEFFpackage a:b;\r\n' }],
    };
    expect(parseJournal(serializeJournal(journal))).toEqual(journal);
  });
});
