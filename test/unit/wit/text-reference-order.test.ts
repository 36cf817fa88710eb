/**
 * The first of several errors, as wit-parser reports it. wit-parser resolves in phases: each
 * group of files is parsed and each of its packages (nested ones in source order, then the main
 * one) has its names resolved with foreign items as stand-ins; only then are the packages added in
 * dependency order, each one looking up its foreign interfaces, worlds and types (and checking
 * that handles to foreign types name resources) before its own items, their gates and `@since`
 * versions, its includes and the elaboration of its worlds.
 *
 * Expected messages produced by wasm-tools via jco-transpile 0.15.0
 * (`tools.componentEmbed({ witSource })`, which reports no position); the `line:col` is where
 * our snippet points, at the item wit-parser's error names.
 */
import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { parseWitPackage } from '../../../src/wit/parse.js';
import { witFailure as failure } from '../../support/wit-failure.js';

describe('with several errors, the first one reported', () => {
  it('a foreign package is looked up after every local name', () => {
    expect(
      failure(
        'package a:b;\ninterface i {\n  use nope:pkg/x.{t};\n}\ninterface j {\n  type u = nope;\n}\n',
      ),
    ).toBe('6:12 type `nope` does not exist');
  });

  it('a world `use` is checked before any interface is resolved', () => {
    expect(
      failure(
        'package a:b;\ninterface i {\n  type t = nope;\n}\nworld w {\n  use missing.{t};\n}\n',
      ),
    ).toBe('6:7 interface or world `missing` does not exist');
  });

  it('a foreign world named by a `use` is refused before interfaces are resolved', () => {
    expect(
      failure(
        'package a:b;\npackage d:x {\n  world w {}\n}\ninterface i {\n  type t = nope;\n}\nworld v {\n  include d:x/w;\n}\ninterface j {\n  use d:x/w.{t};\n}\n',
      ),
    ).toBe('12:11 name `w` is defined as a world, not an interface');
  });

  it('nested packages are checked in source order, not in dependency order', () => {
    expect(
      failure(
        'package z:main;\npackage b:two {\n  interface i {\n    type t = nope2;\n  }\n}\npackage a:one {\n  interface i {\n    type t = nope1;\n  }\n}\n',
      ),
    ).toBe('4:14 type `nope2` does not exist');
  });

  it('a nested package is checked before the main package', () => {
    expect(
      failure(
        'package a:main;\ninterface i {\n  type t = nope1;\n}\npackage b:two {\n  interface i {\n    type t = nope2;\n  }\n}\n',
      ),
    ).toBe('7:14 type `nope2` does not exist');
  });

  it('every package is checked before any is added', () => {
    expect(
      failure(
        'package z:main;\ninterface i {\n  use a:dep/i.{t};\n  type u = nope;\n}\npackage a:dep {\n  interface i {\n    use c:missing/x.{t};\n  }\n}\n',
      ),
    ).toBe('4:12 type `nope` does not exist');
  });

  it('a case-insensitive clash of world items comes after name errors', () => {
    expect(
      failure(
        'package a:b;\nworld w {\n  import foo: func();\n  import FOO: func();\n}\ninterface i {\n  type t = nope;\n}\n',
      ),
    ).toBe('7:12 type `nope` does not exist');
  });

  it('an include is applied after name errors', () => {
    expect(
      failure(
        'package a:b;\nworld w {\n  include v with { nope as x }\n}\nworld v {}\ninterface i {\n  type t = nope;\n}\n',
      ),
    ).toBe('7:12 type `nope` does not exist');
  });

  it('an `@since` version is checked after name errors', () => {
    expect(
      failure(
        'package a:b@1.0.0;\ninterface i {\n  @since(version = 9.0.0)\n  type x = u8;\n}\ninterface j {\n  type t = nope;\n}\n',
      ),
    ).toBe('7:12 type `nope` does not exist');
  });

  it('a gated type is refused after the foreign packages are looked up', () => {
    expect(
      failure(
        'package a:b;\ninterface i {\n  @unstable(feature = off)\n  type x = u8;\n  type y = x;\n}\ninterface j {\n  use nope:pkg/x.{t};\n}\n',
      ),
    ).toBe("8:7 package 'nope:pkg' not found. known packages:");
  });

  it('an `@since` version is checked after the foreign packages are looked up', () => {
    expect(
      failure(
        'package a:b@1.0.0;\ninterface i {\n  @since(version = 9.0.0)\n  type x = u8;\n}\ninterface j {\n  use nope:pkg/x.{t};\n}\n',
      ),
    ).toBe("7:7 package 'nope:pkg' not found. known packages:");
  });

  it("a foreign type is looked up before the package's own types", () => {
    expect(
      failure(
        'package a:b;\npackage d:x {\n  interface i {\n    type t = u8;\n  }\n}\ninterface i {\n  @unstable(feature = off)\n  type x = u8;\n  type y = x;\n}\ninterface j {\n  use d:x/i.{nope};\n}\n',
      ),
    ).toBe('13:14 type `nope` not defined in interface');
  });

  it('a handle to a foreign non-resource is refused when the package is added', () => {
    expect(
      failure(
        'package a:b;\npackage d:x {\n  interface i {\n    type t = u8;\n  }\n}\ninterface j {\n  use d:x/i.{t};\n  type h = borrow<t>;\n  type u = nope;\n}\n',
      ),
    ).toBe('10:12 type `nope` does not exist');
  });

  it('foreign interfaces are looked up in order of first mention, across packages', () => {
    expect(
      failure(
        'package a:b;\npackage d:x {\n  interface x {}\n}\nworld w {\n  import d:x/x;\n  import e:y/y;\n  import d:x/z;\n}\n',
      ),
    ).toBe("7:10 package 'e:y' not found. known packages:");
  });

  it('a handle to a foreign type is checked with the foreign items, before gates', () => {
    expect(
      failure(
        'package a:b;\npackage d:x {\n  interface i {\n    type t = u8;\n  }\n}\ninterface i {\n  @unstable(feature = off)\n  type x = u8;\n  type y = x;\n}\ninterface j {\n  use d:x/i.{t};\n  type h = borrow<t>;\n}\n',
      ),
    ).toBe('14:19 type used in a handle must be a resource');
  });
});

// jco reports only `failed to parse package` for a folder, so this order comes from wit-parser's
// source (`SourceMap::parse_inner`): file by file, a file is parsed, then its nested packages
// are resolved, before the next file is parsed.
describe('in a folder of several files', () => {
  it('the nested packages of a file are checked before the next file is parsed', () => {
    const files = [
      {
        path: 'a.wit',
        text: 'package a:main;\npackage b:two {\n  interface i {\n    type t = nope2;\n  }\n}\n',
      },
      { path: 'b.wit', text: 'interface j {\n  type = ;\n}\n' },
    ];
    let rendered = '';
    try {
      parseWitPackage(files);
    } catch (err) {
      if (!(err instanceof WitDepsError)) throw err;
      rendered = String(err.details.rendered);
    }
    expect(rendered).toMatch(/^type `nope2` does not exist\n\s+--> a\.wit:4:14/);
  });
});
