/**
 * WIT parse and resolve errors that the corpus does not cover, derived from wit-parser's rules:
 * identifiers and characters, attribute combinations, where gated references are reported (the holding item, through anonymous types),
 * nested packages, top-level `use`, and stability merging of `include`.
 */
import { describe, expect, it } from 'vitest';
import { resolveToJson } from '../../../src/wit/resolve/json.js';
import { parseWitPackage } from '../../../src/wit/parse.js';
import { witFailure as failure } from '../../support/wit-failure.js';

describe('identifiers and characters', () => {
  it.each([
    ['a-', "identifiers must have characters between '-'s"],
    ['a--b', "identifiers must have characters between '-'s"],
    ['aB', "invalid character in identifier 'B'"],
    ['a_b', "invalid character in identifier '_'"],
    ['apple\u200cpear', "invalid character in identifier '\\u{200c}'"],
    ['garçon', "invalid character in identifier 'ç'"],
  ])('%s', (id, message) => {
    expect(failure(`package a:b;\ninterface ${id} {}\n`)).toBe(`2:11 ${message}`);
  });

  it('accepts kebab-case in either case per part', () => {
    expect(failure('package a:b;\ninterface A-b2-C3 {}\n')).toBe('ok');
  });

  it('quotes unexpected and control characters as wit-parser does', () => {
    expect(failure("package a:b;\ninterface i {}\n'")).toBe("3:1 unexpected character '\\''");
    expect(failure('package a:b;\n\u0007')).toBe("2:1 Control code '\\u{7}'");
  });
});

describe('string literals', () => {
  const withId = (literal: string): string =>
    failure(`package a:b;\ninterface i {\n  @external-id(${literal})\n  f: func();\n}\n`);

  it.each([
    ['"a\\qb"', "3:19 invalid string escape 'q'"],
    ['"\\u{zz}"', "3:20 invalid hex digit 'z'"],
    ['"\\u{1_}"', '3:20 trailing underscore in number'],
    ['"\\u{d800}"', '3:18 invalid unicode value 0xd800'],
    ['"\\u{41"', "3:22 expected character '}'"],
    ['"a\tb"', "3:18 invalid string character '\\t'"],
    ['"\\ff"', '3:17 invalid UTF-8: invalid utf-8 sequence'],
    ['x', '3:16 expected a string literal, found an identifier'],
  ])('%s', (literal, expected) => {
    expect(withId(literal)).toBe(expected);
  });

  it('reads escapes into the value', () => {
    const { resolve } = parseWitPackage([
      {
        path: 't.wit',
        text: 'package a:b;\ninterface i {\n  @external-id("q\\"\\u{1F600}\\41\\n")\n  f: func();\n}\n',
      },
    ]);
    expect(resolve.interfaces[0]!.functions.get('f')!.externalId).toBe('q"\u{1F600}A\n');
  });

  it('an unterminated literal ends the file', () => {
    expect(failure('package a:b;\ninterface i {\n  @external-id("abc')).toBe(
      '3:20 unexpected end of file',
    );
  });
});

describe('attributes', () => {
  it.each([
    ['@since(version = 1.0.0)\n@since(version = 1.0.0)', '4:2 cannot specify @since twice'],
    ['@unstable(feature = a)\n@unstable(feature = b)', '4:2 cannot specify @unstable twice'],
    [
      '@since(version = 1.0.0)\n@unstable(feature = a)',
      '3:2 cannot specify both @since and @unstable',
    ],
    [
      '@deprecated(version = 1.0.0)',
      '3:2 cannot specify both @deprecated without @since or @unstable',
    ],
  ])('%s', (attrs, expected) => {
    expect(failure(`package a:b@1.0.0;\n\n${attrs}\ninterface i {}\n`)).toBe(expected);
  });

  it('names an attribute with an identifier', () => {
    expect(failure('package a:b;\n@world\ninterface i {}\n')).toBe(
      '2:2 expected an identifier or string, found keyword `world`',
    );
    expect(failure('package a:b;\n@Since(version = 1.0.0)\ninterface i {}\n')).toBe(
      "2:2 invalid character in identifier 'i'",
    );
    expect(failure('package a:b;\n@sinc(version = 1.0.0)\ninterface i {}\n')).toBe(
      '2:2 unknown attribute `sinc`',
    );
  });

  it('refuses two @external-id on a function', () => {
    expect(
      failure(
        'package a:b;\ninterface i {\n  @external-id("x")\n  @external-id("y")\n  f: func();\n}\n',
      ),
    ).toBe('4:4 cannot specify @external-id twice');
  });

  it('refuses attributes on a nested package and on a top-level use', () => {
    expect(failure('package a:b;\n@since(version = 1.0.0)\npackage c:d {}\n')).toBe(
      '3:1 cannot place attributes on nested packages',
    );
    expect(failure('package a:b;\ninterface i {}\n@since(version = 1.0.0)\nuse i as j;\n')).toBe(
      '4:1 attributes not allowed on top-level use',
    );
  });

  it('checks @since against the package version at the item name', () => {
    expect(failure('package a:b;\n@since(version = 1.0.0)\ninterface i {}\n')).toBe(
      '3:11 package [a:b] contains a feature gate with a version specifier, so it must have a version',
    );
    expect(
      failure('package a:b@1.0.0;\ninterface i {\n  @since(version = 1.1.0)\n  f: func();\n}\n'),
    ).toBe(
      '4:3 feature gate cannot reference unreleased version 1.1.0 of package [a:b@1.0.0] (current version 1.0.0)',
    );
  });
});

