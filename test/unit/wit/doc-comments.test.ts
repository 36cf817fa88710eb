/**
 * `/** … *\/` block doc comments become docs text exactly as wit-parser's `docs()` builds it: the
 * delimiters go, each comment is trimmed at its end, the smallest leading-whitespace run over the
 * comments is cut (in spaces) from the start of each comment only, and continuation lines keep their
 * indentation and `*` as written. `wit print` prints that text line by line and `wit build` writes it
 * to the `package-docs` section, so both match wasm-tools byte for byte.
 *
 * The expected strings were checked against wit-parser's algorithm run with Rust's own `trim_end`,
 * `is_ascii_whitespace` and `lines` (and, for the plain comments case, against wit-parser's JSON in
 * the corpus).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferIo } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import { decodeWit } from '../../../src/wit/index.js';
import { getInterface, getPackage } from '../../../src/wit/model.js';
import { parseWitPackage } from '../../../src/wit/parse.js';
import { sections } from '../../support/wasm-sections.js';
import { CORPUS } from '../../support/wit-corpus.js';
import { FIXTURES } from '../../support/wit-fixtures.js';

const FIXTURE = join(FIXTURES, 'wit-docs/package.wit');

/** The fixture's docs, in serde's field order, as wit-component writes them to `package-docs`. */
const EXPECTED_METADATA = {
  docs: '\n * A key-value store, in the style of packages published with wkg.\n *\n * Keys are UTF-8 strings; values are bytes.',
  worlds: {
    app: {
      docs: '\n  A world with the store.\n\n    Indented second paragraph.',
      func_exports: { run: { docs: 'Runs the app.' } },
      interface_import_docs: { 'acme:kv/store@0.1.0': '\n   * The store, imported.' },
    },
  },
  interfaces: {
    store: {
      docs: 'The store itself.',
      funcs: {
        set: {
          docs: 'Sets a value.\n      Overwrites any existing value.\n\n      Fails when the store is full.',
        },
        get: { docs: '\n   *Gets a value.\n   *Returns none when the key is missing.' },
        delete: {
          docs: '\n\t * Deletes a key.\n\t *\n\t *\tDeleting a missing key is not an error.',
        },
        keys: { docs: '\tLists the keys, in no fixed order.' },
      },
      types: {
        error: {
          docs: '\n   * A failure of a store operation.',
          items: {
            'invalid-key': 'The key is not valid UTF-8.',
            full: '\n     *Storage is full.\n     *Free some space and retry.',
          },
        },
        entry: {
          docs: '\n   * One entry.',
          items: { key: 'The key.\n        Never empty.', value: 'The value.\nUp to 1 MiB.' },
        },
      },
    },
  },
};

/** The `package-docs` payload of a binary: version byte, then the JSON text. */
function packageDocs(bytes: Uint8Array): { version: number; json: string } {
  const found = sections(bytes).filter((s) => s.name === 'package-docs');
  expect(found).toHaveLength(1);
  const raw = found[0]!.bytes;
  // id byte, section size, name length + name; the payload is what follows the name.
  const text = Buffer.from(raw).toString('latin1');
  const at = text.indexOf('package-docs') + 'package-docs'.length;
  return { version: raw[at]!, json: Buffer.from(raw.subarray(at + 1)).toString('utf8') };
}

