/**
 * `wit-deps login` / `logout` against a real htpasswd registry: the credential lands in the docker
 * config (mode 0600, other keys kept) where our own push and skopeo (`--authfile`) both find it;
 * with `credsStore` it goes through a real credential-helper program and never into the file;
 * after `logout` the same push is refused with 401. The password comes from stdin only.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';
import { tempDirSync } from '../support/temp-project.js';

const FIXTURE = new URL('../../fixtures/components/greeter.wasm', import.meta.url).pathname;

let reg: RunningRegistry;
let home: string;
beforeAll(async () => {
  reg = await startRegistry({ auth: 'basic' });
  home = tempDirSync('wit-deps-login-');
});
afterAll(async () => reg?.stop());

async function cli(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number; doc: Record<string, unknown> }> {
  const io = bufferIo({ cwd: home, env, ...(stdin === undefined ? {} : { stdin }) });
  const code = await main(['--json', ...args], io);
  return { code, doc: JSON.parse(io.out() || '{}') as Record<string, unknown> };
}

const push = (env: Record<string, string>, tag: string) =>
  cli(['oci', 'push', `${reg.host}/acme/greeter:${tag}`, FIXTURE], env);

describe('login and logout', () => {
  it('writes auths (0600, other keys kept) that push and skopeo use; logout makes push 401', async () => {
    const dir = join(home, 'docker-auths');
    mkdirSync(dir);
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({ auths: { 'other.example': { auth: 'eDp5' } }, psFormat: 'x' }),
    );
    const env = { DOCKER_CONFIG: dir };
    expect((await push(env, '0.1.0')).doc).toMatchObject({
      error: { code: 'ERR_REGISTRY_UNAUTHORIZED' },
    });
    const login = await cli(
      ['login', reg.host, '-u', reg.username!, '--password-stdin'],
      env,
      `${reg.password!}\n`,
    );
    expect(login.code).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      auths: Record<string, { auth: string }>;
      psFormat: string;
    };
    expect(doc.psFormat).toBe('x');
    expect(doc.auths['other.example']).toEqual({ auth: 'eDp5' });
    expect(Buffer.from(doc.auths[reg.host]!.auth, 'base64').toString()).toBe(
      `${reg.username!}:${reg.password!}`,
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await push(env, '0.1.0')).code).toBe(0);
    const raw = execFileSync(
      'skopeo',
      [
        'inspect',
        '--raw',
        '--tls-verify=false',
        '--authfile',
        file,
        `docker://${reg.host}/acme/greeter:0.1.0`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(JSON.parse(raw)).toMatchObject({
      config: { mediaType: 'application/vnd.wasm.config.v0+json' },
    });
    const logout = await cli(['logout', reg.host], env);
    expect(logout.doc).toMatchObject({ removed: true });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      auths: { 'other.example': { auth: 'eDp5' } },
      psFormat: 'x',
    });
    expect((await push(env, '0.1.1')).doc).toMatchObject({
      error: { code: 'ERR_REGISTRY_UNAUTHORIZED' },
    });
  });

  it('stores through the credsStore helper, never in the file, and erases on logout', async () => {
    const bin = join(home, 'bin');
    mkdirSync(bin);
    const store = join(home, 'helper-store.json');
    // a real helper program: store/get/erase one credential in a file
    const script = `#!/bin/sh
case "$1" in
  store) cat > ${store} ;;
  get) read server; if [ -s ${store} ]; then cat ${store}; else echo "credentials not found"; exit 1; fi ;;
  erase) read server; : > ${store} ;;
esac
`;
    writeFileSync(join(bin, 'docker-credential-wittest'), script);
    chmodSync(join(bin, 'docker-credential-wittest'), 0o755);
    const dir = join(home, 'docker-helper');
    mkdirSync(dir);
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ credsStore: 'wittest' }));
    const env = { DOCKER_CONFIG: dir, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    const login = await cli(
      ['login', reg.host, '-u', reg.username!, '--password-stdin'],
      env,
      reg.password,
    );
    expect(login.doc).toMatchObject({ store: { kind: 'helper', helper: 'wittest' } });
    expect(JSON.parse(readFileSync(store, 'utf8'))).toEqual({
      ServerURL: reg.host,
      Username: reg.username,
      Secret: reg.password,
    });
    expect(readFileSync(file, 'utf8')).not.toContain(reg.password!);
    expect((await push(env, '0.2.0')).code).toBe(0);
    expect((await cli(['logout', reg.host], env)).code).toBe(0);
    expect(readFileSync(store, 'utf8')).toBe('');
    expect((await push(env, '0.2.1')).doc).toMatchObject({
      error: { code: 'ERR_REGISTRY_UNAUTHORIZED' },
    });
  });

  it('takes the password from stdin only, and refuses a bad host', async () => {
    const env = { DOCKER_CONFIG: join(home, 'unused') };
    expect((await cli(['login', reg.host, '-u', 'alice'], env)).code).toBe(2);
    expect(
      (await cli(['login', reg.host, '-u', 'alice', '--password-stdin'], env, '\n')).code,
    ).toBe(2);
    expect(
      (await cli(['login', 'https://x/y', '-u', 'a', '--password-stdin'], env, 'p')).code,
    ).toBe(2);
  });
});

describe('a credsStore helper that is not installed', () => {
  let open: RunningRegistry;
  beforeAll(async () => {
    open = await startRegistry();
  });
  afterAll(async () => open?.stop());

  it('is warned about and skipped: an anonymous registry still works', async () => {
    const dir = join(home, 'docker-desktop');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ credsStore: 'desktop' }));
    const env = { DOCKER_CONFIG: dir, PATH: join(home, 'no-such-bin') };
    const io = bufferIo({ cwd: home, env });
    const code = await main(['oci', 'push', `${open.host}/acme/greeter:0.1.0`, FIXTURE], io);
    expect(io.err()).toContain('docker-credential-desktop');
    expect(code).toBe(0);
    expect(io.err().match(/docker-credential-desktop/g)).toHaveLength(1);
  });
});
