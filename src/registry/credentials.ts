/**
 * Where registry credentials come from, first match wins:
 *
 * 1. explicit credentials for the command's registry (`--username`/`--password`, `--token`);
 * 2. `WIT_DEPS_REGISTRY_<HOST>_TOKEN`, or `WIT_DEPS_REGISTRY_<HOST>_USERNAME` + `_PASSWORD`;
 * 3. `WKG_REGISTRY_<HOST>_AUTH_BEARER` (wkg's variable);
 * 4. the docker config: `credHelpers[host]`, then `credsStore`, then `auths[host]`. A `credsStore`
 *    helper that is not installed (Docker Desktop's `"credsStore": "desktop"` on a machine or CI
 *    image without it) is warned about once and skipped: `auths`, else anonymous, as skopeo does.
 *
 * `<HOST>` is the registry (`host[:port]`) upper-cased with `.` → `_`, `-` → `__`, `:` → `___`
 * (`127.0.0.1:5000` → `127_0_0_1___5000`, `registry-acme.io` → `REGISTRY__ACME_IO`): one name per
 * registry, so no look-alike host shares a variable (`../oci/auth/env-key.ts` has the proof).
 * Credentials only ever go to the registry they are stored for. Nothing here prints or writes a
 * credential.
 */
import { homedir } from 'node:os';
import { WitDepsError } from '../errors.js';
import { registryError } from './error-text.js';
import type { Credential, CredentialProvider } from '../oci/auth/credential.js';
import { registryEnvKey } from '../oci/auth/env-key.js';
import { helperCredential } from './credential-helper.js';
import {
  authsCredential,
  dockerConfigPath,
  normaliseRegistryKey,
  readDockerConfig,
  type DockerConfig,
} from './docker-config.js';

export interface CredentialOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** Defaults to the user's home folder. */
  homeDir?: string;
  /** Credentials given on the command line, for `registry` only. */
  explicit?: { registry: string; credential: Credential };
  /** Told when a source is skipped (a `credsStore` helper that is not installed). */
  onWarning?: (registry: string, text: string) => void;
}

/** A helper program that is not there at all (spawn ENOENT), as opposed to one that fails. */
function helperMissing(error: unknown): boolean {
  if (!(error instanceof WitDepsError) || error.code !== 'ERR_CREDENTIALS') return false;
  return (error.cause as { code?: unknown } | undefined)?.code === 'ENOENT';
}

/** The `<HOST>` part of the environment variable names for `registry` (a valid `host[:port]`). */
export function envHostKey(registry: string): string {
  const key = registryEnvKey(registry);
  if (key === undefined) throw new Error(`not a registry host: ${registry}`);
  return key;
}

/** A bearer token must fit in a header: visible ASCII, no spaces or line breaks. */
function checkedToken(token: string, source: string): string {
  if (/^[\x21-\x7e]+$/.test(token)) return token;
  throw registryError('token-unprintable', { source });
}

/** Credentials from environment variables, if any. */
export function envCredential(
  env: Readonly<Record<string, string | undefined>>,
  registry: string,
): Credential | undefined {
  const found = envCredentialWithSource(env, registry);
  if (found === undefined) return undefined;
  const { source: _source, ...credential } = found;
  return credential;
}

/** The environment's credential for `registry`, with `source` naming its variables. */
export function envCredentialWithSource(
  env: Readonly<Record<string, string | undefined>>,
  registry: string,
): Credential | undefined {
  const key = registryEnvKey(registry);
  if (key === undefined) return undefined;
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const prefix = `WIT_DEPS_REGISTRY_${key}`;
  const token = get(`${prefix}_TOKEN`);
  if (token !== undefined)
    return {
      kind: 'bearer',
      token: checkedToken(token, `${prefix}_TOKEN`),
      source: `\`${prefix}_TOKEN\``,
    };
  const username = get(`${prefix}_USERNAME`);
  const password = get(`${prefix}_PASSWORD`);
  if (username !== undefined && password !== undefined)
    return {
      kind: 'basic',
      username,
      password,
      source: `\`${prefix}_USERNAME\`/\`${prefix}_PASSWORD\``,
    };
  const wkg = `WKG_REGISTRY_${key}_AUTH_BEARER`;
  const bearer = get(wkg);
  if (bearer !== undefined)
    return { kind: 'bearer', token: checkedToken(bearer, wkg), source: `\`${wkg}\`` };
  return undefined;
}

/** `credential` with `source` set (undefined stays undefined). */
function from(credential: Credential | undefined, source: string): Credential | undefined {
  return credential === undefined ? undefined : { ...credential, source };
}

async function dockerCredential(
  config: DockerConfig,
  registry: string,
  env: CredentialOptions['env'],
  path: string,
  onMissingStore: (registry: string, store: string) => void,
): Promise<Credential | undefined> {
  const host = normaliseRegistryKey(registry);
  const helper = config.credHelpers[host];
  const helperSource = (name: string, key: string): string =>
    `the credential helper \`docker-credential-${name}\` (\`${key}\` in \`${path}\`)`;
  if (helper !== undefined)
    return from(await helperCredential(helper, registry, env), helperSource(helper, 'credHelpers'));
  if (config.credsStore !== undefined) {
    const stored = await helperCredential(config.credsStore, registry, env).catch(
      (error: unknown) => {
        if (!helperMissing(error)) throw error;
        onMissingStore(registry, config.credsStore!);
        return undefined;
      },
    );
    if (stored !== undefined) return from(stored, helperSource(config.credsStore, 'credsStore'));
  }
  return from(authsCredential(config, registry), `\`auths\` in \`${path}\``);
}

/** A {@link CredentialProvider} over the sources above; the docker config is read once. */
export function credentialProvider(options: CredentialOptions): CredentialProvider {
  let config: Promise<DockerConfig> | undefined;
  let warned = false;
  const onMissingStore = (registry: string, store: string): void => {
    if (warned) return;
    warned = true;
    options.onWarning?.(
      registry,
      `credential helper \`docker-credential-${store}\` (\`credsStore\` in the docker config) is not on PATH: going on without it (\`auths\`, else anonymous)`,
    );
  };
  return async (registry) => {
    if (
      options.explicit !== undefined &&
      normaliseRegistryKey(options.explicit.registry) === normaliseRegistryKey(registry)
    ) {
      return options.explicit.credential;
    }
    const fromEnv = envCredentialWithSource(options.env, registry);
    if (fromEnv !== undefined) return fromEnv;
    const path = dockerConfigPath(options.env, options.homeDir ?? homedir());
    config ??= readDockerConfig(path);
    return dockerCredential(await config, registry, options.env, path, onMissingStore);
  };
}
