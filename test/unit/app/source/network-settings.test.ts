import { describe, expect, it } from 'vitest';
import { networkOptions } from '../../../../src/app/source/network-settings.js';
import { isInsecure } from '../../../../src/oci/open.js';

describe('network settings', () => {
  it('takes flags over environment variables over defaults', () => {
    const env = {
      WIT_DEPS_RETRIES: '5',
      WIT_DEPS_TIMEOUT: '7',
      WIT_DEPS_MAX_CONNECTIONS: '2',
      WIT_DEPS_CHUNK_SIZE: '4096',
      WIT_DEPS_MAX_TAG_PAGES: '3',
    };
    const fromEnv = networkOptions({}, { env });
    expect(fromEnv).toMatchObject({
      retry: { retries: 5 },
      timeoutMs: 7000,
      connections: 2,
      chunkSize: 4096,
      maxTagPages: 3,
    });
    const fromFlags = networkOptions({ retries: '0', timeout: '1' }, { env });
    expect(fromFlags).toMatchObject({ retry: { retries: 0 }, timeoutMs: 1000 });
    const defaults = networkOptions({}, { env: {} });
    expect(defaults.retry?.retries).toBe(3);
    expect(defaults.timeoutMs).toBeUndefined();
  });

  it('takes the deadline from --deadline, else WIT_DEPS_DEADLINE, else 30 minutes; 0 turns it off', () => {
    expect(networkOptions({}, { env: {} }).deadlineMs).toBe(1_800_000);
    expect(networkOptions({}, { env: { WIT_DEPS_DEADLINE: '60' } }).deadlineMs).toBe(60_000);
    const env = { WIT_DEPS_DEADLINE: '60' };
    expect(networkOptions({ deadline: '0' }, { env }).deadlineMs).toBe(0);
    expect(() => networkOptions({}, { env: { WIT_DEPS_DEADLINE: '1.5' } })).toThrow(
      /WIT_DEPS_DEADLINE must be a whole number/,
    );
  });

  it('marks registries insecure from the env list and from --insecure for the command registry', () => {
    const opts = networkOptions(
      { insecure: true },
      { env: { WIT_DEPS_INSECURE_REGISTRIES: 'a.io, b.io:5000' } },
      'c.io:443',
    );
    expect(opts.insecureRegistries).toEqual(['a.io', 'b.io:5000', 'c.io:443']);
    expect(isInsecure('a.io:8080', opts.insecureRegistries)).toBe(true);
    expect(isInsecure('b.io', opts.insecureRegistries)).toBe(false);
    expect(isInsecure('d.io', opts.insecureRegistries)).toBe(false);
  });

  it('rejects bad numbers naming the flag or the variable, and half credentials', () => {
    expect(() => networkOptions({ retries: '-1' }, { env: {} })).toThrow(/--retries/);
    expect(() => networkOptions({}, { env: { WIT_DEPS_CHUNK_SIZE: '10' } })).toThrow(
      /WIT_DEPS_CHUNK_SIZE/,
    );
    expect(() => networkOptions({ username: 'u' }, { env: {} }, 'r.io')).toThrow(/together/);
  });

  it('gives explicit credentials to the command registry only', async () => {
    const opts = networkOptions(
      { username: 'u', password: 'p' },
      { env: {}, homeDir: '/nonexistent' },
      'r.io',
    );
    expect(await opts.credentials?.('r.io')).toEqual({
      kind: 'basic',
      username: 'u',
      password: 'p',
      source: '`--username`/`--password`',
    });
    expect(await opts.credentials?.('other.io')).toBeUndefined();
  });
});
