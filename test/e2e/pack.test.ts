/**
 * The npm package as users get it: `npm pack` of the project, installed (with its dependencies
 * packed from node_modules, offline) into a temporary project. It must ship LICENSE, the README,
 * the docs the code's hints name, the two entry points with their types, and no source map, no
 * source, no test; the consumer imports every export the API reference documents from each entry
 * point (and nothing undocumented is exported), deep imports are refused by the exports map, the
 * `wit-deps` bin runs every kind of command from the shipped CLI bundle with its code cache
 * (dist/cli.cjs through dist/launcher.cjs, src/launcher.ts), and `tsc --noEmit` checks a Node
 * consumer and a browser consumer (DOM lib, no Node types) against the shipped declarations.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEntries, type ApiEntry } from '../support/api-reference.js';
import { DIST, ROOT, ensureBuilt } from '../support/built-dist.js';
import { exampleProject, tempDir } from '../support/temp-project.js';

const run = promisify(execFile);
const NPM_FLAGS = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
  dependencies: Record<string, string>;
};

interface Packed {
  filename: string;
  files: { path: string }[];
}

async function npmPack(dir: string, dest: string): Promise<Packed> {
  const { stdout } = await run(
    'npm',
    ['pack', dir, '--json', `--pack-destination=${dest}`, ...NPM_FLAGS],
    {
      cwd: dest,
    },
  );
  return (JSON.parse(stdout) as Packed[])[0]!;
}

let work: string;
let consumer: string;
let packed: Packed;
let entries: ApiEntry[];

beforeAll(async () => {
  ensureBuilt();
  entries = apiEntries(DIST);
  work = await tempDir('wit-deps-pack-');
  const tarballs = join(work, 'tarballs');
  await mkdir(tarballs);
  packed = await npmPack(ROOT, tarballs);
  // the dependencies come packed from node_modules: the install needs no registry
  const deps = await Promise.all(
    Object.keys(pkg.dependencies).map((name) =>
      npmPack(join(ROOT, 'node_modules', name), tarballs),
    ),
  );
  consumer = join(work, 'consumer');
  await mkdir(consumer);
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const all = [packed, ...deps].map((p) => join(tarballs, p.filename));
  await run('npm', ['install', '--offline', ...NPM_FLAGS, ...all], { cwd: consumer });
}, 120_000);

describe('npm pack', () => {
  const shipped = (): string[] => packed.files.map((f) => f.path);

  it('ships the license, the readme, the docs and both entry points with their types', () => {
    const files = shipped();
    for (const file of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/wit-deps.js',
      'bin/package.json',
      'dist/cli.cjs',
      'dist/launcher.cjs',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/wit-api.js',
      'dist/wit-api.d.ts',
      'docs/api.md',
      'docs/api-reference.md',
      'docs/configuration.md',
    ])
      expect(files).toContain(file);
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(
      /^\s*Apache License\s+Version 2\.0, January 2004/,
    );
  });

  it('ships no source map, source, test, fixture or CI file', () => {
    const bad = shipped().filter((f) =>
      /\.map$|^(src|test|fixtures|bench|examples|\.ci)\//.test(f),
    );
    expect(bad).toEqual([]);
    const mapped = shipped().filter(
      (f) => f.endsWith('.js') && readFileSync(join(ROOT, f), 'utf8').includes('sourceMappingURL'),
    );
    expect(mapped).toEqual([]);
  });

  it('ships every docs/*.md page the shipped code names outside comments (hints)', () => {
    const files = new Set(shipped());
    const named = new Set<string>();
    for (const f of shipped().filter((p) => p.endsWith('.js')))
      for (const line of readFileSync(join(ROOT, f), 'utf8').split('\n'))
        if (!/^\s*(\*|\/\/|\/\*)/.test(line))
          for (const m of line.matchAll(/docs\/[\w-]+\.md/g)) named.add(m[0]);
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((d) => !files.has(d))).toEqual([]);
  });

  it('decides in allowScripts every dependency with an install script (npm ci warns otherwise)', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const { allowScripts = {} } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const scripted = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript === true)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(scripted.filter((name) => !(name in allowScripts))).toEqual([]);
  });

  it.todo(
    'ships no WIT_DEPS_TEST_HOOK_* code path (src/app/deps/test-hook.ts is imported by the install the CLI runs)',
  );
});

describe('the installed package', () => {
  it('exports, from each entry point, exactly the values the API reference documents', async () => {
    const script = `
      const out = {};
      for (const s of ${JSON.stringify(entries.map((e) => e.specifier))})
        out[s] = Object.keys(await import(s)).sort();
      console.log(JSON.stringify(out));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumer,
    });
    const documented = Object.fromEntries(
      entries.map((e) => [
        e.specifier,
        e.items
          .filter((i) => i.value)
          .map((i) => i.name)
          .sort(),
      ]),
    );
    expect(JSON.parse(stdout)).toEqual(documented);
  });

  it('works from the tarball: decodes wasi:http, refuses deep imports, runs the bin', async () => {
    const wasm = join(ROOT, 'fixtures/corpus/real-packages/wasi-http-0.2.0/wasi-http-0.2.0.wasm');
    const script = `
      import { readFileSync } from 'node:fs';
      import { decodeWit, printWit } from 'wit-deps/wit';
      import { WitDepsError, install } from 'wit-deps';
      const text = printWit(decodeWit(readFileSync(${JSON.stringify(wasm)})));
      const deep = await import('wit-deps/dist/index.js').then(() => 'imported', (e) => e.code);
      const err = await install({ cwd: '.', offline: true }).catch((e) => e);
      console.log(JSON.stringify({ head: text.split('\\n')[0], deep, error: err instanceof WitDepsError && err.code }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumer,
      env: { PATH: process.env['PATH'], HOME: consumer, WIT_DEPS_CACHE_DIR: join(work, 'cache') },
    });
    expect(JSON.parse(stdout)).toEqual({
      head: 'package wasi:http@0.2.0;',
      deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
      error: 'ERR_MANIFEST_NOT_FOUND',
    });
    const bin = await run(join(consumer, 'node_modules/.bin/wit-deps'), ['--version'], {
      cwd: consumer,
    });
    expect(bin.stdout.trim()).toBe(`wit-deps ${pkg.version}`);
  });

  it('runs every kind of command from the bundle, writing and then using its code cache', async () => {
    const codeCache = join(work, 'code-cache');
    const app = await exampleProject({ dir: join(work, 'app') });
    const env = {
      PATH: process.env['PATH'],
      HOME: work,
      NO_COLOR: '1',
      WIT_DEPS_CACHE_DIR: join(work, 'app-cache'),
      WIT_DEPS_CODE_CACHE: codeCache,
    };
    const bin = join(consumer, 'node_modules/.bin/wit-deps');
    const wit = async (...args: string[]): Promise<string> =>
      (await run(bin, args, { cwd: app, env })).stdout;
    const wasm = join(ROOT, 'fixtures/corpus/real-packages/wasi-http-0.2.0/wasi-http-0.2.0.wasm');
    for (let round = 0; round < 2; round++) {
      expect(await wit('--version')).toBe(`wit-deps ${pkg.version}\n`);
      expect(await wit('--help')).toMatch(/^Usage: wit-deps \[options\] \[command\]/);
      expect(await wit('oci', '--help')).toContain('Usage: wit-deps oci');
      expect((await wit('wit', 'print', wasm)).split('\n')[0]).toBe('package wasi:http@0.2.0;');
      // from the bundled OCI layout (no network), then from the cache alone
      expect(await wit('install')).toMatch(/^(7 packages installed|up to date: 7 packages)/);
      expect(await wit('install', '--frozen')).toMatch(/^up to date: 7 packages, 0 requests/);
      const tree = JSON.parse(await wit('--json', 'tree')) as { roots: unknown[] };
      expect(tree.roots.length).toBeGreaterThan(0);
      // a network command loads undici (a package next to the bundle) and fails as it should
      const refused = await run(
        bin,
        ['--json', 'oci', 'tags', '127.0.0.1:1/a/b', '--retries', '0'],
        {
          cwd: app,
          env,
        },
      ).then(
        () => undefined,
        (e: { stdout: string }) => e.stdout,
      );
      expect(JSON.parse(refused ?? '{}')).toMatchObject({ error: { code: 'ERR_NETWORK' } });
    }
    // one code cache per command that exited 0, from the shipped bundle's build
    const caches = await readdir(codeCache);
    expect(caches.map((f) => /-([a-z-]+)\.v8$/.exec(f)?.[1]).sort()).toEqual([
      'install',
      'oci',
      'other',
      'tree',
      'wit-print',
    ]);
    expect(new Set(caches.map((f) => f.split('-')[0])).size).toBe(1);
  }, 60_000);

  it('type-checks a Node.js consumer and a browser consumer against the shipped types', async () => {
    const names = (specifier: string): string =>
      entries
        .find((e) => e.specifier === specifier)!
        .items.map((i) => (i.value ? i.name : `type ${i.name}`))
        .join(', ');
    await writeFile(
      join(consumer, 'node.ts'),
      `import { ${names('wit-deps')} } from 'wit-deps';
import * as wit from 'wit-deps/wit';

export async function main(signal: AbortSignal): Promise<number> {
  const events: InstallEvent[] = [];
  try {
    const result: InstallResult = await install({ signal, onEvent: (e) => events.push(e) });
    return result.packages.length + events.length;
  } catch (error) {
    if (isWitDepsError(error, 'ERR_RESOLVE_NO_MATCH')) return error.details.available?.length ?? 0;
    if (isWitDepsError(error, 'ERR_VERIFY_FAILED')) return error.details.problems.length;
    throw error;
  }
}
// @ts-expect-error a package list is not options
void install(['wasi:http']);
export const text: string = wit.printWit(wit.decodeWit(new Uint8Array()));
`,
    );
    await writeFile(
      join(consumer, 'browser.ts'),
      `import { ${names('wit-deps/wit')} } from 'wit-deps/wit';

export function show(bytes: Uint8Array, el: HTMLElement): WitPackageInfo {
  const packages: WitPackages = decodeWit(bytes, { maxBytes: 1 << 20 });
  el.textContent = printWit(packages, { all: true });
  const again = encodeWit(resolveWit({ 'world.wit': printWit(packages) }));
  try {
    parseWit('package a:b;');
  } catch (error) {
    if (isWitDepsError(error, 'ERR_WIT_PARSE')) el.title = error.details.rendered;
  }
  return describeWit(decodeWit(again));
}
// @ts-expect-error bytes, not a string
decodeWit('package a:b;');
`,
    );
    const base = {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      exactOptionalPropertyTypes: true,
      noUnusedLocals: false,
    };
    const configs = {
      'tsconfig.node.json': {
        compilerOptions: {
          ...base,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
        },
        files: ['node.ts'],
      },
      'tsconfig.browser.json': {
        compilerOptions: { ...base, lib: ['es2022', 'dom'], types: [] },
        files: ['browser.ts'],
      },
    };
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    for (const [name, config] of Object.entries(configs)) {
      await writeFile(join(consumer, name), JSON.stringify(config));
      const result = await run(process.execPath, [tsc, '-p', name], { cwd: consumer }).then(
        () => '',
        (e: { stdout: string }) => e.stdout,
      );
      expect({ name, result }).toEqual({ name, result: '' });
    }
  }, 60_000);
});
