import { describe, expect, it } from 'vitest';
import { formatReference, isLoopbackRegistry, parseReference } from '../../../src/oci/reference.js';

const D = 'sha256:' + 'ab'.repeat(32);

describe('parseReference', () => {
  it.each([
    [
      'ghcr.io/webassembly/wasi/http:0.2.0',
      { registry: 'ghcr.io', repository: 'webassembly/wasi/http', tag: '0.2.0' },
    ],
    [
      '127.0.0.1:5000/wasi/http:0.2.0-rc-2026-01-06',
      { registry: '127.0.0.1:5000', repository: 'wasi/http', tag: '0.2.0-rc-2026-01-06' },
    ],
    [`localhost:5000/a/b@${D}`, { registry: 'localhost:5000', repository: 'a/b', digest: D }],
    [`Reg.IO/a:t@${D}`, { registry: 'reg.io', repository: 'a', tag: 't', digest: D }],
    ['reg.io/a__b/c-d.e:latest', { registry: 'reg.io', repository: 'a__b/c-d.e', tag: 'latest' }],
  ])('parses %s', (text, expected) => {
    const ref = parseReference(text);
    expect(ref).toEqual({ kind: 'registry', ...expected });
    expect(formatReference(ref)).toBe(text.replace('Reg.IO', 'reg.io'));
  });

  it.each([
    ['wasi/http:0.2.0', /registry host|repository/],
    ['ghcr.io/Wasi/http:1', /repository name/],
    ['ghcr.io/wasi/http:1.0.0+build', /invalid tag/],
    ['ghcr.io/wasi/http@sha256:abc', /invalid digest/],
    ['ghcr.io/wasi/http', /no tag or digest/],
    ['ghcr.io/wasi//http:1', /repository name/],
    [`ghcr.io/wasi/http:${'x'.repeat(129)}`, /invalid tag/],
  ])('rejects %s', (text, message) => {
    expect(() => parseReference(text)).toThrow(message);
    try {
      parseReference(text);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_INVALID_REFERENCE' });
    }
  });

  it('accepts a bare repository when asked, and applies a default tag', () => {
    expect(parseReference('ghcr.io/wasi/http', { allowBare: true })).toEqual({
      kind: 'registry',
      registry: 'ghcr.io',
      repository: 'wasi/http',
    });
    expect(parseReference('ghcr.io/wasi/http', { defaultTag: 'latest' })).toMatchObject({
      tag: 'latest',
    });
  });

  it('parses oci-layout references with tags, digests and bare folders', () => {
    expect(parseReference('oci-layout:vendor/oci:0.2.0')).toEqual({
      kind: 'layout',
      dir: 'vendor/oci',
      tag: '0.2.0',
    });
    expect(parseReference(`oci-layout:/abs/dir@${D}`)).toEqual({
      kind: 'layout',
      dir: '/abs/dir',
      digest: D,
    });
    expect(parseReference('oci-layout:./x', { allowBare: true })).toEqual({
      kind: 'layout',
      dir: './x',
    });
    expect(() => parseReference('oci-layout:./x')).toThrow(/no tag or digest/);
    expect(formatReference(parseReference('oci-layout:vendor/oci:0.2.0'))).toBe(
      'oci-layout:vendor/oci:0.2.0',
    );
  });

  it('treats only loopback registries as plain http by default', () => {
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('127.0.0.1')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('ghcr.io')).toBe(false);
    expect(isLoopbackRegistry('localhost.evil.io')).toBe(false);
  });
});
