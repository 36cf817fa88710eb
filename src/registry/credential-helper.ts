/**
 * The docker credential-helper protocol (docker/docker-credential-helpers): run
 * `docker-credential-<name> get` with the server URL on stdin; stdout is
 * `{"ServerURL","Username","Secret"}`. Exit status 1 with "credentials not found" on stdout
 * means there are none. `Username` `<token>` marks `Secret` as an identity (refresh) token.
 * The bare host is tried first, then `https://<host>` (docker stores both forms).
 * Helper output is never put in messages (it may hold secrets); only its exit status is.
 */
import { spawn } from 'node:child_process';
import { WitDepsError } from '../errors.js';
import type { Credential } from '../oci/auth/credential.js';

const HELPER_TIMEOUT_MS = 30_000;
const OUTPUT_CAP = 64 * 1024;

interface HelperRun {
  status: number | null;
  stdout: string;
}

function run(
  program: string,
  input: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], {
      env: { ...env },
      stdio: ['pipe', 'pipe', 'ignore'],
      timeout: HELPER_TIMEOUT_MS,
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < OUTPUT_CAP) stdout += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input + '\n');
  });
}

function parseAnswer(stdout: string, program: string): Credential | undefined {
  let doc: { Username?: unknown; Secret?: unknown };
  try {
    doc = JSON.parse(stdout) as typeof doc;
  } catch {
    throw new WitDepsError(
      'ERR_CREDENTIALS',
      `credential helper \`${program}\` printed something that is not JSON`,
    );
  }
  if (typeof doc.Secret !== 'string' || doc.Secret === '') return undefined;
  if (doc.Username === '<token>') return { kind: 'identity', token: doc.Secret };
  return {
    kind: 'basic',
    username: typeof doc.Username === 'string' ? doc.Username : '',
    password: doc.Secret,
  };
}

/** Asks `docker-credential-<name>` for the credential of `registry`; undefined when it has none. */
export async function helperCredential(
  name: string,
  registry: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Credential | undefined> {
  const program = `docker-credential-${name}`;
  for (const server of [registry, `https://${registry}`]) {
    let result: HelperRun;
    try {
      result = await run(program, server, env);
    } catch (cause) {
      throw new WitDepsError(
        'ERR_CREDENTIALS',
        `credential helper \`${program}\` could not be run`,
        {
          hint: `install \`${program}\` on PATH, or remove \`${name}\` from \`credHelpers\`/\`credsStore\` in your docker config`,
          cause,
        },
      );
    }
    if (result.status === 0) return parseAnswer(result.stdout, program);
    if (/credentials not found/i.test(result.stdout)) continue;
    throw new WitDepsError(
      'ERR_CREDENTIALS',
      `credential helper \`${program}\` failed with exit status ${result.status}`,
      {
        hint: `run \`echo ${registry} | ${program} get\` to see its error`,
      },
    );
  }
  return undefined;
}
