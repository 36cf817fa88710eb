/**
 * Writing credentials to Docker's client config, as `docker login`/`docker logout` do, so
 * publishers need no docker binary:
 *
 * - when `credHelpers` names a helper for the host, or `credsStore` is set, the helper stores or
 *   erases the credential (`docker-credential-<name> store|erase`), and no password is written to
 *   the file; a plain `auths` entry for the host is removed so it cannot shadow the helper;
 * - otherwise `auths["<host>"] = { "auth": base64("user:password") }` (every other key that names
 *   the same host, `https://<host>` say, is replaced).
 *
 * Every other key of the file is kept as it was. The file is written atomically with mode 0600
 * (and its folder, when created, 0700).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hasErrno } from '../errors.js';
import { registryError } from './error-text.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { makeDir } from '../fs/make-dir.js';
import { helperUpdate } from './credential-helper.js';
import { normaliseRegistryKey, readDockerConfigJson } from './docker-config.js';

type Env = Readonly<Record<string, string | undefined>>;
type Json = Record<string, unknown>;

/** Where a login went: the config file's `auths`, or a credential helper. */
export type LoginStore = { kind: 'auths'; path: string } | { kind: 'helper'; helper: string };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The config's JSON object (`{}` when there is no file); anything else is refused. */
async function readRaw(path: string): Promise<Json> {
  const doc = (await readDockerConfigJson(path)) ?? {};
  if (!isRecord(doc)) {
    throw registryError('docker-config-not-object', { path });
  }
  return doc;
}

async function writeRaw(path: string, doc: Json): Promise<void> {
  const dir = dirname(path);
  await makeDir(dirname(dir));
  await mkdir(dir, { mode: 0o700 }).catch((error: unknown) => {
    if (!hasErrno(error, 'EEXIST')) throw error;
  });
  await writeFileAtomic(path, `${JSON.stringify(doc, null, '\t')}\n`, {
    mode: 0o600,
    display: `docker config \`${path}\``,
  });
}

/** The helper that holds `host`'s credentials, if the config names one. */
function helperFor(doc: Json, host: string): string | undefined {
  const helpers = isRecord(doc['credHelpers']) ? doc['credHelpers'] : {};
  for (const [key, name] of Object.entries(helpers))
    if (normaliseRegistryKey(key) === host && typeof name === 'string') return name;
  const store = doc['credsStore'];
  return typeof store === 'string' && store !== '' ? store : undefined;
}

/** `auths` without any key naming `host`; whether one was there. */
function withoutHost(doc: Json, host: string): { auths: Json; had: boolean } {
  const auths: Json = {};
  let had = false;
  for (const [key, entry] of Object.entries(isRecord(doc['auths']) ? doc['auths'] : {})) {
    if (normaliseRegistryKey(key) === host) had = true;
    else auths[key] = entry;
  }
  return { auths, had };
}

/** Stores `username`/`password` for `registry` (see the module comment). */
export async function saveLogin(
  path: string,
  registry: string,
  login: { username: string; password: string },
  env: Env,
): Promise<LoginStore> {
  const host = normaliseRegistryKey(registry);
  const doc = await readRaw(path);
  const helper = helperFor(doc, host);
  const { auths, had } = withoutHost(doc, host);
  if (helper !== undefined) {
    const change = {
      action: 'store',
      server: host,
      username: login.username,
      secret: login.password,
    } as const;
    await helperUpdate(helper, change, env);
    if (had) await writeRaw(path, { ...doc, auths });
    return { kind: 'helper', helper };
  }
  const auth = Buffer.from(`${login.username}:${login.password}`).toString('base64');
  await writeRaw(path, { ...doc, auths: { ...auths, [host]: { auth } } });
  return { kind: 'auths', path };
}

/** Removes the credential of `registry`; whether there was one to remove (a helper: always). */
export async function removeLogin(
  path: string,
  registry: string,
  env: Env,
): Promise<{ store: LoginStore; removed: boolean }> {
  const host = normaliseRegistryKey(registry);
  const doc = await readRaw(path);
  const helper = helperFor(doc, host);
  const { auths, had } = withoutHost(doc, host);
  if (had) await writeRaw(path, { ...doc, auths });
  if (helper !== undefined) {
    await helperUpdate(helper, { action: 'erase', server: host }, env);
    return { store: { kind: 'helper', helper }, removed: true };
  }
  return { store: { kind: 'auths', path }, removed: had };
}
