/**
 * The temp-folder helpers of the tests: tempProject writes what it is given, removeTempDirs
 * removes every folder made, and the run's temp guard gives the run its own TMPDIR and fails
 * the run when something is left in it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import setupGuard from '../../support/temp-guard.js';
import {
  exampleProject,
  removeTempDirs,
  tempDir,
  tempDirSync,
  tempProject,
  WASI_LAYOUT,
  witToml,
} from '../../support/temp-project.js';

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env['WIT_DEPS_TEMP_GUARD'];
});

describe('tempProject', () => {
  it('writes wit.toml, wkg.lock and nested files into a new folder', async () => {
    const dir = await tempProject({
      prefix: 'wit-deps-helper-',
      witToml: 'toml\n',
      lock: 'lock\n',
      files: { 'wit/deps/a/a.wit': 'a\n' },
    });
    expect(dir.startsWith(join(tmpdir(), 'wit-deps-helper-'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['wit', 'wit.toml', 'wkg.lock']);
    expect(readFileSync(join(dir, 'wit/deps/a/a.wit'), 'utf8')).toBe('a\n');
  });

  it('writes into a given folder, creating it', async () => {
    const top = await tempDir();
    const dir = await tempProject({ dir: join(top, 'app'), witToml: 'x' });
    expect(dir).toBe(join(top, 'app'));
    expect(readFileSync(join(dir, 'wit.toml'), 'utf8')).toBe('x');
  });

  it('witToml puts the dependencies and the wasi registry in the usual text', () => {
    expect(witToml('"wasi:io" = "1"', { oci: 'h:1', prefix: 'p/' }, { after: '# end\n' })).toBe(
      '[dependencies]\n"wasi:io" = "1"\n\n[registries]\nwasi = { oci = "h:1", prefix = "p/" }\n# end\n',
    );
    expect(witToml('', { layout: '/l' }, { before: '# top\n' })).toBe(
      '# top\n[dependencies]\n\n\n[registries]\nwasi = { layout = "/l" }\n',
    );
  });

  it('exampleProject points the example at the bundled layouts', async () => {
    const cwd = await exampleProject();
    expect(readFileSync(join(cwd, 'wit.toml'), 'utf8')).toContain(`"${WASI_LAYOUT}"`);
  });
});

describe('removeTempDirs', () => {
  it('removes every folder made so far, with what is in it', async () => {
    const a = await tempProject({ files: { 'deep/er/file': 'x' } });
    const b = tempDirSync();
    await removeTempDirs();
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(false);
  });
});

describe('the temp guard', () => {
  /** Silences the guard's report; returns what it wrote to stderr. */
  const quiet = (): string[] => {
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
    return err;
  };

  it('gives the run its own TMPDIR, and removes it at teardown', () => {
    const outer = tmpdir();
    const teardown = setupGuard();
    const run = tmpdir();
    expect(dirname(run)).toBe(outer);
    expect(run).toMatch(/wit-deps-test-run-/);
    teardown();
    expect(tmpdir()).toBe(outer);
    expect(existsSync(run)).toBe(false);
  });

  it('fails the run naming what was left, and removes it', () => {
    quiet();
    const teardown = setupGuard();
    const run = tmpdir();
    mkdirSync(join(run, 'wit-deps-leak-1'));
    expect(teardown).toThrow(/left 1 entries in the temp folder \(now removed\): wit-deps-leak-1/);
    expect(existsSync(run)).toBe(false);
  });

  it('only warns with WIT_DEPS_TEMP_GUARD=warn', () => {
    const err = quiet();
    process.env['WIT_DEPS_TEMP_GUARD'] = 'warn';
    const teardown = setupGuard();
    mkdirSync(join(tmpdir(), 'wit-deps-leak-2'));
    expect(teardown).not.toThrow();
    expect(err.join('')).toMatch(/left 1 entries .*wit-deps-leak-2/);
  });
});
