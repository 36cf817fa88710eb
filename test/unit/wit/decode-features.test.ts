/**
 * Decoder + printer on hand-assembled binaries for what the corpus does not cover: async
 * functions and methods, `future`/`stream`/`error-context`, `map`, fixed-length lists,
 * `@external-id`, `package-docs` stability and statement docs, the legacy single `wit` export,
 * `versionsuffix`, and the typed errors for malformed input. The expected texts were checked
 * against wasm-tools (jco-transpile's `unpackWit`) on the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { decodeWit, printWitPackage } from '../../../src/wit/index.js';
import type { PackageId } from '../../../src/wit/model.js';
import {
  component,
  decl,
  def,
  desc,
  exportSection,
  interfaceItem,
  name,
  P,
  packageDocs,
  section,
  str,
  typeSection,
  u32,
  vec,
  vt,
  worldItem,
  type Bytes,
} from '../../support/component-builder.js';

const ASYNC_PACKAGE = component(
  typeSection(
    interfaceItem('a:b/i@1.0.0', [
      decl.export(name('r'), desc.subResource()),
      decl.type(def.fixedList(vt(P.u8), 4)),
      decl.export(name('bytes4'), desc.eq(1)),
      decl.type(def.map(vt(P.string), vt(P.u32))),
      decl.export(name('m', [[2, 'ext/m']]), desc.eq(3)),
      decl.type(def.future(vt(P.u32))),
      decl.export(name('f'), desc.eq(5)),
      decl.type(def.stream()),
      decl.export(name('s'), desc.eq(7)),
      decl.type(def.borrow(0)),
      decl.type(def.func([['self', vt({ idx: 9 })]], undefined, true)),
      decl.export(name('[method]r.go'), desc.func(10)),
      decl.type(def.func([], vt(P.string), true)),
      decl.export(name('[static]r.make'), desc.func(11)),
      decl.type(def.func([['x', vt(P.errorContext)]], vt({ idx: 6 }), true)),
      decl.export(name('run', [[2, 'id "x"\n']]), desc.func(12)),
    ]),
  ),
  exportSection('i', 0),
  packageDocs({}),
);

const ASYNC_WIT = `package a:b@1.0.0;

interface i {
  resource r {
    go: async func();
    make: static async func() -> string;
  }

  type bytes4 = list<u8, 4>;

  @external-id("ext/m")
  type m = map<string, u32>;

  type f = future<u32>;

  type s = stream;

  @external-id("id \\"x\\"\\n")
  run: async func(x: error-context) -> f;
}

`;

const IFACE_DECLS: Bytes[] = [
  decl.type(def.enum(['x', 'y'])),
  decl.export(name('e'), desc.eq(0)),
  decl.type(def.func([['a', vt({ idx: 1 })]])),
  decl.export(name('f'), desc.func(2)),
];

function docsPackage(docs: Bytes): Uint8Array {
  return component(
    typeSection(interfaceItem('a:b/i@1.0.0', IFACE_DECLS)),
    exportSection('i', 0),
    typeSection(
      worldItem('a:b/w@1.0.0', [
        decl.type(def.instance(IFACE_DECLS)),
        decl.import(name('a:b/i@1.0.0'), desc.instance(0)),
        decl.type(def.func([])),
        decl.export(name('g'), desc.func(1)),
      ]),
    ),
    exportSection('w', 2),
    docs,
  );
}

const DOCS = {
  docs: 'pkg docs',
  worlds: {
    w: {
      docs: 'world docs',
      stability: { stable: { since: '1.0.0' } },
      funcs: { g: { docs: 'g docs', stability: { unstable: { feature: 'fancy' } } } },
      interface_import_stability: {
        'a:b/i@1.0.0': { stable: { since: '0.9.0', deprecated: '1.0.0' } },
      },
      interface_import_docs: { 'a:b/i@1.0.0': 'import docs' },
    },
  },
  interfaces: {
    i: {
      docs: 'iface docs\nline two',
      stability: { stable: { since: '1.0.0' } },
      funcs: { f: 'v0 style docs' },
      types: { e: { docs: 'enum docs', items: { y: 'the y' } } },
    },
  },
};

const DOCS_WIT = `/// pkg docs
package a:b@1.0.0;

/// iface docs
/// line two
@since(version = 1.0.0)
interface i {
  /// enum docs
  enum e {
    x,
    /// the y
    y,
  }

  /// v0 style docs
  f: func(a: e);
}

/// world docs
@since(version = 1.0.0)
world w {
  /// import docs
  @since(version = 0.9.0)
  @deprecated(version = 1.0.0)
  import i;

  /// g docs
  @unstable(feature = fancy)
  export g: func();
}
`;

const LEGACY_PACKAGE = component(
  typeSection(
    def.component([
      decl.type(def.instance([decl.type([P.u8]), decl.export(name('x'), desc.eq(0))])),
      decl.import(name('c:d/t@0', [[1, '.1.0']]), desc.instance(0)),
      decl.aliasExport(0, 'x'),
      decl.type(
        def.instance([
          decl.aliasOuter(1, 1),
          decl.export(name('x'), desc.eq(0)),
          decl.type(def.func([['v', vt({ idx: 1 })]])),
          decl.export(name('f'), desc.func(2)),
        ]),
      ),
      decl.export(name('a:b/i@1.0.0'), desc.instance(2)),
      decl.type(def.component([decl.type(def.func([])), decl.import(name('h'), desc.func(0))])),
      decl.export(name('a:b/w@1.0.0'), desc.component(3)),
    ]),
  ),
  section(11, vec([[...name('a:b/wit@1.0.0'), 0x03, ...u32(0), 0x00]])),
);

function decodeError(bytes: Uint8Array, limits = {}): WitDepsError {
  try {
    decodeWit(bytes, limits);
  } catch (error) {
    if (error instanceof WitDepsError) return error;
    throw error;
  }
  throw new Error('decoded without error');
}

describe('wit decoder features', () => {
  it('decodes async functions, handles, futures, streams, maps, fixed lists and external ids', () => {
    const { resolve, package: pkg } = decodeWit(ASYNC_PACKAGE);
    expect(printWitPackage(resolve, pkg)).toBe(ASYNC_WIT);
  });

  it('applies package-docs: docs, @since, @unstable, @deprecated, statement docs, v0 function docs', () => {
    const { resolve, package: pkg } = decodeWit(docsPackage(packageDocs(DOCS)));
    expect(printWitPackage(resolve, pkg)).toBe(DOCS_WIT);
    const v0 = decodeWit(docsPackage(packageDocs({ interfaces: { i: { funcs: { f: 'x' } } } }, 0)));
    expect(printWitPackage(v0.resolve, v0.package)).toContain('  /// x\n  f: func(a: e);\n');
  });

  it('decodes the legacy single `wit` export with a versionsuffix import', () => {
    const { resolve, package: pkg } = decodeWit(LEGACY_PACKAGE);
    expect(printWitPackage(resolve, pkg)).toBe(
      'package a:b@1.0.0;\n\ninterface i {\n  use c:d/t@0.1.0.{x};\n\n  f: func(v: x);\n}\n\nworld w {\n  import h: func();\n}\n',
    );
    expect(printWitPackage(resolve, 0 as PackageId)).toBe(
      'package c:d@0.1.0;\n\ninterface t {\n  type x = u8;\n}\n\n',
    );
  });

  it('refuses components, mismatched items and bad package-docs', () => {
    const withImport = component(section(10, vec([])));
    expect(decodeError(withImport).code).toBe('ERR_WIT_NOT_A_PACKAGE');
    const mismatched = component(
      typeSection(interfaceItem('a:b/i', [])),
      exportSection('i', 0),
      typeSection(interfaceItem('a:c/j', [])),
      exportSection('j', 2),
    );
    expect(decodeError(mismatched).message).toMatch(
      /^item defined with mismatched package name at byte \d+$/,
    );
    expect(decodeError(docsPackage(packageDocs({}, 2))).message).toContain(
      'expected version 0 or 1, got 2',
    );
    expect(
      decodeError(docsPackage(packageDocs({ interfaces: { i: { funcs: { nope: 'x' } } } })))
        .message,
    ).toContain('missing func `nope`');
    expect(decodeError(docsPackage(packageDocs({ bogus: 1 }))).message).toContain(
      'unknown field `bogus`',
    );
  });

  it('fails with offsets on malformed bytes', () => {
    const badUtf8 = component(exportSection('i', 0)).map((b) => (b === 0x69 ? 0xff : b));
    expect(decodeError(badUtf8).message).toBe('invalid UTF-8 in an extern name at byte 12');
    const longLeb = component([11, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    expect(decodeError(longLeb).message).toBe(
      'expected a section size, found an integer that is too large at byte 9',
    );
    const unnamedRecord = component(
      typeSection(
        interfaceItem('a:b/i', [
          decl.type(def.record([['a', vt(P.u8)]])),
          decl.type(def.func([['r', vt({ idx: 0 })]])),
          decl.export(name('f'), desc.func(1)),
        ]),
      ),
      exportSection('i', 0),
    );
    const emptyRecord = component(
      typeSection(
        interfaceItem('a:b/i', [decl.type(def.record([])), decl.export(name('r'), desc.eq(0))]),
      ),
      exportSection('i', 0),
    );
    expect(decodeError(emptyRecord).message).toMatch(
      /^record type must have at least one field at byte \d+$/,
    );
    const badField = component(
      typeSection(interfaceItem('a:b/i', [decl.type(def.record([['Bad-x', vt(P.u8)]]))])),
      exportSection('i', 0),
    );
    expect(decodeError(badField).message).toMatch(
      /^record field name `Bad-x` is not in kebab case at byte \d+$/,
    );
    // wasmparser's named-types rule refuses the interface before wit-parser sees the record.
    expect(decodeError(unnamedRecord).message).toMatch(
      /^instance not valid to be used as export at byte \d+$/,
    );
  });

  it('enforces size, vector and depth limits with ERR_LIMIT_EXCEEDED', () => {
    expect(decodeError(ASYNC_PACKAGE, { maxBytes: 100 }).code).toBe('ERR_LIMIT_EXCEEDED');
    expect(decodeError(ASYNC_PACKAGE, { maxVecLength: 5 }).code).toBe('ERR_LIMIT_EXCEEDED');
    const nested: Bytes[] = [decl.type(def.list(vt(P.u8)))];
    for (let i = 1; i < 30; i++) nested.push(decl.type(def.list(vt({ idx: i - 1 }))));
    nested.push(decl.export(name('deep'), desc.eq(29)));
    const deep = component(typeSection(interfaceItem('a:b/i', nested)), exportSection('i', 0));
    expect(decodeError(deep, { maxDepth: 10 }).code).toBe('ERR_LIMIT_EXCEEDED');
    const { resolve, package: pkg } = decodeWit(deep);
    expect(printWitPackage(resolve, pkg)).toContain(
      `type deep = ${'list<'.repeat(30)}u8${'>'.repeat(30)};`,
    );
  });

  it('has no string helper surprises', () => {
    expect(str('é')).toEqual([2, 0xc3, 0xa9]);
  });
});
