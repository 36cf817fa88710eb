/**
 * The hints of registry auth failures, end to end against the real registry (basic and token
 * auth): without credentials, `install` points at `docker login` and the environment variables
 * (not `--username`, which only `oci` commands take), `oci` commands add the flags; with wrong
 * credentials the hint names the one source they came from, with the exact variable name.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { envHostKey } from '../../src/registry/credentials.js';
import { startRegistry, type RegistryAuth, type RunningRegistry } from '../support/registry.js';

interface ErrorDoc {
  error: { code: string; hint: string; details: Record<string, unknown> };
}

describe.each<RegistryAuth>(['basic', 'token'])('auth hints, registry with %s auth', (mode) => {
  let reg: RunningRegistry;
  const dirs: string[] = [];
  beforeAll(async () => {
    reg = await startRegistry({ auth: mode });
  });
  afterAll(async () => {
    await reg?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function project(): { cwd: string; env: Record<string, string> } {
    const cwd = mkdtempSync(join(tmpdir(), 'wit-deps-auth-hints-'));
    dirs.push(cwd);
    writeFileSync(
      join(cwd, 'wit.toml'),
      `[dependencies]\n"wasi:http" = "0.2.0"\n\n[registries]\nwasi = { oci = "${reg.host}" }\n`,
    );
    const docker = join(cwd, 'docker');
    mkdirSync(docker);
    writeFileSync(join(docker, 'config.json'), '{}');
    return { cwd, env: { HOME: cwd, DOCKER_CONFIG: docker, WIT_DEPS_CACHE_DIR: join(cwd, 'c') } };
  }

  async function run(argv: string[], cwd: string, env: Record<string, string>): Promise<ErrorDoc> {
    const io = bufferIo({ cwd, env: { ...env, WIT_DEPS_RETRIES: '0' } });
    expect(await main(['--json', ...argv], io)).toBe(1);
    return JSON.parse(io.out()) as ErrorDoc;
  }

  const key = (): string => `WIT_DEPS_REGISTRY_${envHostKey(reg.host)}`;

  // the token server hands anonymous pull tokens: only the basic-auth registry refuses anonymous reads
  const anonymousRefused = mode === 'basic';

  if (anonymousRefused)
    it('install without credentials suggests docker login and the variables, not --username', async () => {
      const { cwd, env } = project();
      const { error } = await run(['install'], cwd, env);
      expect(error.code).toBe('ERR_REGISTRY_UNAUTHORIZED');
      expect(error.hint).toContain(`docker login ${reg.host}`);
      expect(error.hint).toContain(`${key()}_USERNAME`);
      expect(error.hint).not.toContain('--username');
    }, 30_000);

  if (anonymousRefused)
    it('oci tags without credentials also suggests --username/--password', async () => {
      const { cwd, env } = project();
      const { error } = await run(['oci', 'tags', `${reg.host}/wasi/http`], cwd, env);
      expect(error.code).toBe('ERR_REGISTRY_UNAUTHORIZED');
      expect(error.hint).toContain(`${key()}_USERNAME`);
      expect(error.hint).toContain('`--username`/`--password`');
    }, 30_000);

  it('a wrong password from the environment names exactly those variables', async () => {
    const { cwd, env } = project();
    const wrong = { ...env, [`${key()}_USERNAME`]: 'alice', [`${key()}_PASSWORD`]: 'wrong-pw' };
    const { error } = await run(['install'], cwd, wrong);
    expect(error.code).toBe('ERR_REGISTRY_UNAUTHORIZED');
    const source = `\`${key()}_USERNAME\`/\`${key()}_PASSWORD\``;
    // (with token auth it is the token server that refuses them)
    expect(error.hint).toMatch(/^the registry `127\.0\.0\.1:\d+` refused the credentials from /);
    expect(error.hint).toContain(
      `from ${source}: correct them there (or remove them to use the next source)`,
    );
    expect(error.details['credentials']).toBe(source);
    expect(JSON.stringify(error)).not.toContain('wrong-pw');
  }, 30_000);

  it('a wrong password in the docker config names its `auths` and the file', async () => {
    const { cwd, env } = project();
    const auth = Buffer.from('alice:wrong-pw').toString('base64');
    const file = join(env['DOCKER_CONFIG'] ?? '', 'config.json');
    writeFileSync(file, JSON.stringify({ auths: { [reg.host]: { auth } } }));
    const { error } = await run(['oci', 'tags', `${reg.host}/wasi/http`], cwd, env);
    expect(error.code).toBe('ERR_REGISTRY_UNAUTHORIZED');
    expect(error.hint).toContain(`refused the credentials from \`auths\` in \`${file}\``);
    expect(error.hint).not.toContain('--username');
  }, 30_000);

  it('a wrong --password names the flags', async () => {
    const { cwd, env } = project();
    const argv = ['oci', 'tags', `${reg.host}/wasi/http`, '--username', 'alice'];
    const { error } = await run([...argv, '--password', 'wrong-pw'], cwd, env);
    expect(error.hint).toContain('refused the credentials from `--username`/`--password`');
  }, 30_000);
});
