import { describe, expect, it } from 'vitest';
import {
  mergeScopes,
  parseChallenges,
  parseScope,
  splitScopes,
} from '../../../src/oci/auth/challenge.js';

describe('parseChallenges', () => {
  it('parses a Bearer challenge with quoted parameters', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://ghcr.io/token',
          service: 'ghcr.io',
          scope: 'repository:a/b:pull',
        },
      },
    ]);
  });

  it('parses several challenges in one header, escapes and unquoted values', () => {
    const got = parseChallenges(
      'Basic realm="a \\"quoted\\" realm", Bearer realm="http://x/token", error=insufficient_scope',
    );
    expect(got).toEqual([
      { scheme: 'basic', params: { realm: 'a "quoted" realm' } },
      { scheme: 'bearer', params: { realm: 'http://x/token', error: 'insufficient_scope' } },
    ]);
  });

  it('parses repeated headers and a scope holding two scopes with host:port names', () => {
    const got = parseChallenges([
      'Basic realm="r"',
      'Bearer realm="http://t",scope="repository:wasi/io:pull,push repository:wasi/http:pull"',
    ]);
    expect(got.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(splitScopes(got[1]?.params['scope'])).toEqual([
      'repository:wasi/io:pull,push',
      'repository:wasi/http:pull',
    ]);
  });

  it('returns nothing for an empty header', () => {
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('scopes', () => {
  it('splits the type at the first colon and the actions at the last', () => {
    expect(parseScope('repository:localhost:5000/a:pull,push')).toEqual({
      type: 'repository',
      name: 'localhost:5000/a',
      actions: ['pull', 'push'],
    });
    expect(parseScope('nonsense')).toBeUndefined();
  });

  it('merges actions per resource into a stable key', () => {
    expect(mergeScopes(['repository:a:push'], ['repository:a:pull', 'repository:b:pull'])).toEqual([
      'repository:a:pull,push',
      'repository:b:pull',
    ]);
    expect(mergeScopes(['repository:b:pull', 'repository:a:pull'])).toEqual(
      mergeScopes(['repository:a:pull', 'repository:b:pull']),
    );
  });
});
