/**
 * Where the shared cache lives: `--cache-dir`, else `WIT_DEPS_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/wit-deps`, else `~/.cache/wit-deps` (`%LOCALAPPDATA%\wit-deps` on Windows).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheError } from './error-text.js';

/** The cache folder for the given flag and environment. */
export function cacheDir(
  env: Readonly<Record<string, string | undefined>>,
  flag?: string,
  cwd = '.',
): string {
  // An empty flag is a mistake (an unset shell variable), not a request for the current folder.
  if (flag === '') throw cacheError('cache-dir-empty', {});
  if (flag !== undefined) return resolve(cwd, flag);
  const fromEnv = env['WIT_DEPS_CACHE_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && xdg !== '') return join(xdg, 'wit-deps');
  if (process.platform === 'win32' && env['LOCALAPPDATA'] !== undefined)
    return join(env['LOCALAPPDATA'], 'wit-deps');
  return join(env['HOME'] ?? homedir(), '.cache', 'wit-deps');
}
