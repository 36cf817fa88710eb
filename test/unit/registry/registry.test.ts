import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../../src/cache/store.js';
import { fetchRegistryMetadata } from '../../../src/registry/well-known.js';
import { emptyConfig, parseWasmPkgConfig } from '../../../src/registry/config.js';
import { defaultConfigPath, loadWasmPkgConfig } from '../../../src/registry/config-io.js';
import { Discovery } from '../../../src/registry/discovery.js';
import { locatePackage, repositoryOf, type LocateInput } from '../../../src/registry/locate.js';
import { parseRegistryMetadata, wellKnownUrl } from '../../../src/registry/metadata.js';
import { parseManifest } from '../../../src/project/manifest.js';
import { tempDir } from '../../support/temp-project.js';

const CONFIG = `default_registry = "acme.registry.com"

[namespace_registries]
wasi = "wasi.dev"
another = { registry = "another", metadata = { preferredProtocol = "oci", "oci" = { registry = "ghcr.io", namespacePrefix = "webassembly/" } } }

[package_registry_overrides]
"example:foo" = "example.com"

[registry."acme.registry.com"]
default = "oci"
[registry."acme.registry.com".oci]
auth = { username = "open", password = "sesame" }
protocol = "http"

[registry."b64.example".oci]
auth = "b3BlbjpzZXNhbWU"
`;

describe('wasm-pkg config.toml', () => {
  it("reads wkg's documented example", () => {
    const c = parseWasmPkgConfig(CONFIG);
    expect(c.defaultRegistry).toBe('acme.registry.com');
    expect(c.namespaceRegistries.get('wasi')).toEqual({ registry: 'wasi.dev' });
    expect(c.namespaceRegistries.get('another')).toEqual({
      registry: 'another',
      metadata: { registry: 'ghcr.io', namespacePrefix: 'webassembly/' },
    });
    expect(c.packageOverrides.get('example:foo')).toEqual({ registry: 'example.com' });
    expect(c.registries.get('acme.registry.com')).toEqual({
      auth: { username: 'open', password: 'sesame' },
      protocol: 'http',
    });
    expect(c.registries.get('b64.example')?.auth).toEqual({ username: 'open', password: 'sesame' });
  });

  it('rejects unknown keys and bad protocols', () => {
    expect(() => parseWasmPkgConfig('defaut_registry = "x"\n')).toThrow(
      '`defaut_registry` in config.toml is not a known key',
    );
    expect(() => parseWasmPkgConfig('[registry."x".oci]\nprotocol = "ftp"\n')).toThrow(
      'must be "http" or "https"',
    );
  });

  it('finds the config file like wkg, and treats a missing default file as empty', async () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x' })).toBe('/x/wasm-pkg/config.toml');
    expect(defaultConfigPath({ HOME: '/h' })).toBe('/h/.config/wasm-pkg/config.toml');
    const dir = await tempDir('wit-deps-cfg-');
    const none = await loadWasmPkgConfig({ XDG_CONFIG_HOME: dir }, undefined, dir);
    expect(none.builtins).toBe(true);
    await writeFile(join(dir, 'c.toml'), 'default_registry = "r.example"\n');
    const explicit = await loadWasmPkgConfig({ WKG_CONFIG_FILE: 'c.toml' }, undefined, dir);
    expect(explicit).toMatchObject({ builtins: false, config: { defaultRegistry: 'r.example' } });
    await expect(loadWasmPkgConfig({}, 'missing.toml', dir)).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
    });
  });
});

