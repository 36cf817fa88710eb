// `npm run build`, second step: bundles the compiled CLI (dist/cli/bin.js, with commander, semver
// and smol-toml; undici stays a package, loaded on the first request) into one CommonJS file,
// dist/cli.cjs, that bin/wit-deps.js runs with a V8 code cache (src/launcher.ts, built here into
// dist/launcher.cjs). The bundle's first line names the build: `// wit-deps cli bundle <sha256 of
// the rest>`.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(import.meta.dirname, '..');

/**
 * commander requires `node:child_process` when it loads, for subcommands that are programs of
 * their own (which wit-deps has none of); that loads `net`, `dgram` and `stream` too, several ms
 * of every start. Its `child_process` is a stand-in that requires the real one on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'lazy-child-process', namespace: 'wit-deps' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'wit-deps' }, () => ({
      contents:
        "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

const result = await build({
  stdin: {
    contents: "export { run } from './cli/bin.js';",
    resolveDir: join(ROOT, 'dist'),
    sourcefile: 'cli-entry.js',
  },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['undici'],
  // import('undici') becomes a require(): the bundle is compiled as a script
  supported: { 'dynamic-import': false },
  legalComments: 'eof',
  plugins: [lazyChildProcess],
  write: false,
  logLevel: 'warning',
});
const body = result.outputFiles[0].text;
// the launcher compiles the bundle as a script: a dynamic import() would have nowhere to go
if (/\bimport\(/.test(body.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')))
  throw new Error('the CLI bundle still holds a dynamic import()');
const build_ = createHash('sha256').update(body).digest('hex');
writeFileSync(join(ROOT, 'dist/cli.cjs'), `// wit-deps cli bundle ${build_}\n${body}`);

// the launcher that loads it, as CommonJS too (bin/wit-deps.js requires it)
await build({
  entryPoints: [join(ROOT, 'src/launcher.ts')],
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: join(ROOT, 'dist/launcher.cjs'),
  logLevel: 'warning',
});
