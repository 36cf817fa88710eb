import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // a private TMPDIR per run; fails the run when tests leave anything in it
    globalSetup: ['./test/support/temp-guard.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
