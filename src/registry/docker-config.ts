/**
 * Reading Docker's client config (`$DOCKER_CONFIG/config.json`, default `~/.docker/config.json`)
 * for registry credentials: `auths` (`auth` = base64 `user:pass`, or `username`/`password`,
 * or `identitytoken`), `credHelpers` (per host) and `credsStore` (for every other host).
 * Keys of `auths`/`credHelpers` may be `host[:port]`, `https://host/...` or, for Docker Hub,
 * `https://index.docker.io/v1/`; they are normalised to the bare host before matching.
 */
import { join } from 'node:path';
import { hasErrno, isWitDepsError } from '../errors.js';
import { registryError } from './error-text.js';
import { READ_LIMITS, readRegularText } from '../fs/safe-read.js';
import type { Credential } from '../oci/auth/credential.js';

export interface DockerConfig {
  auths: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string }
  >;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** `https://index.docker.io/v1/` → `docker.io`; `https://ghcr.io` → `ghcr.io`; `127.0.0.1:5000` stays. */
export function normaliseRegistryKey(key: string): string {
  const bare = key
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return DOCKER_HUB.has(bare) ? 'docker.io' : bare;
}

/** Where the config lives: `$DOCKER_CONFIG/config.json`, else `<home>/.docker/config.json`. */
export function dockerConfigPath(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): string {
  const dir = env['DOCKER_CONFIG'];
  return dir !== undefined && dir !== ''
    ? join(dir, 'config.json')
    : join(homeDir, '.docker', 'config.json');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The parsed JSON of the docker config at `path`, or undefined when there is none; read as a
 * regular file under the text cap (a FIFO or /dev/zero is `ERR_FS`, not a hang). Shared by the
 * credential lookup and `login`/`logout`.
 */
export async function readDockerConfigJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readRegularText(path, {
      limit: READ_LIMITS.text,
      display: `docker config \`${path}\``,
    });
  } catch (error) {
    if (hasErrno(error, 'ENOENT') || hasErrno(error, 'ENOTDIR')) return undefined;
    if (isWitDepsError(error)) throw error;
    throw registryError('docker-config-unreadable', { path }, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw registryError('docker-config-not-json', { path });
  }
}

/** Reads and validates the config; an absent file is an empty config. */
export async function readDockerConfig(path: string): Promise<DockerConfig> {
  const doc = await readDockerConfigJson(path);
  if (!isRecord(doc)) return { auths: {}, credHelpers: {} };
  const config: DockerConfig = { auths: {}, credHelpers: {} };
  if (isRecord(doc['auths'])) {
    for (const [key, entry] of Object.entries(doc['auths'])) {
      if (isRecord(entry)) config.auths[normaliseRegistryKey(key)] = entry;
    }
  }
  if (isRecord(doc['credHelpers'])) {
    for (const [key, name] of Object.entries(doc['credHelpers'])) {
      if (typeof name === 'string') config.credHelpers[normaliseRegistryKey(key)] = name;
    }
  }
  if (typeof doc['credsStore'] === 'string' && doc['credsStore'] !== '')
    config.credsStore = doc['credsStore'];
  return config;
}

/** The credential stored in `auths` for `registry`, if any. */
export function authsCredential(config: DockerConfig, registry: string): Credential | undefined {
  const entry = config.auths[normaliseRegistryKey(registry)];
  if (entry === undefined) return undefined;
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { kind: 'identity', token: entry.identitytoken };
  }
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0)
      return {
        kind: 'basic',
        username: decoded.slice(0, colon),
        password: decoded.slice(colon + 1),
      };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string') {
    return { kind: 'basic', username: entry.username, password: entry.password };
  }
  return undefined;
}