describe('references to gated types', () => {
  const GATED =
    'found a reference to a type which is excluded due to its feature not being activated';
  const iface = (body: string): string =>
    `package a:b@1.0.0;\ninterface i {\n  @unstable(feature = off)\n  type g = u32;\n${body}}\n`;

  it('points at the function, through anonymous types', () => {
    expect(failure(iface('  f: func(x: list<option<g>>);\n'))).toBe(`5:3 ${GATED}`);
    expect(failure(iface('  f: func() -> tuple<u32, g>;\n'))).toBe(`5:3 ${GATED}`);
  });

  it('points at a kept anonymous type when it has a stability of its own', () => {
    expect(
      failure(iface('  @since(version = 1.0.0)\n  type t = u32;\n  f: func(x: tuple<t, g>);\n')),
    ).toBe(`7:14 ${GATED}`);
  });

  it('points at the field, the variant or the use that names it', () => {
    expect(failure(iface('  record r {\n    a: u32,\n    b: list<g>,\n  }\n'))).toBe(
      `7:5 ${GATED}`,
    );
    expect(failure(iface('  variant v {\n    a(g),\n  }\n'))).toBe(`5:11 ${GATED}`);
    expect(failure(`${iface('')}interface j {\n  use i.{g};\n}\n`)).toBe(`7:10 ${GATED}`);
  });

  it('refuses a gated resource of an active world, its functions gated or not', () => {
    // wasm-tools (jco-transpile 0.15.0) refuses both: a world's types are imports it cannot drop
    const world =
      'package a:b;\nworld w {\n  @unstable(feature = off)\n  resource r {\n    f: static func();\n  }\n}\n';
    expect(failure(world)).toBe(`4:12 ${GATED}`);
    expect(failure(world.replace('    f:', '    @unstable(feature = off)\n    f:'))).toBe(
      `4:12 ${GATED}`,
    );
  });

  it('refuses ungated types of a gated world', () => {
    expect(failure('package a:b;\n@unstable(feature = off)\nworld w {\n  type t = u32;\n}\n')).toBe(
      '4:8 found a reference to a world which is excluded due to its feature not being activated; this type is not gated by a feature but its world is',
    );
  });
});

describe('packages and top-level use', () => {
  it('refuses a package block inside a nested package, at its name', () => {
    expect(failure('package a:b;\npackage c:d {\n  package e:f {}\n  package g:h {}\n}\n')).toBe(
      '3:11 nested packages must be placed at the top-level',
    );
  });

  it('names in one file are unique, aliases included', () => {
    expect(failure('package a:b;\ninterface i {}\nuse i as i;\n')).toBe(
      '3:10 duplicate name `i` in this file',
    );
    expect(failure('package a:b;\ninterface i {}\nuse i as j;\nuse i as j;\n')).toBe(
      '4:10 duplicate name `j` in this file',
    );
    expect(failure('package a:b;\ninterface i {}\nworld i {}\n')).toBe(
      '3:7 duplicate item named `i`',
    );
  });

  it('a local top-level use names an interface or world, not another alias', () => {
    expect(failure('package a:b;\ninterface i {}\nuse i as j;\nuse j as k;\n')).toBe(
      '4:5 interface or world `j` does not exist',
    );
  });

  it('a foreign item named by include and use is refused at the later mention', () => {
    const text =
      'package a:b;\nworld w {\n  include c:d/x;\n  import c:d/x;\n}\npackage c:d {\n  world x {}\n}\n';
    expect(failure(text)).toBe('4:14 name `x` is defined as a world, not an interface');
  });
});

describe('include stability', () => {
  /** World `w` imports `p:q/i` with `wAttr` and includes `v`, which imports it with `vAttr`. */
  const text = (vAttr: string, wAttr: string, external = false): string => {
    const v = `world v {\n  ${vAttr}\n  import p:q/i@1.0.0;\n}\n`;
    const include = external ? 'c:d/v@1.0.0' : 'v';
    const w = `world w {\n  ${wAttr}\n  import p:q/i@1.0.0;\n  include ${include};\n}\n`;
    const other = external ? `package c:d@1.0.0 {\n${v}}\n` : '';
    return `package x:y;\npackage p:q@1.0.0 {\n  interface i {}\n}\npackage a:b@1.0.0 {\n${external ? '' : v}${w}}\n${other}`;
  };
  const importOfW = (source: string): string => {
    const { resolve } = parseWitPackage([{ path: 't.wit', text: source }], [], {
      features: ['on'],
    });
    const json = resolveToJson(resolve) as { worlds: { name: string; imports: object }[] };
    return JSON.stringify(json.worlds.find((w) => w.name === 'w')!.imports);
  };

  it('an unknown stability takes the included one', () => {
    expect(importOfW(text('@unstable(feature = on)', ''))).toContain('"unstable":{"feature":"on"}');
  });

  it('a stable item included from another package loses its stability', () => {
    expect(importOfW(text('@since(version = 1.0.0)', '', false))).toContain('"since":"1.0.0"');
    expect(importOfW(text('', '', true))).not.toContain('stability');
    expect(
      importOfW(text('@since(version = 1.0.0)', '@since(version = 1.0.0)', true)),
    ).not.toContain('stability');
  });

  it('two different stabilities clash', () => {
    expect(() => importOfW(text('@since(version = 1.0.0)', '@unstable(feature = on)'))).toThrow(
      `mismatch in stability from 'Stable { since: Version { major: 1, minor: 0, patch: 0 }, deprecated: None }' to 'Unstable { feature: "on", deprecated: None }'`,
    );
  });
});
