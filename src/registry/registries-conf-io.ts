/**
 * Finding and reading containers' `registries.conf` (v2) the way containers/image does:
 *
 * - `CONTAINERS_REGISTRIES_CONF` set: that file alone (no drop-ins); it must exist.
 * - else the user file `$XDG_CONFIG_HOME/containers/registries.conf` (or
 *   `~/.config/containers/registries.conf`) when it exists, then the user drop-ins
 *   `~/.config/containers/registries.conf.d/*.conf`;
 * - else the system file `/etc/containers/registries.conf` (when it exists), the system drop-ins
 *   `/etc/containers/registries.conf.d/*.conf`, then the user drop-ins.
 *
 * Drop-ins are read in name order; an entry of a later file replaces an earlier entry with the
 * same prefix. At most {@link MAX_DROP_INS} drop-ins are read per folder. Pure parsing is
 * `registries-conf.ts`.
 */
import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { hasErrno, isWitDepsError } from '../errors.js';
import { registryError } from './error-text.js';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';
import { mergeEntries, parseRegistriesConf, type RegistryEntry } from './registries-conf.js';

/** Drop-in files read per folder, at most. */
export const MAX_DROP_INS = 100;

/** Where the system files live (a test points it elsewhere). */
export const SYSTEM_CONTAINERS_DIR = '/etc/containers';

type Env = Readonly<Record<string, string | undefined>>;

/** `~/.config/containers` (or under `$XDG_CONFIG_HOME`). */
function userDir(env: Env): string {
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env['HOME'] ?? homedir(), '.config');
  return join(base, 'containers');
}

/** The entries of one file; undefined when it does not exist and `required` is false. */
async function readFile(path: string, required: boolean): Promise<RegistryEntry[] | undefined> {
  let text: string;
  try {
    text = await readRegularText(path, { limit: READ_LIMITS.text, display: `\`${path}\`` });
  } catch (error) {
    if (!required && hasErrno(error, 'ENOENT')) return undefined;
    if (isWitDepsError(error)) throw error;
    throw registryError('registries-conf-unreadable', { path }, { cause: error });
  }
  return parseRegistriesConf(text, path);
}

/** The `*.conf` files of a drop-in folder, in name order (none when it does not exist). */
async function dropIns(dir: string): Promise<RegistryEntry[][]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true }))
      .filter((d) => d.name.endsWith('.conf') && (d.isFile() || d.isSymbolicLink()))
      .map((d) => d.name)
      .sort();
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return [];
    throw registryError('drop-ins-unreadable', { path: dir }, { cause: error });
  }
  const out: RegistryEntry[][] = [];
  for (const name of names.slice(0, MAX_DROP_INS)) {
    const entries = await readFile(join(dir, name), false);
    if (entries !== undefined) out.push(entries);
  }
  return out;
}

/**
 * The merged `[[registry]]` entries of the environment's registries.conf files (see the module
 * comment); `cwd` resolves a relative `CONTAINERS_REGISTRIES_CONF`.
 */
export async function loadRegistriesConf(
  env: Env,
  cwd: string,
  systemDir = SYSTEM_CONTAINERS_DIR,
): Promise<RegistryEntry[]> {
  const explicit = env['CONTAINERS_REGISTRIES_CONF'];
  if (explicit !== undefined && explicit !== '')
    return (await readFile(resolve(cwd, explicit), true)) ?? [];
  const user = userDir(env);
  const userMain = await readFile(join(user, 'registries.conf'), false);
  const layers: RegistryEntry[][] = [];
  if (userMain !== undefined) layers.push(userMain);
  else {
    layers.push((await readFile(join(systemDir, 'registries.conf'), false)) ?? []);
    layers.push(...(await dropIns(join(systemDir, 'registries.conf.d'))));
  }
  layers.push(...(await dropIns(join(user, 'registries.conf.d'))));
  return mergeEntries(layers);
}
