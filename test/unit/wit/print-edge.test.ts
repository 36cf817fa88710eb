/**
 * Printer details on a hand-assembled package: `%` escaping of keyword names (package, interface,
 * function, parameter), `@external-id` escaping of non-ASCII and control characters, docs with
 * blank and CRLF lines, `@unstable` with `@deprecated`, a non-shorthand constructor and every
 * `result` form. The expected text was checked against wasm-tools (jco-transpile `unpackWit`).
 */
import { describe, expect, it } from 'vitest';
import { decodeWit, printWitPackage } from '../../../src/wit/index.js';
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
  typeSection,
  vec,
  vt,
} from '../../support/component-builder.js';

const EDGE_PACKAGE = component(
  typeSection(
    interfaceItem('test:async/type', [
      decl.export(name('r'), desc.subResource()),
      decl.type(def.enum(['e1'])),
      decl.export(name('e'), desc.eq(1)),
      decl.type(def.own(0)),
      decl.type(def.result(vt({ idx: 3 }), vt({ idx: 2 }))),
      decl.type(def.func([], vt({ idx: 4 }))),
      decl.export(name('[constructor]r'), desc.func(5)),
      decl.type(def.result(undefined, vt({ idx: 2 }))),
      decl.type([0x6f, ...vec([vt(P.u8), vt(P.string)])]),
      decl.type(def.option(vt({ idx: 7 }))),
      decl.type(def.func([['list', vt({ idx: 8 })]], vt({ idx: 6 }))),
      decl.export(name('func'), desc.func(9)),
      decl.type(def.result()),
      decl.type(def.func([], vt({ idx: 10 }))),
      decl.export(name('g', [[2, 'é\t"x"']]), desc.func(11)),
    ]),
  ),
  exportSection('type', 0),
  packageDocs({
    interfaces: {
      type: {
        docs: 'a\r\n\nb\n',
        funcs: {
          g: { docs: 'g', stability: { unstable: { feature: 'my-feature', deprecated: '0.1.0' } } },
        },
      },
    },
  }),
);

const EDGE_WIT = `package test:%async;

/// a
///
/// b
interface %type {
  resource r {
    constructor() -> result<r, e>;
  }

  enum e {
    e1,
  }

  %func: func(%list: option<tuple<u8, string>>) -> result<_, e>;

  /// g
  @unstable(feature = my-feature)
  @deprecated(version = 0.1.0)
  @external-id("\\u{e9}\\t\\"x\\"")
  g: func() -> result;
}

`;

describe('printer edge cases', () => {
  it('escapes keywords and external ids, prints docs, gates and result forms like wasm-tools', () => {
    const { resolve, package: pkg } = decodeWit(EDGE_PACKAGE);
    expect(printWitPackage(resolve, pkg)).toBe(EDGE_WIT);
  });
});
