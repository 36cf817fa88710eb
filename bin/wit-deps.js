#!/usr/bin/env node
// Launcher: the compiled CLI lives in dist/ (run `npm run build` first).
import module from 'node:module';

// Node 22.1 and newer keep the compiled code of every module on disk between runs, which makes
// startup faster; older Node has no such function. Called before the CLI is imported (a static
// import would load it first).
module.enableCompileCache?.();

const { run } = await import('../dist/cli/bin.js');
await run();
