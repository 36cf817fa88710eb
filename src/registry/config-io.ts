/**
 * Finding and reading the wasm-pkg `config.toml`: `--config` / `WKG_CONFIG_FILE` (then without
 * built-in registries, as wkg), else `$XDG_CONFIG_HOME/wasm-pkg/config.toml` or
 * `~/.config/wasm-pkg/config.toml` (`%APPDATA%\wasm-pkg\config.toml` on Windows); a missing
 * default file is an empty config.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { hasErrno, isWitDepsError } from '../errors.js';
import { registryError } from './error-text.js';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';
import { emptyConfig, parseWasmPkgConfig, type WasmPkgConfig } from './config.js';

/** The default config path for an environment. */
export function defaultConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  if (process.platform === 'win32' && env['APPDATA'] !== undefined)
    return join(env['APPDATA'], 'wasm-pkg', 'config.toml');
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env['HOME'] ?? homedir(), '.config');
  return join(base, 'wasm-pkg', 'config.toml');
}

/** The config and whether built-in registries apply. */
export async function loadWasmPkgConfig(
  env: Readonly<Record<string, string | undefined>>,
  flag: string | undefined,
  cwd: string,
): Promise<{ config: WasmPkgConfig; builtins: boolean; path: string }> {
  const explicit = flag ?? env['WKG_CONFIG_FILE'];
  const path =
    explicit !== undefined && explicit !== '' ? resolve(cwd, explicit) : defaultConfigPath(env);
  let text: string;
  try {
    // a regular file under the text cap: a FIFO or /dev/zero is `ERR_FS`, not a hang
    text = await readRegularText(path, {
      limit: READ_LIMITS.text,
      display: `config file \`${path}\``,
    });
  } catch (error) {
    if (hasErrno(error, 'ENOENT') && explicit === undefined)
      return { config: emptyConfig(), builtins: true, path };
    if (isWitDepsError(error)) throw error;
    throw registryError('config-unreadable', { path }, { cause: error });
  }
  return { config: parseWasmPkgConfig(text, path), builtins: explicit === undefined, path };
}
