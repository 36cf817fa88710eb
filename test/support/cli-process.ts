/**
 * The real CLI (`bin/wit-deps.js`, built into dist/) as a child process, for the kill tests: build
 * dist/ when it is older than the sources, spawn a command, wait until the commit test hook
 * (src/app/deps/test-hook.ts) has paused it or it has ended.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'wit-deps.js');

export { ensureBuilt } from './built-dist.js';

/** A running CLI command. */
export interface CliRun {
  kill(): void;
  /** Sends SIGINT (Ctrl-C). */
  interrupt(): void;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Spawns `wit-deps <args>` in `cwd` with the cache `cache` and `env` added. */
export function runCli(
  cwd: string,
  cache: string,
  args: readonly string[],
  env: Record<string, string> = {},
): CliRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: cwd,
      NO_COLOR: '1',
      WIT_DEPS_CACHE_DIR: cache,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    kill: () => child.kill('SIGKILL'),
    interrupt: () => child.kill('SIGINT'),
    done: new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
    ),
  };
}

/** Waits for the hook's `file` to appear, or for the run to end; returns the file's text if it appeared. */
export async function pausedOrDone(run: CliRun, file: string): Promise<string | undefined> {
  let ended = false;
  void run.done.then(() => (ended = true));
  for (;;) {
    const text = existsSync(file) ? (await readFile(file, 'utf8')).trim() : '';
    if (text !== '') return text;
    if (ended) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
}
