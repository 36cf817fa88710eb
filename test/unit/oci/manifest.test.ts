import { describe, expect, it } from 'vitest';
import { sha256Digest } from '../../../src/oci/digest.js';
import { encodeJson, parseManifest, selectWasmEntry } from '../../../src/oci/manifest-format.js';
import { OCI_INDEX, OCI_MANIFEST, WASM_CONFIG } from '../../../src/oci/media-types.js';
import { buildWasmArtifact, parseWasmConfig, wasmLayerOf } from '../../../src/oci/wasm-artifact.js';

const D = (c: string): string => 'sha256:' + c.repeat(64);
const LAYER = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);

describe('Wasm artifact', () => {
  it('builds a reproducible manifest that parses back as a Wasm artifact', () => {
    const input = {
      layer: LAYER,
      title: 'http.wasm',
      created: '2024-01-25T00:00:00Z',
      annotations: { 'org.opencontainers.image.version': '0.2.0' },
      exports: ['wasi:http/types@0.2.0'],
    };
    const a = buildWasmArtifact(input);
    expect(buildWasmArtifact(input).manifestDigest).toBe(a.manifestDigest);
    expect(a.manifestDigest).toBe(sha256Digest(a.manifest));
    const parsed = parseManifest(a.manifest, OCI_MANIFEST);
    if (parsed.kind !== 'manifest') throw new Error('expected a manifest');
    const layer = wasmLayerOf(parsed.manifest);
    expect(layer).toEqual({
      mediaType: 'application/wasm',
      digest: sha256Digest(LAYER),
      size: 8,
      annotations: { 'org.opencontainers.image.title': 'http.wasm' },
    });
    expect(parsed.manifest.config).toEqual({
      mediaType: WASM_CONFIG,
      digest: sha256Digest(a.config),
      size: a.config.byteLength,
    });
    expect(parsed.manifest.annotations).toEqual({
      'org.opencontainers.image.created': '2024-01-25T00:00:00Z',
      'org.opencontainers.image.version': '0.2.0',
    });
    expect(parseWasmConfig(a.config)).toEqual({
      created: '2024-01-25T00:00:00Z',
      architecture: 'wasm',
      os: 'wasip2',
      layerDigests: [sha256Digest(LAYER)],
      component: { exports: ['wasi:http/types@0.2.0'], imports: [] },
    });
  });

  it('rejects a non-Wasm config, several layers, and a non-wasm architecture', () => {
    const base = {
      schemaVersion: 2 as const,
      config: { mediaType: WASM_CONFIG, digest: D('a'), size: 1 },
      layers: [{ mediaType: 'application/wasm', digest: D('b'), size: 1 }],
    };
    expect(() =>
      wasmLayerOf({
        ...base,
        config: { ...base.config, mediaType: 'application/vnd.oci.image.config.v1+json' },
      }),
    ).toThrow(/media type/);
    expect(() => wasmLayerOf({ ...base, layers: [...base.layers, ...base.layers] })).toThrow(
      /2 layers/,
    );
    expect(() => parseWasmConfig(encodeJson({ architecture: 'amd64', os: 'linux' }))).toThrow(
      /architecture/,
    );
  });
});

describe('parseManifest', () => {
  it('takes the kind from the content type when the document has no mediaType', () => {
    const bytes = encodeJson({
      schemaVersion: 2,
      manifests: [{ mediaType: OCI_MANIFEST, digest: D('c'), size: 3 }],
    });
    expect(parseManifest(bytes, OCI_INDEX).kind).toBe('index');
  });

  it('ignores a generic application/json content type', () => {
    const m = {
      schemaVersion: 2,
      config: { mediaType: WASM_CONFIG, digest: D('a'), size: 1 },
      layers: [],
    };
    expect(parseManifest(encodeJson(m), 'application/json').mediaType).toBe(OCI_MANIFEST);
  });

  it('rejects a mediaType that disagrees with Content-Type, bad digests and bad JSON', () => {
    const m = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: WASM_CONFIG, digest: D('a'), size: 1 },
      layers: [],
    };
    expect(() => parseManifest(encodeJson(m), OCI_INDEX)).toThrow(/served as/);
    expect(() =>
      parseManifest(encodeJson({ ...m, config: { ...m.config, digest: 'sha256:zz' } })),
    ).toThrow(/invalid digest/);
    expect(() => parseManifest(new TextEncoder().encode('{"schemaVersion":2,'))).toThrow(
      /not valid JSON/,
    );
    expect(() =>
      parseManifest(
        encodeJson({ ...m, mediaType: 'application/vnd.docker.distribution.manifest.v1+json' }),
      ),
    ).toThrow(/not supported/);
  });

  it('selects the wasm platform entry of an index, or fails clearly', () => {
    const entry = (arch: string, os: string, c: string): object => ({
      mediaType: OCI_MANIFEST,
      digest: D(c),
      size: 1,
      platform: { architecture: arch, os },
    });
    const index = parseManifest(
      encodeJson({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [entry('amd64', 'linux', 'a'), entry('wasm', 'wasip2', 'b')],
      }),
    );
    if (index.kind !== 'index') throw new Error('expected an index');
    expect(selectWasmEntry(index.index).digest).toBe(D('b'));
    expect(() => selectWasmEntry({ schemaVersion: 2, manifests: [] })).toThrow(
      /no entry for platform/,
    );
  });
});
