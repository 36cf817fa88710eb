/**
 * The API docs: docs/api-reference.md is what the shipped type declarations generate (a changed
 * export, type or doc comment fails until the file is regenerated with `-u`), and every `js`
 * example of docs/api.md runs, in order, against the built package in a copy of the example
 * project, printing exactly the `text` block that follows it. The examples install from the
 * bundled OCI layouts (fixtures/wasi-oci) into a temporary cache: no network.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Api from '../../src/index.js';
import { apiEntries, apiReferenceMarkdown } from '../support/api-reference.js';
import { DIST, ROOT, ensureBuilt } from '../support/built-dist.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

const run = promisify(execFile);

interface Example {
  heading: string;
  code: string;
  output: string;
}

/** The `js` blocks of a Markdown text, each with the `text` block right after it. */
function examples(markdown: string): Example[] {
  const out: Example[] = [];
  let heading = '';
  const blocks = markdown.matchAll(/^(#+ .*)$|^```(\w+)\n([\s\S]*?)^```$/gm);
  let pending: Omit<Example, 'output'> | undefined;
  for (const m of blocks) {
    if (m[1] !== undefined) heading = m[1];
    else if (m[2] === 'js') {
      if (pending !== undefined)
        throw new Error(`example under "${pending.heading}" has no output`);
      pending = { heading, code: m[3]! };
    } else if (m[2] === 'text' && pending !== undefined) {
      out.push({ ...pending, output: m[3]! });
      pending = undefined;
    }
  }
  if (pending !== undefined) throw new Error(`example under "${pending.heading}" has no output`);
  return out;
}

describe('docs/api-reference.md', () => {
  it('is generated from the shipped type declarations', async () => {
    ensureBuilt();
    const markdown = apiReferenceMarkdown(apiEntries(DIST));
    expect(markdown).toContain('#### `install`');
    expect(markdown).toContain('#### `resolveWit`');
    await expect(markdown).toMatchFileSnapshot('../../docs/api-reference.md');
  });
});

describe('the examples of docs/api.md', () => {
  const list = examples(readFileSync(join(ROOT, 'docs/api.md'), 'utf8'));
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ensureBuilt();
    work = await tempDir('wit-deps-api-examples-');
    await exampleProject({ dir: join(work, 'app') });
    // `wit-deps` resolves to this package, through its exports map
    await mkdir(join(work, 'node_modules'));
    await symlink(ROOT, join(work, 'node_modules/wit-deps'), 'dir');
    env = { PATH: process.env['PATH'], HOME: work, WIT_DEPS_CACHE_DIR: join(work, 'cache') };
  });

  it('has examples, each with its output', () => {
    expect(list.length).toBeGreaterThanOrEqual(5);
  });

  it('print what the page shows, run one after the other', async () => {
    for (const [i, example] of list.entries()) {
      const file = join(work, `example-${i + 1}.mjs`);
      await writeFile(file, example.code);
      const { stdout, stderr } = await run(process.execPath, [file], { cwd: work, env });
      expect({ heading: example.heading, stdout, stderr }).toEqual({
        heading: example.heading,
        stdout: example.output,
        stderr: '',
      });
    }
  }, 120_000);
});

describe('the API', () => {
  it('ignores the CLI test hook variables: an install never pauses for them', async () => {
    ensureBuilt();
    const api = (await import(join(DIST, 'index.js'))) as typeof Api;
    const work = await tempDir('wit-deps-api-hook-');
    const app = await exampleProject({ dir: join(work, 'app') });
    const paused = join(work, 'paused');
    const started = Date.now();
    const result = await api.install({
      cwd: app,
      env: {
        WIT_DEPS_CACHE_DIR: join(work, 'cache'),
        WIT_DEPS_TEST_HOOK_PAUSE_AT: '1',
        WIT_DEPS_TEST_HOOK_PAUSED_FILE: paused,
      },
    });
    expect(result.lockWritten).toBe(true);
    expect(existsSync(paused)).toBe(false);
    // the hook pauses for 60 s
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
