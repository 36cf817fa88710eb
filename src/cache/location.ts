/**
 * Where the shared cache lives: `--cache-dir`, else `WIT_DEPS_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/wit-deps`, else `~/.cache/wit-deps` (`%LOCALAPPDATA%\wit-deps` on Windows).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { WitDepsError } from '../errors.js';

/** The cache folder for the given flag and environment. */
export function cacheDir(
  env: Readonly<Record<string, string | undefined>>,
  flag?: string,
  cwd = '.',
): string {
  // An empty flag is a mistake (an unset shell variable), not a request for the current folder.
  if (flag === '')
    throw new WitDepsError('ERR_USAGE', '--cache-dir is empty', {
      hint: 'pass a folder (`--cache-dir <dir>`), or leave the flag out to use the default cache',
      exitCode: 2,
    });
  if (flag !== undefined) return resolve(cwd, flag);
  const fromEnv = env['WIT_DEPS_CACHE_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && xdg !== '') return join(xdg, 'wit-deps');
  if (process.platform === 'win32' && env['LOCALAPPDATA'] !== undefined)
    return join(env['LOCALAPPDATA'], 'wit-deps');
  return join(env['HOME'] ?? homedir(), '.cache', 'wit-deps');
}
