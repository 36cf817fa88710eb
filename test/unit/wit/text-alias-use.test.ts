/**
 * A file-level alias of a foreign interface used by an interface's `use` (`use t:a/svc@1.0.0 as
 * s;` then `use s.{id};`), as real WIT packages write it: the name check must see the foreign
 * type through the alias (wit-parser accepts this; the check once said `id` was not defined).
 */
import { describe, expect, it } from 'vitest';

import { printWitPackage } from '../../../src/wit/index.js';
import { parseWitPackage } from '../../../src/wit/parse.js';

const dep = [
  { path: 'deps/t-a/a.wit', text: 'package t:a@1.0.0;\ninterface svc { type id = u32; }\n' },
];

describe('use through a file-level alias of a foreign interface', () => {
  it('resolves the aliased type', () => {
    const main = [
      {
        path: 'main.wit',
        text: [
          'package me:app;',
          'use t:a/svc@1.0.0 as s;',
          'interface x {',
          '  use s.{id};',
          '  f: func(a: id);',
          '}',
          'world w { import x; }',
        ].join('\n'),
      },
    ];
    const { resolve, package: pkg } = parseWitPackage(main, [dep]);
    expect(printWitPackage(resolve, pkg)).toContain('use t:a/svc@1.0.0.{id};');
  });

  it('still reports a type the aliased interface does not have', () => {
    const main = [
      {
        path: 'main.wit',
        text: 'package me:app;\nuse t:a/svc@1.0.0 as s;\ninterface x {\n  use s.{nope};\n}\n',
      },
    ];
    expect(() => parseWitPackage(main, [dep])).toThrow(/nope/);
  });

  it('keeps aliases to their own file', () => {
    const main = [
      { path: 'a.wit', text: 'package me:app;\nuse t:a/svc@1.0.0 as s;\n' },
      { path: 'b.wit', text: 'interface x {\n  use s.{id};\n}\n' },
    ];
    expect(() => parseWitPackage(main, [dep])).toThrow(/`s` does not exist/);
  });
});
