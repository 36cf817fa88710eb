/**
 * The Rust `semver` crate's requirement semantics, checked against the examples its own
 * documentation (`Op` docs) and test suite (`tests/test_version_req.rs`) state, written as data.
 */
import { describe, expect, it } from 'vitest';
import {
  exactRequirement,
  namesPrerelease,
  parseRequirement,
  parseVersion,
  satisfies,
} from '../../../src/resolve/requirement.js';
import { WitDepsError } from '../../../src/errors.js';

interface Case {
  req: string;
  display?: string;
  match: string[];
  none: string[];
}

const CASES: Case[] = [
  {
    req: '1.0.0',
    display: '^1.0.0',
    match: ['1.0.0', '1.1.0', '1.0.1'],
    none: ['0.9.9', '0.10.0', '0.1.0', '1.0.0-pre', '1.0.1-pre'],
  },
  {
    req: '=1.0.0',
    display: '=1.0.0',
    match: ['1.0.0'],
    none: ['1.0.1', '0.9.9', '0.10.0', '0.1.0', '1.0.0-pre'],
  },
  { req: '=0.9.0', match: ['0.9.0'], none: ['0.9.1', '1.9.0', '0.0.9', '0.9.0-pre'] },
  { req: '=0.0.2', match: ['0.0.2'], none: ['0.0.1', '0.0.3', '0.0.2-pre'] },
  {
    req: '=0.1.0-beta2.a',
    display: '=0.1.0-beta2.a',
    match: ['0.1.0-beta2.a'],
    none: ['0.9.1', '0.1.0', '0.1.1-beta2.a', '0.1.0-beta2'],
  },
  { req: '=0.1.0+meta', display: '=0.1.0', match: ['0.1.0', '0.1.0+meta', '0.1.0+any'], none: [] },
  {
    req: '>= 1.0.0',
    display: '>=1.0.0',
    match: ['1.0.0', '2.0.0'],
    none: ['0.1.0', '0.0.1', '1.0.0-pre', '2.0.0-pre'],
  },
  {
    req: '>= 2.1.0-alpha2',
    display: '>=2.1.0-alpha2',
    match: ['2.1.0-alpha2', '2.1.0-alpha3', '2.1.0', '3.0.0'],
    none: ['2.0.0', '2.1.0-alpha1', '2.0.0-alpha2', '3.0.0-alpha2'],
  },
  {
    req: '< 1.0.0',
    display: '<1.0.0',
    match: ['0.1.0', '0.0.1'],
    none: ['1.0.0', '1.0.0-beta', '1.0.1', '0.9.9-alpha'],
  },
  {
    req: '<= 2.1.0-alpha2',
    match: ['2.1.0-alpha2', '2.1.0-alpha1', '2.0.0', '1.0.0'],
    none: ['2.1.0', '2.2.0-alpha1', '2.0.0-alpha2', '1.0.0-alpha2'],
  },
  { req: '>1.0.0-alpha, <1.0.0', match: ['1.0.0-beta'], none: [] },
  { req: '>1.0.0-alpha, <1.0', match: [], none: ['1.0.0-beta'] },
  { req: '>1.0.0-alpha, <1', match: [], none: ['1.0.0-beta'] },
  {
    req: '> 0.0.9, <= 2.5.3',
    display: '>0.0.9, <=2.5.3',
    match: ['0.0.10', '1.0.0', '2.5.3'],
    none: ['0.0.8', '2.5.4'],
  },
  { req: '0.3.0, 0.4.0', display: '^0.3.0, ^0.4.0', match: [], none: ['0.0.8', '0.3.0', '0.4.0'] },
  { req: '<= 0.2.0, >= 0.5.0', match: [], none: ['0.0.8', '0.3.0', '0.5.1'] },
  {
    req: '0.1.0, 0.1.4, 0.1.6',
    display: '^0.1.0, ^0.1.4, ^0.1.6',
    match: ['0.1.6', '0.1.9'],
    none: ['0.1.0', '0.1.4', '0.2.0'],
  },
  {
    req: '>=0.5.1-alpha3, <0.6',
    display: '>=0.5.1-alpha3, <0.6',
    match: ['0.5.1-alpha3', '0.5.1-alpha4', '0.5.1-beta', '0.5.1', '0.5.5'],
    none: ['0.5.1-alpha1', '0.5.2-alpha3', '0.5.5-pre', '0.5.0-pre', '0.6.0', '0.6.0-pre'],
  },
  { req: '~1', match: ['1.0.0', '1.0.1', '1.1.1'], none: ['0.9.1', '2.9.0', '0.0.9'] },
  { req: '~1.2', match: ['1.2.0', '1.2.1'], none: ['1.1.1', '1.3.0', '0.0.9'] },
  {
    req: '~1.2.2',
    match: ['1.2.2', '1.2.4'],
    none: ['1.2.1', '1.9.0', '1.0.9', '2.0.1', '0.1.3'],
  },
  {
    req: '~1.2.3-beta.2',
    match: ['1.2.3', '1.2.4', '1.2.3-beta.2', '1.2.3-beta.4'],
    none: ['1.3.3', '1.1.4', '1.2.3-beta.1', '1.2.4-beta.2'],
  },
  {
    req: '^1',
    match: ['1.1.2', '1.1.0', '1.2.1', '1.0.1'],
    none: ['0.9.1', '2.9.0', '0.1.4', '1.0.0-beta1', '0.1.0-alpha', '1.0.1-pre'],
  },
  { req: '^1.1', match: ['1.1.2', '1.1.0', '1.2.1'], none: ['0.9.1', '2.9.0', '1.0.1', '0.1.4'] },
  {
    req: '^1.1.2',
    match: ['1.1.2', '1.1.4', '1.2.1'],
    none: ['0.9.1', '2.9.0', '1.1.1', '0.0.1', '1.1.2-alpha1', '1.1.3-alpha1', '2.9.0-alpha1'],
  },
  {
    req: '^0.1.2',
    match: ['0.1.2', '0.1.4'],
    none: ['0.9.1', '2.9.0', '1.1.1', '0.0.1', '0.1.2-beta', '0.1.3-alpha', '0.2.0-pre'],
  },
  {
    req: '^0.5.1-alpha3',
    match: ['0.5.1-alpha3', '0.5.1-alpha4', '0.5.1-beta', '0.5.1', '0.5.5'],
    none: ['0.5.1-alpha1', '0.5.2-alpha3', '0.5.5-pre', '0.5.0-pre', '0.6.0'],
  },
  { req: '^0.0.2', match: ['0.0.2'], none: ['0.9.1', '2.9.0', '1.1.1', '0.0.1', '0.1.4'] },
  { req: '^0.0', match: ['0.0.2', '0.0.0'], none: ['0.9.1', '2.9.0', '1.1.1', '0.1.4'] },
  { req: '^0', match: ['0.9.1', '0.0.2', '0.0.0'], none: ['2.9.0', '1.1.1'] },
  {
    req: '^1.4.2-beta.5',
    match: ['1.4.2', '1.4.3', '1.4.2-beta.5', '1.4.2-beta.6', '1.4.2-c'],
    none: ['0.9.9', '2.0.0', '1.4.2-alpha', '1.4.2-beta.4', '1.4.3-beta.5'],
  },
  {
    req: '*',
    display: '*',
    match: ['0.9.1', '2.9.0', '0.0.9', '1.0.1', '1.1.1'],
    none: ['1.0.0-pre'],
  },
  {
    req: '1.*',
    display: '1.*',
    match: ['1.2.0', '1.2.1', '1.1.1', '1.3.0'],
    none: ['0.0.9', '1.2.0-pre'],
  },
  {
    req: '1.2.*',
    display: '1.2.*',
    match: ['1.2.0', '1.2.2', '1.2.4'],
    none: ['1.9.0', '1.0.9', '2.0.1', '0.1.3', '1.2.2-pre'],
  },
  { req: '=2.1.1-really.0', match: ['2.1.1-really.0'], none: [] },
  { req: '0.*.*', display: '0.*', match: ['0.5.0'], none: [] },
  { req: '0.0.*', display: '0.0.*', match: ['0.0.3'], none: ['0.1.0'] },
  // The `Op` documentation's equivalences.
  { req: '=1.2', match: ['1.2.0', '1.2.9'], none: ['1.3.0', '1.1.9', '1.2.5-alpha'] },
  { req: '=1', match: ['1.0.0', '1.9.9'], none: ['2.0.0', '0.9.0'] },
  { req: '>1.2', match: ['1.3.0', '2.0.0'], none: ['1.2.9', '1.2.0'] },
  { req: '>1', match: ['2.0.0'], none: ['1.9.9'] },
  { req: '>=1.2', match: ['1.2.0'], none: ['1.1.9'] },
  { req: '<1.2', match: ['1.1.9'], none: ['1.2.0', '1.2.0-alpha'] },
  { req: '<=1.2', match: ['1.2.9', '1.0.0'], none: ['1.3.0', '1.3.0-alpha'] },
  { req: '<=1', match: ['1.9.9'], none: ['2.0.0'] },
  // Prereleases: only comparators naming the same major.minor.patch let them through.
  {
    req: '0.3.0-rc-2026-01-06',
    match: ['0.3.0-rc-2026-01-06', '0.3.0-rc-2026-02-01', '0.3.0', '0.3.5'],
    none: ['0.3.0-rc-2025-09-16', '0.3.1-rc-2026-02-01', '0.2.9'],
  },
  {
    req: '=1.2, >=1.3.0-alpha',
    match: [],
    none: ['1.3.0-beta', '1.2.5'],
  },
];

