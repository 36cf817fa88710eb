/**
 * Divergences from wit-parser found by the differential driver (bench/wit-text-diff.mjs) in the
 * lexer and parser: how tokens are named in errors, `-` as a token of its own, a lone `%`,
 * versions read token by token and checked as semver, lexical errors reported only when the
 * parser reaches them, and `import name: path`.
 *
 * Expected messages produced by wasm-tools via jco-transpile 0.15.0 (wasm-tools crates 0.259.0,
 * `tools.componentEmbed({ witSource })`), which reports the message only: the `line:col` here is
 * ours, checked against wit-parser's rules (a missing token is reported at the token found).
 */
import { describe, expect, it } from 'vitest';
import { parseWitPackage } from '../../../src/wit/parse.js';
import { iface, witFailure as failure } from '../../support/wit-failure.js';

describe('tokens in "expected ..., found ..." as wit-parser names them', () => {
  it.each([
    [iface('  f: func() -> list<u8>*;'), "3:24 expected ';', found `*`"],
    [iface('  f: func() @;'), "3:13 expected ';', found `@`"],
    [iface('  f: func(x: u32) / ;'), "3:19 expected ';', found `/`"],
    [iface('  f %g: func();'), "3:5 expected ':', found an '%' identifier"],
    [iface('  -a: func();'), '3:3 expected `type`, `resource` or `func`, found `-`'],
  ])('%j', (text, expected) => {
    expect(failure(text)).toBe(expected);
  });

  it('a lone `%` is an identifier that fails validation where one is expected', () => {
    expect(failure(iface('  f: func(x: u32) -> %;'))).toBe(
      "3:22 identifiers must have characters between '-'s",
    );
  });
});

describe('versions', () => {
  it.each([
    ['01.0.0', '1:13 invalid leading zero in major version number'],
    ['1.0.0-01', '1:13 invalid leading zero in pre-release identifier'],
    ['1.0.0-a_b', "1:13 unexpected character '_' after pre-release identifier"],
    ['1 . 0 . 0', "1:13 unexpected character ' ' after major version number"],
    ['99999999999999999999.0.0', '1:13 value of major version number exceeds u64::MAX'],
    ['1.0.0-é', '1:13 empty identifier segment in pre-release identifier'],
    ['1.0', "1:16 expected '.', found ';'"],
    ['x', '1:13 expected an integer, found an identifier'],
  ])('@%s', (version, expected) => {
    expect(failure(`package a:b@${version};\n`)).toBe(expected);
  });

  it.each(['1.0.0+01', '1.0.0-rc.1+build.5', '1.0.0--', '0.3.0-rc-2025-08-15'])(
    'accepts @%s',
    (version) => {
      expect(failure(`package a:b@${version};\nworld w {}\n`)).toBe('ok');
    },
  );

  it('a period not followed by a version part ends the version', () => {
    const text = 'package a:b;\ninterface i {\n  use c:d/e@1.0.0-a.{t};\n}\n';
    const deps = [
      [{ path: 'd.wit', text: 'package c:d@1.0.0-a;\ninterface e { type t = u8; }\n' }],
    ];
    expect(() => parseWitPackage([{ path: 't.wit', text }], deps)).not.toThrow();
  });
});

describe('lexical errors come when the parser reaches them', () => {
  it('a parse error before a bad escape is the one reported', () => {
    const text = `${iface('  f: func() -> u32 x;')}@external-id("\\q")\ninterface j {}\n`;
    expect(failure(text)).toBe("3:20 expected ';', found an identifier");
  });

  it('an empty variant is a resolve error, after the whole file parses', () => {
    const text = `${iface('  @unstable(feature = x)\n  variant t {}')}\ninterface j {\n  f: func() ->;\n}\n`;
    expect(failure(text)).toBe("8:15 expected a type, found ';'");
    expect(failure(iface('  variant t {}'))).toBe('3:11 empty variant');
  });
});

describe('world items `name: path`', () => {
  const world = (item: string): string =>
    `package a:b;\ninterface store {}\nworld w {\n  ${item}\n}\n`;

  it('anything after `name:` but `func`, `async` or `interface` is a path', () => {
    expect(failure(world('import primary: ;'))).toBe(
      "4:19 expected an identifier or string, found ';'",
    );
    expect(failure(world('import primary: store;'))).toBe('ok');
  });
});
