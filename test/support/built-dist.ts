/**
 * dist/ for the tests that use the built package (the browser, `npm pack`, the docs' examples, the
 * CLI as a process): compiled with tsconfig.build.json, then bundled (`scripts/bundle-cli.mjs`:
 * dist/cli.cjs and dist/launcher.cjs, what bin/wit-deps.js runs), when missing or older than a
 * source file (`npm run check` builds first, so there it is never rebuilt).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const DIST = join(ROOT, 'dist');

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );
}

/** Compiles src/ into dist/ and bundles the CLI, unless dist/ is up to date. */
export function ensureBuilt(): void {
  const marker = join(DIST, 'wit-api.js');
  const bundle = join(DIST, 'cli.cjs');
  const sources = newest(join(ROOT, 'src'));
  if (!existsSync(marker) || statSync(marker).mtimeMs < sources)
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, stdio: 'inherit' },
    );
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < statSync(marker).mtimeMs)
    execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-cli.mjs')], {
      cwd: ROOT,
      stdio: 'inherit',
    });
}