describe('parseRequirement (Rust semver crate examples)', () => {
  for (const c of CASES) {
    it(`${c.req}`, () => {
      const r = parseRequirement(c.req);
      if (c.display !== undefined) expect(r.display).toBe(c.display);
      for (const v of c.match) expect(satisfies(r, v), `${c.req} should match ${v}`).toBe(true);
      for (const v of c.none) expect(satisfies(r, v), `${c.req} should not match ${v}`).toBe(false);
    });
  }

  it('treats x and X as *', () => {
    for (const s of ['x', 'X', ' * ']) expect(parseRequirement(s).display).toBe('*');
    for (const s of ['1.x', '1.X', '1.*.*']) expect(parseRequirement(s).display).toBe('1.*');
    expect(parseRequirement('2.x.x').display).toBe('2.*');
    expect(parseRequirement('1.2.X').display).toBe('1.2.*');
  });

  const ERRORS: [string, string][] = [
    ['', 'unexpected end of input while parsing major version number'],
    ['> 0.1.0,', 'unexpected end of input while parsing major version number'],
    ['> 0.3.0, ,', "unexpected character ',' while parsing major version number"],
    ['1.2.3 - 2.3.4', "expected comma after patch version number, found '-'"],
    ['> 0.0.9 <= 2.5.3', "expected comma after patch version number, found '<'"],
    ['=1.2.3 || =2.3.4', "expected comma after patch version number, found '|'"],
    ['1.1 || =1.2.3', "expected comma after minor version number, found '|'"],
    ['>= >= 0.0.2', "unexpected character '>' while parsing major version number"],
    ['>== 0.0.2', "unexpected character '=' while parsing major version number"],
    ['a.0.0', "unexpected character 'a' while parsing major version number"],
    ['1.0.0-', 'empty identifier segment in pre-release identifier'],
    ['1.2.3-01', 'invalid leading zero in pre-release identifier'],
    ['1.2.3+4.', 'empty identifier segment in build metadata'],
    ['>=', 'unexpected end of input while parsing major version number'],
    ['1.', 'unexpected end of input while parsing minor version number'],
    ['1.*.', 'unexpected character after wildcard in version req'],
    ['*.1', 'unexpected character after wildcard in version req'],
    ['1.*.1', 'unexpected character after wildcard in version req'],
    ['>=1.*.1', 'unexpected character after wildcard in version req'],
    ['*, 0.20.0-any', 'wildcard req (*) must be the only comparator'],
    ['0.20.0-any, *', 'wildcard req (*) must be the only comparator'],
    ['0.20.0-any, *, 1.0', 'wildcard req (*) must be the only comparator'],
    ['01.2.3', 'invalid leading zero in major version number'],
    ['1.2-alpha', "expected comma after minor version number, found '-'"],
  ];
  for (const [text, reason] of ERRORS) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      let caught: unknown;
      try {
        parseRequirement(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(WitDepsError);
      const e = caught as WitDepsError;
      expect(e.code).toBe('ERR_INVALID_REQUIREMENT');
      expect(e.message).toContain(reason);
      expect(e.message).toContain(`\`${text}\``);
    });
  }

  it('limits a requirement to 32 comparators', () => {
    const many = Array.from({ length: 33 }, (_, i) => `>${i + 1}`).join(', ');
    expect(() => parseRequirement(many)).toThrow(/excessive number of version comparators/);
    expect(parseRequirement(many.split(', ').slice(0, 32).join(', ')).comparators).toHaveLength(32);
  });

  it('accepts digits-then-letters in prerelease and build for every operator', () => {
    for (const op of ['=', '>', '>=', '<', '<=', '~', '^'])
      for (const v of ['1.2.3-1a', '1.2.3+1a', '1.2.3-01a', '1.2.3+01', '1.2.3-1-1+1-1-1'])
        expect(() => parseRequirement(`${op} ${v}`)).not.toThrow();
  });
});

describe('helpers', () => {
  it('knows when a requirement names a prerelease', () => {
    expect(namesPrerelease(parseRequirement('^0.3.0-rc-2026-01-06'))).toBe(true);
    expect(namesPrerelease(parseRequirement('^0.3'))).toBe(false);
  });

  it('builds exact requirements for WIT references', () => {
    const r = exactRequirement('0.2.0');
    expect(r.display).toBe('=0.2.0');
    expect(satisfies(r, '0.2.0')).toBe(true);
    expect(satisfies(r, '0.2.1')).toBe(false);
  });

  it('parses tags strictly as SemVer 2.0', () => {
    expect(parseVersion('0.2.0')?.version).toBe('0.2.0');
    expect(parseVersion('0.3.0-rc-2026-01-06')?.prerelease).toEqual(['rc-2026-01-06']);
    for (const bad of ['v1.0.0', 'latest', '1.0', '01.0.0', 'sha256-abc.sig', '1.0.0-01', '=1.0.0'])
      expect(parseVersion(bad)).toBeUndefined();
  });
});
