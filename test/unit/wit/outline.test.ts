import { describe, expect, it } from 'vitest';
import { outlineWitPackage } from '../../../src/wit/outline.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('outlineWitPackage', () => {
  it('reads the name and the foreign references without resolving them', () => {
    const outline = outlineWitPackage([
      {
        path: 'a.wit',
        text: `package acme:billing@0.1.0;

interface invoices {
  use wasi:clocks/wall-clock@0.2.0.{datetime};
  use acme:money/types.{amount};
}
`,
      },
      {
        path: 'b.wit',
        text: `// use wasi:nope/x@9.9.9; in a comment is not a reference
world billing {
  import wasi:io/streams@0.2.0;
  import wasi:io/poll@0.2.3;
  export invoices;
  include acme:inner/w;
}

package acme:inner {
  world w { import wasi:clocks/wall-clock@0.2.0; }
}
`,
      },
    ]);
    expect(outline.name).toEqual({ namespace: 'acme', name: 'billing', version: '0.1.0' });
    // nested `package acme:inner { }` is defined here, so it is not a reference
    expect(outline.references).toEqual([
      { name: 'acme:money', version: undefined },
      { name: 'wasi:clocks', version: '0.2.0' },
      { name: 'wasi:io', version: '0.2.0' },
      { name: 'wasi:io', version: '0.2.3' },
    ]);
  });

  it('renders syntax errors and reports a missing or disagreeing header', () => {
    const bad = () =>
      outlineWitPackage([
        { path: 'dep/x.wit', text: 'package a:b;\ninterface x {\n  f: func(;\n}\n' },
      ]);
    expect(thrown(bad)).toMatchObject({ code: 'ERR_WIT_PARSE' });
    expect((thrown(bad) as { details: { rendered: string } }).details.rendered).toContain(
      '--> dep/x.wit:3:',
    );
    expect(
      thrown(() => outlineWitPackage([{ path: 'x.wit', text: 'interface x {}\n' }])),
    ).toMatchObject({
      code: 'ERR_WIT_RESOLVE',
      message: 'no `package` header was found in any WIT file for this package',
    });
    expect(() =>
      outlineWitPackage([
        { path: 'a.wit', text: 'package a:b@1.0.0;\n' },
        { path: 'b.wit', text: 'package a:c@1.0.0;\n' },
      ]),
    ).toThrow(/package identifier `a:c@1.0.0` does not match previous package name of `a:b@1.0.0`/);
  });
});
