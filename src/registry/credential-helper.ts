/**
 * The docker credential-helper protocol (docker/docker-credential-helpers): run
 * `docker-credential-<name> get` with the server URL on stdin; stdout is
 * `{"ServerURL","Username","Secret"}`. Exit status 1 with "credentials not found" on stdout
 * means there are none. `Username` `<token>` marks `Secret` as an identity (refresh) token.
 * The bare host is tried first, then `https://<host>` (docker stores both forms).
 * Helper output is never put in messages (it may hold secrets); only its exit status is.
 * The name must be a plain suffix (no path), no shell is involved, output is capped at 64 KiB
 * (the helper is killed beyond it) and a helper is killed after 30 s.
 */
import { spawn } from 'node:child_process';
import type { WitDepsError } from '../errors.js';
import { registryError, type HelperFailure } from './error-text.js';
import type { Credential } from '../oci/auth/credential.js';

const HELPER_TIMEOUT_MS = 30_000;
const OUTPUT_CAP = 64 * 1024;

/** What `credHelpers`/`credsStore` may name: a program suffix, never a path. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface HelperRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The helper printed more than {@link OUTPUT_CAP} bytes and was stopped. */
  overflow: boolean;
}

function run(
  program: string,
  input: string,
  env: Readonly<Record<string, string | undefined>>,
  action: 'get' | 'store' | 'erase' = 'get',
): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, [action], {
      env: { ...env },
      stdio: ['pipe', 'pipe', 'ignore'],
      timeout: HELPER_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let overflow = false;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= OUTPUT_CAP) chunks.push(chunk);
      else if (!overflow) {
        overflow = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({ status, signal, stdout: Buffer.concat(chunks).toString('utf8'), overflow }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input + '\n');
  });
}

/** Why a run that did not exit 0 failed, without its output (it may hold secrets). */
function failureOf(result: HelperRun): HelperFailure {
  return {
    status: result.status,
    signal: result.signal ?? undefined,
    overflow: result.overflow,
    outputCap: OUTPUT_CAP,
    timeoutSeconds: HELPER_TIMEOUT_MS / 1000,
  };
}

function parseAnswer(stdout: string, program: string): Credential | undefined {
  let doc: { Username?: unknown; Secret?: unknown };
  try {
    doc = JSON.parse(stdout) as typeof doc;
  } catch {
    throw registryError('helper-not-json', { program });
  }
  if (typeof doc.Secret !== 'string' || doc.Secret === '') return undefined;
  if (doc.Username === '<token>') return { kind: 'identity', token: doc.Secret };
  return {
    kind: 'basic',
    username: typeof doc.Username === 'string' ? doc.Username : '',
    password: doc.Secret,
  };
}

function checkName(name: string): string {
  if (!HELPER_NAME.test(name)) {
    throw registryError('helper-name-invalid', { name });
  }
  return `docker-credential-${name}`;
}

function notRun(program: string, name: string, cause: unknown): WitDepsError {
  return registryError('helper-not-run', { program, name }, { cause });
}

/**
 * `docker-credential-<name> store` (JSON `{ServerURL, Username, Secret}` on stdin) or `erase`
 * (the server URL on stdin), as `docker login`/`logout` run it. Erasing what is not stored is
 * no error.
 */
export async function helperUpdate(
  name: string,
  change:
    | { action: 'store'; server: string; username: string; secret: string }
    | { action: 'erase'; server: string },
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const program = checkName(name);
  const input =
    change.action === 'store'
      ? JSON.stringify({
          ServerURL: change.server,
          Username: change.username,
          Secret: change.secret,
        })
      : change.server;
  let result: HelperRun;
  try {
    result = await run(program, input, env, change.action);
  } catch (cause) {
    throw notRun(program, name, cause);
  }
  if (result.status === 0 && !result.overflow) return;
  if (change.action === 'erase' && /credentials not found/i.test(result.stdout)) return;
  throw registryError('helper-update-failed', {
    program,
    name,
    action: change.action,
    failure: failureOf(result),
  });
}

/** Asks `docker-credential-<name>` for the credential of `registry`; undefined when it has none. */
export async function helperCredential(
  name: string,
  registry: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Credential | undefined> {
  const program = checkName(name);
  for (const server of [registry, `https://${registry}`]) {
    let result: HelperRun;
    try {
      result = await run(program, server, env);
    } catch (cause) {
      throw notRun(program, name, cause);
    }
    if (result.status === 0 && !result.overflow) return parseAnswer(result.stdout, program);
    if (result.status !== null && /credentials not found/i.test(result.stdout)) continue;
    throw registryError('helper-get-failed', { program, registry, failure: failureOf(result) });
  }
  return undefined;
}
