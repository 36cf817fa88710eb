/**
 * Attack class: credentials for one registry sent to a look-alike host. The `<HOST>` key of
 * `WIT_DEPS_REGISTRY_<HOST>_*` and `WKG_REGISTRY_<HOST>_AUTH_BEARER` used to replace every
 * non-alphanumeric by `_`, so `registry-acme.io` read the token meant for `registry.acme.io`, and
 * `127.0.0.1:<port>` the one meant for a host `127.0.0.1.<port>`. The key must be one-to-one: a
 * decoder recovers every host from its key, and a look-alike registry (a real registry behind a
 * recording proxy) never receives the other host's password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { credentialProvider, envCredential, envHostKey } from '../../src/registry/credentials.js';
import { startFaultServer, type FaultServer } from '../support/fault-server.js';
import { startRegistry, type RunningRegistry } from '../support/registry.js';

/** The inverse of the documented mapping (docs/configuration.md, "Credentials"). */
function decodeKey(key: string): string {
  if (key.startsWith('_')) {
    const [address = '', port] = key.slice(1).split('_P');
    return `[${address.replaceAll('_', ':').toLowerCase()}]${port === undefined ? '' : `:${port}`}`;
  }
  return key
    .replace(/_+/g, (run) => {
      if (run.length === 1) return '.';
      if (run.length === 3) return ':';
      if (run.length % 2 === 0) return '-'.repeat(run.length / 2);
      throw new Error(`no host has a run of ${run.length} underscores: ${key}`);
    })
    .toLowerCase();
}

/** A deterministic pseudo-random generator (so a failure can be replayed). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function randomHost(next: () => number): string {
  const pick = (chars: string): string => chars[Math.floor(next() * chars.length)] ?? 'a';
  const label = (): string => {
    const n = 1 + Math.floor(next() * 5);
    let out = pick('abcdefghijklmnopqrstuvwxyz0123456789');
    for (let i = 1; i < n; i++) out += pick('ab0-');
    return out + (n > 1 ? pick('z9') : '');
  };
  const labels = Array.from({ length: 1 + Math.floor(next() * 4) }, label);
  const port = next() < 0.4 ? `:${Math.floor(next() * 65535)}` : '';
  return labels.join('.') + port;
}

describe('the <HOST> key of credential variables', () => {
  it('differs for look-alike hosts', () => {
    const hosts = [
      'registry.acme.io',
      'registry-acme.io',
      'registry--acme.io',
      'registry.acme-io',
      'localhost:5000',
      'localhost.5000',
      'localhost-5000',
      '127.0.0.1:5000',
      '127.0.0.1.5000',
      'a-b.c',
      'a.b-c',
      'a---b',
      '[::1]:5000',
      '[::1:5000]',
      '[::1]',
    ];
    const keys = hosts.map(envHostKey);
    expect(new Set(keys).size).toBe(hosts.length);
    expect(envHostKey('registry.acme.io')).toBe('REGISTRY_ACME_IO');
    expect(envHostKey('registry-acme.io')).toBe('REGISTRY__ACME_IO');
    expect(envHostKey('127.0.0.1:5000')).toBe('127_0_0_1___5000');
  });

  it('reads back to its host for thousands of generated hosts', () => {
    const next = lcg(8);
    for (let i = 0; i < 5000; i++) {
      const host = randomHost(next);
      expect(decodeKey(envHostKey(host))).toBe(host);
    }
    for (const host of ['[::1]:5000', '[fe80::1:2]', '[2001:db8::]:443'])
      expect(decodeKey(envHostKey(host))).toBe(host);
  });

  it('gives no environment credential to a look-alike host, nor to a malformed one', async () => {
    const env = {
      [`WIT_DEPS_REGISTRY_${envHostKey('registry.acme.io')}_TOKEN`]: 'acme-token',
      [`WKG_REGISTRY_${envHostKey('ghcr.io')}_AUTH_BEARER`]: 'ghcr-token',
      WIT_DEPS_REGISTRY_USER_PW_HOST_TOKEN: 'odd-token',
    };
    expect(envCredential(env, 'registry.acme.io')).toEqual({ kind: 'bearer', token: 'acme-token' });
    expect(envCredential(env, 'registry-acme.io')).toBeUndefined();
    expect(envCredential(env, 'ghcr.io')).toEqual({ kind: 'bearer', token: 'ghcr-token' });
    expect(envCredential(env, 'ghcr-io.evil')).toBeUndefined();
    expect(envCredential(env, 'user:pw@host')).toBeUndefined();
    const homeDir = mkdtempSync(join(tmpdir(), 'wit-deps-sec-cred-'));
    try {
      const provider = credentialProvider({ env, homeDir });
      expect(await provider('registry-acme.io')).toBeUndefined();
    } finally {
      rmSync(homeDir, { recursive: true, force: true });
    }
  });
});

describe('a look-alike registry', () => {
  let reg: RunningRegistry;
  let lookAlike: FaultServer;
  let cwd: string;
  beforeAll(async () => {
    reg = await startRegistry({ auth: 'basic' });
    lookAlike = await startFaultServer();
    lookAlike.proxyTo(reg.url);
    cwd = mkdtempSync(join(tmpdir(), 'wit-deps-sec-cred-'));
  });
  afterAll(async () => {
    await lookAlike?.stop();
    await reg?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('never receives the password set for another host', async () => {
    // the variables a user sets for the host `127.0.0.1.<port>`; the command talks to `127.0.0.1:<port>`
    const other = lookAlike.host.replace(':', '.');
    const key = envHostKey(other);
    const env = {
      WIT_DEPS_RETRIES: '0',
      [`WIT_DEPS_REGISTRY_${key}_USERNAME`]: reg.username ?? '',
      [`WIT_DEPS_REGISTRY_${key}_PASSWORD`]: reg.password ?? '',
    };
    const io = bufferIo({ cwd, env });
    const code = await main(['--json', 'oci', 'tags', `${lookAlike.host}/wasi/http`], io);
    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toMatchObject({ error: { code: 'ERR_REGISTRY_UNAUTHORIZED' } });
    const basic = Buffer.from(`${reg.username}:${reg.password}`).toString('base64');
    expect(lookAlike.seen.length).toBeGreaterThan(0);
    for (const seen of lookAlike.seen) expect(seen.authorization ?? '').not.toContain(basic);
  });

  it('receives its own credentials under its own key, and the hint names that key', async () => {
    const key = envHostKey(lookAlike.host);
    const denied = bufferIo({ cwd, env: { WIT_DEPS_RETRIES: '0' } });
    await main(['oci', 'tags', `${lookAlike.host}/wasi/http`], denied);
    expect(denied.err()).toContain(`WIT_DEPS_REGISTRY_${key}_USERNAME`);
    const env = {
      WIT_DEPS_RETRIES: '0',
      [`WIT_DEPS_REGISTRY_${key}_USERNAME`]: reg.username ?? '',
      [`WIT_DEPS_REGISTRY_${key}_PASSWORD`]: reg.password ?? '',
    };
    const io = bufferIo({ cwd, env });
    const code = await main(['--json', 'oci', 'tags', `${lookAlike.host}/wasi/http`], io);
    // authenticated: the repository does not exist yet (404), which needs a valid login
    expect(JSON.parse(io.out() || '{}')).not.toMatchObject({
      error: { code: 'ERR_REGISTRY_UNAUTHORIZED' },
    });
    expect(code).toBe(1);
  });
});