/** The docs of interface `i` declared right after `comments` in a one-file package. */
function interfaceDocs(comments: string): string | undefined {
  const text = `package a:b;\n\n${comments}\ninterface i {}\n`;
  const { resolve, package: id } = parseWitPackage([{ path: 'a.wit', text }]);
  return getInterface(resolve, getPackage(resolve, id).interfaces.get('i')!).docs.contents;
}

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'wit-doc-comments-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('block doc comments', () => {
  it('wit build writes each docs string as wit-parser builds it to package-docs', async () => {
    const io = bufferIo({ cwd: work });
    expect(await main(['wit', 'build', FIXTURE, '-o', 'kv.wasm'], io)).toBe(0);
    const { version, json } = packageDocs(new Uint8Array(await readFile(join(work, 'kv.wasm'))));
    expect(version).toBe(1);
    // The exact text, so key order and escapes are checked too, not only the values.
    expect(json).toBe(JSON.stringify(EXPECTED_METADATA));
  });

  it('keeps the docs through the binary: decoding what wit build wrote gives them back', async () => {
    const io = bufferIo({ cwd: work });
    expect(await main(['wit', 'build', FIXTURE, '-o', 'kv.wasm'], io)).toBe(0);
    const { resolve, package: id } = decodeWit(
      new Uint8Array(await readFile(join(work, 'kv.wasm'))),
    );
    const pkg = getPackage(resolve, id);
    expect(pkg.docs.contents).toBe(EXPECTED_METADATA.docs);
    const store = getInterface(resolve, pkg.interfaces.get('store')!);
    expect(store.functions.get('set')!.docs.contents).toBe(
      EXPECTED_METADATA.interfaces.store.funcs.set.docs,
    );
  });

  it('wit print prints every docs line after `/// `, continuation indentation included', async () => {
    const io = bufferIo({ cwd: work });
    expect(await main(['wit', 'print', FIXTURE], io)).toBe(0);
    const out = io.out();
    expect(out.startsWith('///\n///  * A key-value store')).toBe(true);
    expect(out).toContain(
      '  ///\n  ///    * A failure of a store operation.\n  enum error {\n' +
        '    /// The key is not valid UTF-8.\n    invalid-key,\n' +
        '    ///\n    ///      *Storage is full.\n    ///      *Free some space and retry.\n    full,\n',
    );
    expect(out).toContain('    /// The key.\n    ///         Never empty.\n    key: string,\n');
    expect(out).toContain(
      '  /// Sets a value.\n  ///       Overwrites any existing value.\n  ///\n' +
        '  ///       Fails when the store is full.\n  set: func(',
    );
    expect(out).toContain(
      '  ///\n  /// \t * Deletes a key.\n  /// \t *\n  /// \t *\tDeleting a missing key is not an error.\n',
    );
    expect(out).toContain('  /// \tLists the keys, in no fixed order.\n  keys: func(');
    expect(out).toContain(
      '///\n///   A world with the store.\n///\n///     Indented second paragraph.\n',
    );
    expect(io.err()).toBe('');
  });

  it('handles the edge cases as wit-parser does, and matches its JSON for plain comments', async () => {
    const cases: [string, string][] = [
      // interior trailing blanks stay; only the end of a whole comment is trimmed
      ['/** First.   \n\n   Third. */', 'First.   \n\n   Third.'],
      [
        '/**\r\n * CRLF line one.\r\n * CRLF line two.\r\n */',
        '\n * CRLF line one.\n * CRLF line two.',
      ],
      ['// a\r\n// b\r', 'a\nb'],
      ['/***/', ''],
      ['/**\n\n\n */', ''],
      // a leading tab is counted but only spaces are cut, so it stays
      ['/**\tTab first. */', '\tTab first.'],
      // the cut is the smallest over the comments, applied to each comment's start only
      [
        '///   three\n///  two\n/**  two in a block\n      six */',
        ' three\ntwo\ntwo in a block\n      six',
      ],
      ['//\n/// after an empty line comment', '\nafter an empty line comment'],
      ['/* plain block */', '* plain block */'],
      ['/// x\n/** /* nested */ y */', 'x\n/* nested */ y'],
      // Rust's trim_end: Unicode White_Space (U+3000) goes, U+FEFF (not White_Space) stays
      ['/** trailing ideographic space\u3000*/', 'trailing ideographic space'],
      ['/** keeps a BOM \ufeff*/', 'keeps a BOM \ufeff'],
      ['/** a lone \r inside */', 'a lone \r inside'],
    ];
    for (const [comments, docs] of cases)
      expect([comments, interfaceDocs(comments)]).toEqual([comments, docs]);

    const dir = join(CORPUS, 'wit-parser-ui/comments');
    const text = await readFile(join(dir, 'comments.wit'), 'utf8');
    const want = JSON.parse(await readFile(join(dir, 'comments.wit.json'), 'utf8')) as {
      interfaces: { docs: { contents: string } }[];
    };
    const { resolve } = parseWitPackage([{ path: 'comments.wit', text }]);
    expect(resolve.interfaces[0]!.docs.contents).toBe(want.interfaces[0]!.docs.contents);
  });
});
