/**
 * `wit-deps login <registry>` and `logout <registry>`: the credentials every registry command
 * then finds in the docker config (`registry/docker-login.ts`: `auths`, or the configured
 * `credHelpers`/`credsStore` helper). Nothing is sent to the registry: the next push or install
 * uses the credential (and reports `ERR_REGISTRY_UNAUTHORIZED` if it is wrong).
 */
import { homedir } from 'node:os';
import { WitDepsError } from '../../errors.js';
import { REGISTRY_HOST_HINT, registryHostProblem } from '../../host.js';
import { dockerConfigPath } from '../../registry/docker-config.js';
import { removeLogin, saveLogin, type LoginStore } from '../../registry/docker-login.js';

export interface LoginRequest {
  registry: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir?: string;
}

export interface LoginResult {
  registry: string;
  /** `auths` of the docker config at `path`, or the credential helper that stored it. */
  store: LoginStore;
}

function checkHost(registry: string): void {
  const problem = registryHostProblem(registry);
  if (problem === undefined) return;
  throw new WitDepsError(
    'ERR_USAGE',
    `\`${registry.slice(0, 200)}\` is not a valid registry host: ${problem}`,
    { hint: REGISTRY_HOST_HINT },
  );
}

function configPath(request: LoginRequest): string {
  return dockerConfigPath(request.env, request.homeDir ?? homedir());
}

/** Stores `username`/`password` for `registry` in the docker config or its helper. */
export async function login(
  request: LoginRequest & { username: string; password: string },
): Promise<LoginResult> {
  checkHost(request.registry);
  if (request.username === '' || request.username.includes(':')) {
    throw new WitDepsError('ERR_USAGE', 'the user name is empty or holds a `:`', {
      hint: 'pass `-u <user>`',
    });
  }
  const password = request.password.replace(/\r?\n$/, '');
  if (password === '') {
    throw new WitDepsError('ERR_USAGE', 'the password is empty', {
      hint: 'pipe it in: `printf %s "$TOKEN" | wit-deps login <registry> -u <user> --password-stdin`',
    });
  }
  const store = await saveLogin(
    configPath(request),
    request.registry,
    { username: request.username, password },
    request.env,
  );
  return { registry: request.registry, store };
}

/** Removes the credential of `registry` from the docker config or its helper. */
export async function logout(request: LoginRequest): Promise<LoginResult & { removed: boolean }> {
  checkHost(request.registry);
  const { store, removed } = await removeLogin(configPath(request), request.registry, request.env);
  return { registry: request.registry, store, removed };
}
