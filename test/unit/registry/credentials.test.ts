import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialProvider, envHostKey } from '../../../src/registry/credentials.js';
import { normaliseRegistryKey } from '../../../src/registry/docker-config.js';
import { tempDirSync } from '../../support/temp-project.js';

function home(config: unknown): { homeDir: string } {
  const homeDir = tempDirSync('wit-deps-home-');
  mkdirSync(join(homeDir, '.docker'));
  writeFileSync(
    join(homeDir, '.docker', 'config.json'),
    typeof config === 'string' ? config : JSON.stringify(config),
  );
  return { homeDir };
}

function helper(dir: string, name: string, body: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, `docker-credential-${name}`), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, `docker-credential-${name}`), 0o755);
  return `${bin}:${process.env['PATH'] ?? ''}`;
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('registry keys', () => {
  it('normalises docker config keys', () => {
    expect(normaliseRegistryKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normaliseRegistryKey('https://GHCR.io')).toBe('ghcr.io');
    expect(normaliseRegistryKey('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(envHostKey('127.0.0.1:5000')).toBe('127_0_0_1___5000');
    expect(envHostKey('ghcr.io')).toBe('GHCR_IO');
  });
});

describe('credentialProvider', () => {
  it('reads `auths` (auth, username/password, identitytoken) from ~/.docker/config.json', async () => {
    const { homeDir } = home({
      auths: {
        'https://ghcr.io': { auth: b64('alice:pa:ss') },
        'reg.io': { username: 'bob', password: 'pw' },
        'id.io': { identitytoken: 'refresh-me' },
      },
    });
    const get = credentialProvider({ env: {}, homeDir });
    const source = `\`auths\` in \`${join(homeDir, '.docker', 'config.json')}\``;
    expect(await get('ghcr.io')).toEqual({
      kind: 'basic',
      username: 'alice',
      password: 'pa:ss',
      source,
    });
    expect(await get('reg.io')).toEqual({ kind: 'basic', username: 'bob', password: 'pw', source });
    expect(await get('id.io')).toEqual({ kind: 'identity', token: 'refresh-me', source });
    expect(await get('other.io')).toBeUndefined();
  });

  it('prefers $DOCKER_CONFIG over the home folder, and env variables over both', async () => {
    const { homeDir } = home({ auths: { 'reg.io': { auth: b64('home:pw') } } });
    const other = tempDirSync('wit-deps-dc-');
    writeFileSync(
      join(other, 'config.json'),
      JSON.stringify({ auths: { 'reg.io': { auth: b64('dc:pw') } } }),
    );
    expect(
      await credentialProvider({ env: { DOCKER_CONFIG: other }, homeDir })('reg.io'),
    ).toMatchObject({ username: 'dc' });
    const env = { WKG_REGISTRY_REG_IO_AUTH_BEARER: 'wkg-token' };
    expect(await credentialProvider({ env, homeDir })('reg.io')).toEqual({
      kind: 'bearer',
      token: 'wkg-token',
      source: '`WKG_REGISTRY_REG_IO_AUTH_BEARER`',
    });
    const ours = {
      ...env,
      WIT_DEPS_REGISTRY_REG_IO_USERNAME: 'u',
      WIT_DEPS_REGISTRY_REG_IO_PASSWORD: 'p',
    };
    expect(await credentialProvider({ env: ours, homeDir })('reg.io')).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
      source: '`WIT_DEPS_REGISTRY_REG_IO_USERNAME`/`WIT_DEPS_REGISTRY_REG_IO_PASSWORD`',
    });
  });

  it('uses explicit credentials only for their registry', async () => {
    const { homeDir } = home({});
    const get = credentialProvider({
      env: {},
      homeDir,
      explicit: { registry: 'reg.io', credential: { kind: 'bearer', token: 't' } },
    });
    expect(await get('reg.io')).toEqual({ kind: 'bearer', token: 't' });
    expect(await get('elsewhere.io')).toBeUndefined();
  });

  it('runs credHelpers before credsStore before auths, with the protocol on stdin/stdout', async () => {
    const { homeDir } = home({
      credHelpers: { 'reg.io': 'one' },
      credsStore: 'store',
      auths: { 'reg.io': { auth: b64('auths:pw') }, 'x.io': { auth: b64('x:pw') } },
    });
    const path1 = helper(
      homeDir,
      'one',
      'read s; echo "{\\"ServerURL\\":\\"$s\\",\\"Username\\":\\"helper-$s\\",\\"Secret\\":\\"sec\\"}"',
    );
    const path = helper(
      homeDir,
      'store',
      'read s; echo "credentials not found in native keychain"; exit 1',
    );
    const get = credentialProvider({ env: { PATH: `${path1}:${path}` }, homeDir });
    const config = `\`${join(homeDir, '.docker', 'config.json')}\``;
    expect(await get('reg.io')).toEqual({
      kind: 'basic',
      username: 'helper-reg.io',
      password: 'sec',
      source: `the credential helper \`docker-credential-one\` (\`credHelpers\` in ${config})`,
    });
    expect(await get('x.io')).toEqual({
      kind: 'basic',
      username: 'x',
      password: 'pw',
      source: `\`auths\` in ${config}`,
    });
  });

  it('maps a `<token>` username to an identity token and reports helper failures without output', async () => {
    const { homeDir } = home({ credHelpers: { 'tok.io': 'tok', 'bad.io': 'bad' } });
    const p1 = helper(
      homeDir,
      'tok',
      'read s; echo "{\\"Username\\":\\"<token>\\",\\"Secret\\":\\"refresh\\"}"',
    );
    const p2 = helper(homeDir, 'bad', 'read s; echo "secret-looking failure"; exit 3');
    const get = credentialProvider({ env: { PATH: `${p1}:${p2}` }, homeDir });
    expect(await get('tok.io')).toMatchObject({ kind: 'identity', token: 'refresh' });
    const error = await get('bad.io').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CREDENTIALS' });
    expect(String((error as Error).message)).not.toContain('secret-looking');
  });

  it('fails clearly on a malformed config and on a missing credHelpers helper', async () => {
    await expect(
      credentialProvider({ env: {}, ...home('{not json') })('reg.io'),
    ).rejects.toMatchObject({ code: 'ERR_CREDENTIALS' });
    const missing = home({ credHelpers: { 'reg.io': 'does-not-exist-xyz' } });
    await expect(
      credentialProvider({ env: { PATH: '/nonexistent' }, ...missing })('reg.io'),
    ).rejects.toMatchObject({ code: 'ERR_CREDENTIALS' });
  });

  it('skips a credsStore helper that is not installed, with one warning (issue 13)', async () => {
    const missing = home({ credsStore: 'does-not-exist-xyz' });
    const warnings: string[] = [];
    const get = credentialProvider({
      env: { PATH: '/nonexistent' },
      ...missing,
      onWarning: (_registry, text) => warnings.push(text),
    });
    expect(await get('reg.io')).toBeUndefined();
    expect(await get('other.io')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('docker-credential-does-not-exist-xyz');
  });

  it('refuses a helper name that is a path, without running anything', async () => {
    const { homeDir } = home({ credsStore: 'x/../../evil' });
    const error = await credentialProvider({ env: { PATH: '/nonexistent' }, homeDir })(
      'reg.io',
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CREDENTIALS' });
    expect(String((error as Error).message)).toContain('is not valid');
  });

  it('stops a helper that prints without end', async () => {
    const { homeDir } = home({ credHelpers: { 'reg.io': 'chatty' } });
    const path = helper(homeDir, 'chatty', 'exec yes "{\\"Secret\\":\\"s\\"}"');
    const error = await credentialProvider({ env: { PATH: path }, homeDir })('reg.io').catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'ERR_CREDENTIALS' });
    expect(String((error as Error).message)).toContain('printed more than');
  }, 5_000);

  it('refuses a token from the environment that no header can carry, naming the variable only', async () => {
    const get = credentialProvider({
      env: { WKG_REGISTRY_REG_IO_AUTH_BEARER: 'tok-s3cret\n' },
      ...home({}),
    });
    const error = await get('reg.io').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_CREDENTIALS' });
    expect(String((error as Error).message)).toContain('WKG_REGISTRY_REG_IO_AUTH_BEARER');
    expect(String((error as Error).message)).not.toContain('tok-s3cret');
  });
});
