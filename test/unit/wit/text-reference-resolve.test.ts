/**
 * Divergences from wit-parser found by the differential driver (bench/wit-text-diff.mjs) in the
 * resolver and the decoder. wit-parser resolves every item before it applies feature gates, so
 * gated items still need their names to exist, and the anonymous types they spell are interned;
 * foreign packages must exist even when only gated items name them; types left in a gated-out
 * inline interface are errors. The decoder refuses what wasmparser refuses in binaries that
 * wit-component writes from valid text: `stream<char>` (also through an alias), and a method or
 * static function named as its resource (`[method]r.r` against `r`).
 *
 * Expected messages produced by wasm-tools via jco-transpile 0.15.0 (wasm-tools crates 0.259.0:
 * `tools.componentEmbed({ witSource })` for text, `unpackWit` for binaries).
 */
import { describe, expect, it } from 'vitest';
import { encodeWitPackage } from '../../../src/wit/encode/index.js';
import { decodeWit } from '../../../src/wit/index.js';
import { parseWitPackage } from '../../../src/wit/parse.js';
import { iface, witFailure as failure } from '../../support/wit-failure.js';

const GATED_TYPE =
  'found a reference to a type which is excluded due to its feature not being activated';

describe('items dropped by a feature gate', () => {
  it('still need the names they use to exist', () => {
    expect(failure(iface('  @unstable(feature = off)\n  f: func(x: nope);'))).toBe(
      '4:14 name `nope` does not exist',
    );
  });

  it('intern the anonymous types of a gated definition as dropped', () => {
    const body = '  @unstable(feature = off)\n  record r {\n    x: option<future>,\n  }\n';
    expect(failure(iface(`${body}  f: func(x: future);`))).toMatch(GATED_TYPE);
  });

  it('but not those of a gated function, which take no stability from it', () => {
    const body = '  @unstable(feature = off)\n  f: func(x: option<future>);\n';
    expect(failure(iface(`${body}  g: func(x: option<future>);`))).toBe('ok');
  });

  it('still name local interfaces and worlds that must exist', () => {
    const world = (item: string): string =>
      `package a:b;\nworld w {\n  @unstable(feature = off)\n  ${item}\n}\n`;
    expect(failure(world('import nope;'))).toBe('4:10 interface or world `nope` does not exist');
    expect(failure(world('include nope;'))).toBe('4:11 interface or world `nope` does not exist');
  });

  it('are resolved whole when a gate drops a whole interface or world', () => {
    const gated = (item: string): string => `package a:b;\n@unstable(feature = off)\n${item}\n`;
    expect(failure(gated('interface i {\n  record r {\n    x: nope,\n  }\n}'))).toBe(
      '5:8 type `nope` does not exist',
    );
    expect(failure(gated('world w {\n  import f: func(x: nope);\n}'))).toBe(
      '4:21 name `nope` does not exist',
    );
    const body =
      '  @unstable(feature = off)\n  type t = u32;\n  @unstable(feature = off)\n  type u = t;';
    expect(failure(gated(`interface i {\n${body}\n}`))).toBe('ok');
  });

  it('name foreign packages that must exist', () => {
    expect(failure(iface('  @unstable(feature = off)\n  use foo:io/error.{error};'))).toBe(
      "4:7 package 'foo:io' not found. known packages:",
    );
  });
});

describe('gated types of an active world', () => {
  const world = (item: string): string =>
    `package a:b;\ninterface i {\n  type t = u8;\n}\nworld w {\n  @unstable(feature = off)\n  ${item}\n}\n`;

  it.each([
    ['type u = u8;', '7:8'],
    ['variant v {\n    n(tuple<u8>),\n  }', '7:11'],
    ['use i.{t};', '7:10'],
    ['resource r;', '7:12'],
  ])('are refused: %j', (item, at) => {
    expect(failure(world(item))).toBe(`${at} ${GATED_TYPE}`);
  });

  it('are fine in a gated world', () => {
    expect(
      failure(world('type u = u8;').replace('world w', '@unstable(feature = off)\nworld w')),
    ).toBe('ok');
  });
});

