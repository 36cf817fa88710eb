/**
 * `wit build` must not write a binary the tool's own decoder refuses. A package whose every
 * interface and world is gated by `@unstable(feature = …)` with the feature off (or that declares
 * nothing) would encode as a component exporting nothing, which the decoder rejects as "a
 * component without exported types": the encoder refuses it with `ERR_WIT_ENCODE` and a hint
 * naming `--features`, and `wit build` writes no file. Every package that does encode decodes.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { witBuild } from '../../../src/app/wit/text.js';
import { encodeWitPackage } from '../../../src/wit/encode/index.js';
import { decodeWit, printWitPackage } from '../../../src/wit/index.js';
import { parseWitPackage } from '../../../src/wit/parse.js';

const ALL_GATED = `package acme:gated@1.0.0;

@unstable(feature = x)
interface i {
  f: func();
}

@unstable(feature = y)
world w {
  import f: func();
}
`;

function build(text: string, options: { features?: string[]; allFeatures?: boolean } = {}) {
  const { resolve, package: id } = parseWitPackage([{ path: 'a.wit', text }], [], options);
  return encodeWitPackage(resolve, id, { producersVersion: '0.0.0' });
}

function codeAndHint(fn: () => unknown): { code?: unknown; hint?: unknown } {
  try {
    fn();
  } catch (error) {
    const { code, hint } = error as { code?: unknown; hint?: unknown };
    return { code, hint };
  }
  return {};
}

describe('encoding a package with nothing to export', () => {
  it('refuses a package whose every item is gated off, naming --features', () => {
    const { code, hint } = codeAndHint(() => build(ALL_GATED));
    expect(code).toBe('ERR_WIT_ENCODE');
    expect(hint).toEqual(expect.stringContaining('--features'));
  });

  it('refuses an empty package, also with every feature on', () => {
    const { code, hint } = codeAndHint(() =>
      build('package acme:empty@1.0.0;\n', { allFeatures: true }),
    );
    expect(code).toBe('ERR_WIT_ENCODE');
    expect(hint).toBe('add an interface or a world to the package');
  });

  it('encodes the gated package once one feature is on, and the result decodes', () => {
    const decoded = decodeWit(build(ALL_GATED, { features: ['x'] }));
    expect(printWitPackage(decoded.resolve, decoded.package)).toContain('interface i {');
  });

  it.each([
    [
      'a world whose only import is gated',
      'world w {\n  @unstable(feature = x)\n  import f: func();\n}',
    ],
    [
      'an interface whose only function is gated',
      'interface i {\n  @unstable(feature = x)\n  f: func();\n}',
    ],
    ['an empty interface', 'interface i {}'],
    ['an empty world', 'world w {}'],
  ])('decodes what it encodes: %s', (_, body) => {
    const bytes = build(`package acme:p@1.0.0;\n\n${body}\n`);
    expect(() => decodeWit(bytes)).not.toThrow();
  });
});

describe('wit build of a package with nothing to export', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('fails with ERR_WIT_ENCODE and writes no file', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'wit-deps-empty-'));
    dirs.push(cwd);
    await writeFile(join(cwd, 'a.wit'), ALL_GATED);
    await expect(witBuild({ cwd, path: 'a.wit', output: 'a.wasm' })).rejects.toMatchObject({
      code: 'ERR_WIT_ENCODE',
    });
    expect(await readdir(cwd)).toEqual(['a.wit']);
  });
});
