/**
 * Inputs on which our decoder and wasm-tools disagreed in differential fuzzing (bench/wit-diff.mjs),
 * one per fixed class. Each expectation is the verdict of wasm-tools via jco-transpile 0.15.0
 * (`unpackWit`), noted next to the case; `WIT_DUMP=<dir>` writes the hand-assembled inputs there
 * so the verdicts can be re-checked against the reference.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WitDepsError } from '../../../src/errors.js';
import { decodeWit, printWitAll, printWitPackage } from '../../../src/wit/index.js';
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
  vt,
} from '../../support/component-builder.js';

const CASES = join(import.meta.dirname, 'validate-cases');

function dump(label: string, bytes: Uint8Array): Uint8Array {
  const dir = process.env['WIT_DUMP'];
  if (dir !== undefined) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${label}.wasm`), bytes);
  }
  return bytes;
}

function refused(bytes: Uint8Array): WitDepsError {
  try {
    decodeWit(bytes);
  } catch (error) {
    if (error instanceof WitDepsError) return error;
    throw error;
  }
  throw new Error('expected the decoder to refuse the input');
}

function printed(bytes: Uint8Array): string {
  const { resolve, package: pkg } = decodeWit(bytes);
  return printWitPackage(resolve, pkg);
}

/** Interface `a:b/i` with `record r`, and `f: func(x: <param>)`; index 1 is the exported `r`. */
function recordParam(paramIndex: number): Uint8Array {
  return component(
    typeSection(
      interfaceItem('a:b/i', [
        decl.type(def.record([['a', vt(P.u8)]])),
        decl.export(name('r'), desc.eq(0)),
        decl.type(def.func([['x', vt({ idx: paramIndex })]])),
        decl.export(name('f'), desc.func(2)),
      ]),
    ),
    exportSection('i', 0),
  );
}

/** A dependency instance whose own function takes the unexported record: imported by `a:b/i`. */
function importedUnnamed(): Uint8Array {
  const dep = def.instance([
    decl.type(def.record([['a', vt(P.u8)]])),
    decl.type(def.func([['x', vt({ idx: 0 })]])),
    decl.export(name('g'), desc.func(1)),
  ]);
  return component(
    typeSection(
      interfaceItem(
        'a:b/i',
        [decl.type(def.func([])), decl.export(name('f'), desc.func(0))],
        [decl.type(dep), decl.import(name('c:d/j'), desc.instance(0))],
        1,
      ),
    ),
    exportSection('i', 0),
  );
}

/** World `a:b/w` importing `f: func(x: r)` where `r` is an outer record never imported. */
function worldUnnamed(): Uint8Array {
  return component(
    typeSection(
      def.component([
        decl.type(def.record([['a', vt(P.u8)]])),
        decl.type(
          def.component([
            decl.aliasOuter(1, 0),
            decl.type(def.func([['x', vt({ idx: 0 })]])),
            decl.import(name('f'), desc.func(1)),
          ]),
        ),
        decl.export(name('a:b/w'), desc.component(1)),
      ]),
    ),
    exportSection('w', 0),
  );
}

/** Interface `a:b/i` with resources `a` and `b` and the function `name` on `a`, borrowing `self`. */
function resourceFunc(funcName: string, borrowed: number): Uint8Array {
  return component(
    typeSection(
      interfaceItem('a:b/i', [
        decl.export(name('a'), desc.subResource()),
        decl.export(name('b'), desc.subResource()),
        decl.type(def.borrow(borrowed)),
        decl.type(def.func([['self', vt({ idx: 2 })]])),
        decl.export(name(funcName), desc.func(3)),
      ]),
    ),
    exportSection('i', 0),
  );
}

