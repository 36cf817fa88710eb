/**
 * The WIT parser, top level: files, package headers, nested `package a:b { ... }` blocks,
 * top-level `use`, attributes (`@since`, `@unstable`, `@deprecated`, `@external-id`) and the
 * `ns:pkg/iface@version` paths (`parser-terms.ts`). Interfaces, worlds and types are in
 * `parser-items.ts`.
 *
 * Grammar: the WIT specification (component-model `WIT.md`), with wit-parser's error wording.
 */
import { limitError, parseError } from '../diagnostics.js';
import type {
  AstDocs,
  AstFile,
  AstPackageBody,
  AstPackageName,
  Attribute,
  TopItem,
} from './ast.js';
import { Cursor, MAX_DEPTH } from './cursor.js';
import { tokenize } from './lexer.js';
import { parseInterface, parseWorld } from './parser-items.js';
import { parseAttributes, parsePackageName, parseUsePath } from './parser-terms.js';

/** Largest accepted WIT source file, in characters. */
export const MAX_SOURCE_LENGTH = 16 * 1024 * 1024;

/** Parses one file whose text starts at global offset `base`. */
export function parseFile(text: string, base: number): AstFile {
  if (text.length > MAX_SOURCE_LENGTH) {
    limitError(`source is larger than the limit of ${MAX_SOURCE_LENGTH} characters`, {
      start: base,
      end: base,
    });
  }
  const cur = new Cursor(tokenize(text, base), text, base);
  const file: AstFile = { main: { docs: { comments: [] }, items: [] }, nested: [] };
  let docs = cur.docs();
  let attrs = parseAttributes(cur);
  if (cur.isNext('package') && attrs.length === 0) {
    cur.next();
    const name = parsePackageName(cur);
    if (cur.eat(';')) {
      file.main.name = name;
      file.main.docs = docs;
    } else {
      file.nested.push(parseNestedBody(cur, name, docs, 0));
    }
    docs = cur.docs();
    attrs = parseAttributes(cur);
  }
  while (cur.peek().kind !== 'eof') {
    if (cur.isNext('package')) file.nested.push(parseNested(cur, docs, attrs, 0));
    else file.main.items.push(parseTopItem(cur, docs, attrs));
    docs = cur.docs();
    attrs = parseAttributes(cur);
  }
  if (attrs.length > 0) cur.fail('`world`, `interface` or `use`');
  return file;
}

/** `package a:b { ... }` at `depth` (0 at the top level of a file). */
function parseNested(
  cur: Cursor,
  docs: AstDocs,
  attrs: Attribute[],
  depth: number,
): AstPackageBody {
  const start = cur.next().span;
  if (attrs.length > 0) parseError('cannot place attributes on nested packages', start);
  if (depth >= MAX_DEPTH) limitError('package nesting too deep', start);
  return parseNestedBody(cur, parsePackageName(cur), docs, depth);
}

/**
 * The body of a nested package. A package inside it is parsed (so syntax and depth errors come
 * first, as in wit-parser) and its name recorded: the resolver refuses it.
 */
function parseNestedBody(
  cur: Cursor,
  name: AstPackageName,
  docs: AstDocs,
  depth: number,
): AstPackageBody {
  const body: AstPackageBody = { name, docs, items: [] };
  cur.expect('{');
  for (;;) {
    const itemDocs = cur.docs();
    if (cur.eat('}')) break;
    const attrs = parseAttributes(cur);
    if (cur.isNext('package')) {
      const inner = parseNested(cur, itemDocs, attrs, depth + 1);
      body.nestedPackage ??= inner.name!.span;
      continue;
    }
    body.items.push(parseTopItem(cur, itemDocs, attrs));
  }
  return body;
}

function parseTopItem(cur: Cursor, docs: AstDocs, attrs: Attribute[]): TopItem {
  if (cur.isNext('interface'))
    return { kind: 'interface', iface: parseInterface(cur, docs, attrs) };
  if (cur.isNext('world')) return { kind: 'world', world: parseWorld(cur, docs, attrs) };
  if (cur.isNext('use')) {
    const start = cur.next().span;
    const path = parseUsePath(cur);
    const as = cur.eat('as') ? cur.ident() : undefined;
    cur.expect(';');
    return { kind: 'use', use: { path, ...(as ? { as } : {}), attrs, span: cur.span(start) } };
  }
  return cur.fail('`world`, `interface` or `use`');
}
