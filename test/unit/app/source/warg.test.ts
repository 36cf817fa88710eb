/**
 * Warg registries (`wa.dev`, named in real wkg locks and configs): a package routed to one fails
 * before any request with a message naming the package, the registry and where the mapping came
 * from, and a hint with the config.toml entry to use instead; a registry whose `.well-known`
 * metadata prefers warg says the same.
 */
import { describe, expect, it } from 'vitest';
import { routePackage } from '../../../../src/app/source/route.js';
import { Discovery } from '../../../../src/registry/discovery.js';

const noRequest = new Discovery({
  fetcher: () => Promise.reject(new Error('no request may be made')),
});

describe('warg registries', () => {
  it('wa.dev is named as a warg registry before any request', async () => {
    const ref = {
      kind: 'registry' as const,
      registry: 'wa.dev',
      from: 'config.toml default_registry',
    };
    await expect(
      routePackage('acme:billing', ref, { cwd: '/', discovery: noRequest }),
    ).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message:
        '`acme:billing`: registry `wa.dev` (from config.toml default_registry) is a warg registry, and wit-deps (like wkg since 0.16) only speaks OCI',
      hint: expect.stringContaining(
        '[namespace_registries] acme = { registry = "<name>", metadata = { preferredProtocol = "oci"',
      ) as string,
      details: { package: 'acme:billing', registry: 'wa.dev', protocol: 'warg' },
    });
    const wasi = { ...ref, registry: 'wasi.wa.dev' };
    await expect(
      routePackage('wasi:http', wasi, { cwd: '/', discovery: noRequest }),
    ).rejects.toMatchObject({
      hint: expect.stringContaining('`wasi = "wasi.dev"`') as string,
    });
  });

  it('a registry whose metadata prefers warg gets the same message', async () => {
    const discovery = new Discovery({
      fetcher: () =>
        Promise.resolve({ preferredProtocol: 'warg', warg: { url: 'https://warg.acme.test' } }),
    });
    const ref = { kind: 'registry' as const, registry: 'acme.test', from: 'built-in' };
    await expect(routePackage('acme:ledger', ref, { cwd: '/', discovery })).rejects.toMatchObject({
      code: 'ERR_DISCOVERY_FAILED',
      message: expect.stringContaining(
        'registry `acme.test` (from built-in) is a warg registry',
      ) as string,
    });
  });
});