/** `c:d/x` ← `e:f/y` ← `c:d/x2`: foreign packages `c:d` and `e:f` use each other's types. */
function foreignCycle(): Uint8Array {
  const reexport = (outer: number): number[] =>
    def.instance([decl.aliasOuter(1, outer), decl.export(name('t'), desc.eq(0))]);
  return component(
    typeSection(
      interfaceItem(
        'a:b/i',
        [],
        [
          decl.type(def.instance([decl.type([P.u8]), decl.export(name('t'), desc.eq(0))])),
          decl.import(name('c:d/x'), desc.instance(0)),
          decl.aliasExport(0, 't'),
          decl.type(reexport(1)),
          decl.import(name('e:f/y'), desc.instance(2)),
          decl.aliasExport(1, 't'),
          decl.type(reexport(3)),
          decl.import(name('c:d/x2'), desc.instance(4)),
        ],
        5,
      ),
    ),
    exportSection('i', 0),
  );
}

/** Interface `a:b/i` with resource `r` and `f: func() -> option<borrow<r>>`. */
function borrowResult(): Uint8Array {
  return component(
    typeSection(
      interfaceItem('a:b/i', [
        decl.export(name('r'), desc.subResource()),
        decl.type(def.borrow(0)),
        decl.type(def.option(vt({ idx: 1 }))),
        decl.type(def.func([], vt({ idx: 2 }))),
        decl.export(name('f'), desc.func(3)),
      ]),
    ),
    exportSection('i', 0),
  );
}

/** Interface `a:b/i` defining (not using) `list<list<...<u8>>>` of the given structural depth. */
function nestedLists(depth: number): Uint8Array {
  const decls = [decl.type(def.list(vt(P.u8)))];
  for (let i = 1; i < depth - 1; i++) decls.push(decl.type(def.list(vt({ idx: i - 1 }))));
  return component(typeSection(interfaceItem('a:b/i', decls)), exportSection('i', 0));
}

/** `t0 = tuple<u8, u8>`, `tK = tuple<tK-1, tK-1>`: `count` types, the last of size 2^(count+1)-1. */
function doublingTuples(count: number): Uint8Array {
  const decls = [decl.type([0x6f, 2, P.u8, P.u8])];
  for (let i = 1; i < count; i++)
    decls.push(decl.type([0x6f, 2, ...vt({ idx: i - 1 }), ...vt({ idx: i - 1 })]));
  return component(typeSection(interfaceItem('a:b/i', decls)), exportSection('i', 0));
}

/** Interface `a:b/i` importing `dep` (an empty instance named with `options`) and exporting `f`. */
function externOptions(
  dep: string,
  options: [number, string][],
  funcOptions: [number, string][] = [],
): Uint8Array {
  return component(
    typeSection(
      interfaceItem(
        'a:b/i',
        [decl.type(def.func([])), decl.export(name('f', funcOptions), desc.func(0))],
        [decl.type(def.instance([])), decl.import(name(dep, options), desc.instance(0))],
        1,
      ),
    ),
    exportSection('i', 0),
  );
}

/**
 * One instance type with a resource `r` and `[method]r.m`, imported as `c:d/x` and `c:d/y`; the
 * interface uses the `r` of import `aliased` (0: `c:d/x`, 1: `c:d/y`).
 */
function sharedInstanceType(aliased = 1): Uint8Array {
  const dep = def.instance([
    decl.export(name('r'), desc.subResource()),
    decl.type(def.borrow(0)),
    decl.type(def.func([['self', vt({ idx: 1 })]])),
    decl.export(name('[method]r.m'), desc.func(2)),
  ]);
  return component(
    typeSection(
      interfaceItem(
        'a:b/i',
        [decl.aliasOuter(1, 1), decl.export(name('r'), desc.eq(0))],
        [
          decl.type(dep),
          decl.import(name('c:d/x'), desc.instance(0)),
          decl.import(name('c:d/y'), desc.instance(0)),
          decl.aliasExport(aliased, 'r'),
        ],
        2,
      ),
    ),
    exportSection('i', 0),
  );
}