describe('types left in a gated-out interface', () => {
  it('are errors in an inline interface of a gated world item', () => {
    const text =
      'package a:b;\nworld w {\n  @unstable(feature = off)\n  import x: interface {\n    type t = u32;\n  }\n}\n';
    expect(failure(text)).toBe(
      '5:10 found a reference to a interface which is excluded due to its feature not being activated; this type is not gated by a feature but its interface is',
    );
  });

  it('are reported after the gated references of all interfaces', () => {
    const text = [
      'package a:b;',
      '@unstable(feature = off)',
      'interface g {\n  type t = u32;\n}',
      iface('  @unstable(feature = off)\n  record r {\n    x: u32,\n  }\n  f: func(x: r);').slice(
        13,
      ),
    ].join('\n');
    expect(failure(text)).toBe(`11:3 ${GATED_TYPE}`);
  });
});

describe('function names used as types', () => {
  it('a function is known as such from its own signature on', () => {
    expect(failure(iface('  f: func() -> f;'))).toBe('3:16 cannot use function `f` as a type');
  });

  it('a function is known as such only after its definition', () => {
    expect(failure(iface('  f: func() -> g;\n  g: func();'))).toBe('3:16 name `g` does not exist');
    expect(failure(iface('  g: func();\n  f: func() -> g;'))).toBe(
      '4:16 cannot use function `g` as a type',
    );
  });
});

describe('borrow in results', () => {
  it.each(['stream<borrow<r>>', 'future<tuple<char, borrow<r>>>', 'list<stream<borrow<r>>, 3>'])(
    'is found through future and stream payloads: %s',
    (result) => {
      expect(failure(iface(`  resource r;\n  f: async func() -> ${result};`))).toBe(
        '4:3 function `f` returns a type which contains a `borrow<T>` which is not supported',
      );
    },
  );
});

describe('world includes', () => {
  const worlds =
    'package a:b;\nworld a {\n  import x: func();\n}\nworld b {\n  include a;\n  import x: func();\n}\n';

  it('are merged after every world has resolved its own items', () => {
    expect(failure(`${worlds}world c {\n  type u = nope;\n}\n`)).toBe(
      '10:12 type `nope` does not exist',
    );
    expect(failure(worlds)).toBe('6:11 import of `x` shadows previously imported items');
  });
});

describe('decoder: binaries wit-parser writes but wasmparser refuses', () => {
  const encode = (body: string): Uint8Array => {
    const { resolve, package: id } = parseWitPackage([{ path: 't.wit', text: iface(body) }]);
    return encodeWitPackage(resolve, id, { producersVersion: '0.0.0' });
  };
  const STREAM_CHAR =
    '`stream<char>` is not valid at this time, use `stream<u8>` with a defined by encoding instead for now';

  it.each([['  f: func() -> stream<char>;'], ['  type c = char;\n  f: func() -> stream<c>;']])(
    'stream<char>: %j',
    (body) => {
      expect(() => decodeWit(encode(body))).toThrow(STREAM_CHAR);
    },
  );

  it.each([
    ['  resource r {\n    r: func();\n  }', '`[method]r.r` conflicts with previous name `r`'],
    [
      '  resource r {\n    r: static func();\n  }',
      '`[static]r.r` conflicts with previous name `r`',
    ],
  ])('a method named as its resource: %j', (body, message) => {
    expect(() => decodeWit(encode(body))).toThrow(message);
  });

  it.each([
    ['  resource r {\n    f: func();\n  }\n  f: func();'],
    ['  resource r {\n    f: func();\n  }\n  resource s {\n    f: func();\n  }'],
    ['  resource r {\n    s: func();\n  }\n  resource s;'],
  ])('other names do not conflict: %j', (body) => {
    expect(() => decodeWit(encode(body))).not.toThrow();
  });
});