describe('registry metadata', () => {
  it('refuses hosts and prefixes that are not plain names (the answer comes from the network)', () => {
    const bad = [
      { oci: { registry: 'user:pw@evil.example' } },
      { oci: { registry: 'evil.example/path' } },
      { oci: { registry: 'https://ghcr.io' } },
      { ociRegistry: 'ghcr.io', ociNamespacePrefix: '../../' },
      { oci: { registry: 'ghcr.io', namespacePrefix: 'a/?x=' } },
      { oci: { registry: 'ghcr.io', namespacePrefix: 'no-slash' } },
    ];
    for (const doc of bad) {
      const failure = (() => {
        try {
          return parseRegistryMetadata('r.example', doc);
        } catch (error) {
          return error;
        }
      })();
      expect(failure).toMatchObject({ code: 'ERR_DISCOVERY_FAILED' });
    }
  });

  it('reads both schemas and the absent case', () => {
    expect(
      parseRegistryMetadata('wasi.dev', {
        ociRegistry: 'ghcr.io',
        ociNamespacePrefix: 'webassembly/',
      }),
    ).toEqual({
      registry: 'ghcr.io',
      namespacePrefix: 'webassembly/',
    });
    expect(
      parseRegistryMetadata('wasmcloud.com', {
        preferredProtocol: 'oci',
        oci: { registry: 'ghcr.io', namespacePrefix: 'wasmcloud/interfaces/' },
      }),
    ).toEqual({ registry: 'ghcr.io', namespacePrefix: 'wasmcloud/interfaces/' });
    expect(
      parseRegistryMetadata('r.example', { oci: { registry: 'h.example' }, warg: {} }),
    ).toEqual({ registry: 'h.example', namespacePrefix: '' });
    expect(parseRegistryMetadata('localhost:5000', null)).toEqual({
      registry: 'localhost:5000',
      namespacePrefix: '',
    });
    expect(() => parseRegistryMetadata('w', { preferredProtocol: 'warg', warg: {} })).toThrow(
      'prefers protocol `warg`',
    );
  });

  it('uses http only for localhost', () => {
    expect(wellKnownUrl('wasi.dev')).toBe('https://wasi.dev/.well-known/wasm-pkg/registry.json');
    expect(wellKnownUrl('127.0.0.1:8080')).toBe(
      'http://127.0.0.1:8080/.well-known/wasm-pkg/registry.json',
    );
  });
});

describe('locatePackage precedence', () => {
  const manifest = parseManifest(
    '[registries]\nacme = { oci = "127.0.0.1:5000", prefix = "team/" }\nlocal = { layout = "vendor/oci" }\n',
  );
  const base: LocateInput = {
    manifestRegistries: manifest.registries,
    dependencyRegistries: new Map([['acme:special', 'special.example']]),
    config: parseWasmPkgConfig(CONFIG),
    builtins: true,
  };
  it('applies dependency, wit.toml, overrides, namespaces, default, built-ins in order', () => {
    expect(locatePackage('acme:special', base)).toMatchObject({
      kind: 'registry',
      registry: 'special.example',
    });
    expect(locatePackage('acme:shop', base)).toMatchObject({
      kind: 'oci',
      oci: { registry: '127.0.0.1:5000', namespacePrefix: 'team/' },
    });
    expect(locatePackage('local:x', base)).toMatchObject({ kind: 'layout', layout: 'vendor/oci' });
    expect(locatePackage('example:foo', base)).toMatchObject({ registry: 'example.com' });
    expect(locatePackage('another:x', base)).toMatchObject({
      registry: 'another',
      metadata: { registry: 'ghcr.io' },
    });
    expect(locatePackage('other:x', base)).toMatchObject({
      registry: 'acme.registry.com',
      from: 'config.toml default_registry',
    });
    const plain = { ...base, config: emptyConfig() };
    expect(locatePackage('wasi:http', plain)).toMatchObject({
      registry: 'wasi.dev',
      from: 'built-in',
    });
    expect(() => locatePackage('wasi:http', { ...plain, builtins: false })).toThrow(
      expect.objectContaining({ code: 'ERR_REGISTRY_UNKNOWN' }) as Error,
    );
    expect(
      repositoryOf('wasi:http', { registry: 'ghcr.io', namespacePrefix: 'webassembly/' }),
    ).toBe('webassembly/wasi/http');
  });
});

describe('discovery', () => {
  it('fetches .well-known over http from a local server, caches, and works offline from cache', async () => {
    let hits = 0;
    const server = createServer((req, res) => {
      hits++;
      if (
        req.url === '/.well-known/wasm-pkg/registry.json' &&
        !req.headers.host?.startsWith('localhost')
      ) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ociRegistry: '127.0.0.1:1', ociNamespacePrefix: 'mirror/' }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const name = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const cache = new Cache(await tempDir('wit-deps-disc-'));
      const online = new Discovery({ fetcher: (r) => fetchRegistryMetadata(r), cache });
      expect(await online.resolve(name)).toEqual({
        registry: '127.0.0.1:1',
        namespacePrefix: 'mirror/',
      });
      await online.resolve(name);
      expect(hits).toBe(1);
      const offline = new Discovery({
        fetcher: () => Promise.reject(new Error('no network')),
        cache,
        offline: true,
      });
      expect(await offline.resolve(name)).toEqual({
        registry: '127.0.0.1:1',
        namespacePrefix: 'mirror/',
      });
      await expect(offline.resolve('never.example')).rejects.toMatchObject({ code: 'ERR_OFFLINE' });
      expect(
        await fetchRegistryMetadata(`localhost:${(server.address() as AddressInfo).port}`),
      ).toBeNull();
    } finally {
      server.close();
    }
  });
});