describe('decoder agrees with wasmparser validation', () => {
  it('refuses a function whose parameter is an unexported record (named-types rule)', () => {
    // wasm-tools via jco-transpile 0.15.0: "instance not valid to be used as export".
    expect(refused(dump('unnamed-export', recordParam(0))).message).toMatch(
      /^instance not valid to be used as export at byte \d+$/,
    );
    // The same interface through the exported `r` is accepted (wasm-tools: accepted).
    expect(printed(dump('named-export', recordParam(1)))).toContain('f: func(x: r);');
  });

  it('refuses an imported instance whose function uses an unexported record', () => {
    // wasm-tools via jco-transpile 0.15.0: "instance not valid to be used as import".
    expect(refused(dump('unnamed-import', importedUnnamed())).message).toMatch(
      /^instance not valid to be used as import at byte \d+$/,
    );
  });

  it('refuses a world function using a record it never imported', () => {
    // wasm-tools via jco-transpile 0.15.0: "func not valid to be used as import".
    expect(refused(dump('unnamed-world', worldUnnamed())).message).toMatch(
      /^func not valid to be used as import at byte \d+$/,
    );
  });

  it('refuses the mutated corpus binary that first showed the gap', () => {
    // A mutation of a corpus binary (seed 11, input 14144 of bench/wit-diff.mjs); wasm-tools via
    // jco-transpile 0.15.0: "instance not valid to be used as import (at offset 0x409)".
    const bytes = new Uint8Array(readFileSync(join(CASES, 'unnamed-import-mutated.wasm')));
    const error = refused(bytes);
    expect(error.code).toBe('ERR_WIT_DECODE');
    expect(error.message).toMatch(/^instance not valid to be used as import at byte \d+$/);
  });

  it('ignores unknown fields inside a package-docs stability, as serde does', () => {
    // wasm-tools via jco-transpile 0.15.0: accepted, printed with `@since(version = 1.0.0)`.
    const bytes = component(
      typeSection(interfaceItem('a:b/i@1.0.0', [])),
      exportSection('i', 0),
      packageDocs({ interfaces: { i: { stability: { stable: { since: '1.0.0', x: 1 } } } } }),
    );
    expect(printed(dump('stability-extra-field', bytes))).toContain('@since(version = 1.0.0)');
  });

  it('checks that a method borrows the resource its name says', () => {
    // wasm-tools via jco-transpile 0.15.0: accepted.
    expect(printed(dump('method-on-a', resourceFunc('[method]a.f', 0)))).toContain('f: func();');
    // wasm-tools via jco-transpile 0.15.0: "function does not match expected resource name `b`".
    expect(refused(dump('method-on-b', resourceFunc('[method]a.f', 1))).message).toMatch(
      /^function does not match expected resource name `b` at byte \d+$/,
    );
    // wasm-tools via jco-transpile 0.15.0: "static resource name is not known in this context".
    expect(refused(dump('static-on-c', resourceFunc('[static]c.f', 1))).message).toMatch(
      /static resource name is not known in this context at byte \d+$/,
    );
  });

  it('refuses a foreign interface that uses a type of a package-local interface', () => {
    // A mutation of a corpus binary (seed 7, input 4748 of `wit-diff.mjs 60000 7 flip`): a local
    // item imports `foo:chain/def`, which no item defines (its export was renamed), so it becomes
    // a foreign interface whose types come from the local `foo:chain/a`. wasm-tools via
    // jco-transpile 0.15.0 panics in wit-parser (`no entry found for key`, `visit_package`).
    const bytes = new Uint8Array(readFileSync(join(CASES, 'foreign-uses-local.wasm')));
    expect(refused(bytes).message).toMatch(/^a foreign interface uses a package-local type/);
  });

  it('refuses foreign packages that depend on each other', () => {
    // wasm-tools via jco-transpile 0.15.0: "RangeError: Maximum call stack size exceeded"
    // (wit-parser's `visit_package` recurses around the cycle).
    expect(refused(dump('foreign-cycle', foreignCycle())).message).toMatch(
      /^foreign packages depend on each other in a cycle/,
    );
  });

  it('refuses a function result that contains a borrow', () => {
    // wasm-tools via jco-transpile 0.15.0: "function result cannot contain a `borrow` type".
    expect(refused(dump('borrow-result', borrowResult())).message).toMatch(
      /^function result cannot contain a `borrow` type at byte \d+$/,
    );
  });

  it('refuses a defined type nested more than 100 deep, even unused', () => {
    // wasm-tools via jco-transpile 0.15.0: depth 100 accepted, 101 "type nesting is too deep".
    expect(printed(dump('depth-100', nestedLists(100)))).toContain('interface i {');
    expect(refused(dump('depth-101', nestedLists(101))).message).toMatch(
      /^type nesting is too deep at byte \d+$/,
    );
  });

  it('refuses a type whose effective size reaches 1,000,000', () => {
    // wasm-tools via jco-transpile 0.15.0: 18 types (size 524,287) accepted; 19 types (size
    // 1,048,575) "effective type size exceeds the limit of 1000000".
    expect(printed(dump('size-18', doublingTuples(18)))).toContain('interface i {');
    expect(refused(dump('size-19', doublingTuples(19))).message).toMatch(
      /^effective type size exceeds the limit of 1000000 at byte \d+$/,
    );
  });

  it('checks extern name options against the item they name', () => {
    // wasm-tools via jco-transpile 0.15.0: accepted (`c:d/x@1` + versionsuffix `.2.3`).
    expect(printed(dump('suffix-ok', externOptions('c:d/x@1', [[1, '.2.3']])))).toContain(
      'f: func();',
    );
    // wasm-tools via jco-transpile 0.15.0: "invalid interface version: ...".
    expect(refused(dump('bad-version', externOptions('c:d/x@1.x', []))).message).toMatch(
      /^invalid interface version in `c:d\/x@1.x` at byte \d+$/,
    );
    // wasm-tools via jco-transpile 0.15.0: "only instances can have an `versionsuffix`".
    expect(
      refused(dump('suffix-on-func', externOptions('c:d/x', [], [[1, '.1']]))).message,
    ).toMatch(/^only instances can have an `versionsuffix` at byte \d+$/);
    // wasm-tools via jco-transpile 0.15.0: "name `c:d/x` is not valid with `implements`".
    expect(
      refused(dump('implements-on-id', externOptions('c:d/x', [[0, 'e:f/g']]))).message,
    ).toMatch(/^name `c:d\/x` is not valid with `implements` at byte \d+$/);
  });

  it('gives each import of one instance type its own resources', () => {
    // wasm-tools via jco-transpile 0.15.0: accepted, `use c:d/y.{r};` and a `c:d` package with
    // interfaces `x` and `y`, each with its own `resource r { m: func(); }`.
    const { resolve, package: pkg } = decodeWit(dump('shared-instance', sharedInstanceType()));
    expect(printWitPackage(resolve, pkg)).toContain('use c:d/y.{r};');
    const dep = printWitAll(resolve, pkg).split('package c:d {')[1] ?? '';
    expect(dep.match(/resource r \{\n\s+m: func\(\);\n\s+\}/g)).toHaveLength(2);
  });

  it('keeps the first import of a shared instance type apart from the second', () => {
    // wasm-tools via jco-transpile 0.15.0: accepted, `use c:d/x.{r};`, the same `c:d` package.
    const bytes = dump('shared-instance-first', sharedInstanceType(0));
    const { resolve, package: pkg } = decodeWit(bytes);
    expect(printWitPackage(resolve, pkg)).toContain('use c:d/x.{r};');
    const dep = printWitAll(resolve, pkg).split('package c:d {')[1] ?? '';
    expect(dep.match(/resource r \{\n\s+m: func\(\);\n\s+\}/g)).toHaveLength(2);
  });
});
