import { describe, expect, it } from 'vitest';
import { redactUrl, summariseErrorBody } from '../../../src/oci/http/errors.js';
import { proxySettings } from '../../../src/oci/http/transport.js';
import { markTags, nextLink } from '../../../src/oci/tags.js';

describe('redaction and error bodies', () => {
  it('removes user info and query strings from URLs', () => {
    expect(
      redactUrl('https://user:pw@reg.io:5000/v2/a/blobs/uploads/x?_state=SECRET&digest=sha256:1'),
    ).toBe('https://reg.io:5000/v2/a/blobs/uploads/x');
  });

  it('summarises registry error JSON and caps other bodies', () => {
    expect(
      summariseErrorBody('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}'),
    ).toBe('MANIFEST_UNKNOWN: manifest unknown');
    const long = summariseErrorBody('x'.repeat(10_000));
    expect(long.length).toBeLessThanOrEqual(301);
    expect(summariseErrorBody('404 page\n not found')).toBe('404 page not found');
  });
});

describe('Link headers and tags', () => {
  it('finds rel="next" among several links', () => {
    expect(nextLink(['</v2/a/tags/list?n=2&last=b>; rel="next"'])).toBe(
      '/v2/a/tags/list?n=2&last=b',
    );
    expect(nextLink(['<https://x/prev>; rel="prev", <https://x/next>; rel=next'])).toBe(
      'https://x/next',
    );
    expect(nextLink([])).toBeUndefined();
  });

  it('sorts semver tags first and keeps the others marked', () => {
    expect(markTags(['latest', '0.2.0', '0.10.0', '0.2.0-rc.1', 'sha256-abc', '0.2.0'])).toEqual([
      { tag: '0.2.0-rc.1', semver: true },
      { tag: '0.2.0', semver: true },
      { tag: '0.10.0', semver: true },
      { tag: 'latest', semver: false },
      { tag: 'sha256-abc', semver: false },
    ]);
  });
});

describe('proxy settings', () => {
  it('reads upper- and lower-case proxy variables', () => {
    expect(proxySettings({ https_proxy: 'http://proxy:3128', NO_PROXY: 'localhost' })).toEqual({
      httpsProxy: 'http://proxy:3128',
      noProxy: 'localhost',
    });
    expect(proxySettings({})).toEqual({});
  });
});
