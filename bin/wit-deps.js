#!/usr/bin/env node
// Launcher (run `npm run build` first). A CommonJS file (bin/package.json), so no ESM loader
// starts. `--version` alone is answered here, before anything else loads; otherwise the CLI runs
// from its bundle, dist/cli.cjs, with a V8 code cache (src/launcher.ts, docs/performance.md).
'use strict';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`wit-deps ${require('../package.json').version}\n`);
} else {
  const bundle = require('node:path').join(__dirname, '..', 'dist', 'cli.cjs');
  void require('../dist/launcher.cjs').launch(bundle, argv, process.env);
}
