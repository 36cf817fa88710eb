/**
 * Starts the real registry (Debian's `docker-registry`, CNCF distribution 2.8) for integration
 * tests, on 127.0.0.1 with port 0 (the real port is read from its log) and a temporary storage
 * folder, in three auth modes:
 *
 * - `none`: anonymous;
 * - `basic`: htpasswd (bcrypt, made with `htpasswd -Bbn`), user `alice`;
 * - `token`: Bearer tokens from the in-process token server of `token-server.ts`.
 *
 * Options add the blob `redirect` middleware (a cross-origin blob host) and `relativeurls`.
 * Processes are stopped by `stop()`, and on process exit as a last resort.
 * Reused by the dependency-manager tests: keep the API small and stable.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTokenServer, type TokenServer } from './token-server.js';
import { tempDirSync } from './temp-project.js';

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface RegistryOptions {
  auth?: RegistryAuth;
  /** Answer blob GET/HEAD with a 307 to `<baseurl>/docker/registry/v2/blobs/...` (distribution's redirect middleware). */
  redirectBlobsTo?: string;
  /** Relative `Location` headers. */
  relativeUrls?: boolean;
  /** Use this storage folder (kept by `stop()`), e.g. to start a stopped registry again. */
  storage?: string;
  /** Listen on this port instead of a free one (to restart on the same address). */
  port?: number;
}

export interface RunningRegistry {
  /** `127.0.0.1:<port>`. */
  host: string;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The storage root (`<storage>/docker/registry/v2/...`). */
  storage: string;
  /** The registry process, e.g. to `SIGKILL` it in the middle of a test. */
  pid: number;
  username?: string;
  password?: string;
  token?: TokenServer;
  stop(): Promise<void>;
}

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const TEST_USER = 'alice';
export const TEST_PASSWORD = 's3cret-Pa55';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

function config(storage: string, auth: string, options: RegistryOptions): string {
  const lines = [
    'version: 0.1',
    'log: {level: info, accesslog: {disabled: true}}',
    'storage:',
    `  filesystem: {rootdirectory: "${storage}"}`,
    '  delete: {enabled: true}',
    '  maintenance: {uploadpurging: {enabled: false}}',
    'http:',
    `  addr: 127.0.0.1:${options.port ?? 0}`,
    '  secret: not-a-secret-test-only',
    ...(options.relativeUrls === true ? ['  relativeurls: true'] : []),
    ...(auth === '' ? [] : [auth]),
  ];
  if (options.redirectBlobsTo !== undefined) {
    lines.push(
      'middleware:',
      '  storage:',
      '    - name: redirect',
      `      options: {baseurl: "${options.redirectBlobsTo}"}`,
    );
  }
  return lines.join('\n') + '\n';
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`docker-registry did not start:\n${log}`)),
      15_000,
    );
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        child.stderr?.resume();
        resolve(Number(m[1]));
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`docker-registry exited with ${code}:\n${log}`));
    });
  });
}

async function authSection(
  mode: RegistryAuth,
  dir: string,
): Promise<{ yaml: string; token?: TokenServer }> {
  if (mode === 'basic') {
    const line = execFileSync('htpasswd', ['-Bbn', TEST_USER, TEST_PASSWORD], { encoding: 'utf8' });
    writeFileSync(join(dir, 'htpasswd'), line.trim() + '\n');
    return { yaml: `auth: {htpasswd: {realm: wit-deps-test, path: "${join(dir, 'htpasswd')}"}}` };
  }
  if (mode === 'token') {
    const token = await startTokenServer(dir, { [TEST_USER]: TEST_PASSWORD });
    const yaml = `auth: {token: {realm: "${token.realm}", service: ${token.service}, issuer: ${token.issuer}, rootcertbundle: "${token.certPath}"}}`;
    return { yaml, token };
  }
  return { yaml: '' };
}

/**
 * Starts a registry; call `stop()` (e.g. in `afterAll`). Its folder (config, storage, token
 * certificates) goes with `stop()`, or at the end of the test file if the start failed.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  installExitHook();
  const mode = options.auth ?? 'none';
  const dir = tempDirSync('wit-deps-registry-');
  const storage = options.storage ?? join(dir, 'data');
  const { yaml, token } = await authSection(mode, dir);
  writeFileSync(join(dir, 'config.yml'), config(storage, yaml, options));
  const child = spawn(REGISTRY_BINARY, ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  let port: number;
  try {
    port = await waitForPort(child);
  } catch (error) {
    child.kill('SIGKILL');
    running.delete(child);
    await token?.stop();
    throw error;
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    await token?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    storage,
    pid: child.pid!,
    ...(mode === 'none' ? {} : { username: TEST_USER, password: TEST_PASSWORD }),
    ...(token === undefined ? {} : { token }),
    stop,
  };
}
