/**
 * The WIT parser, top level: files, package headers, nested `package a:b { ... }` blocks,
 * top-level `use`, attributes (`@since`, `@unstable`, `@deprecated`, `@external-id`) and the
 * `ns:pkg/iface@version` paths. Interfaces, worlds and types are in `parser-items.ts`.
 *
 * Grammar: the WIT specification (component-model `WIT.md`), with wit-parser's error wording.
 */
import { limitError, parseError, type Span } from '../diagnostics.js';
import type {
  AstDocs,
  AstFile,
  AstPackageBody,
  AstPackageName,
  Attribute,
  TopItem,
  UsePath,
} from './ast.js';
import { parseVersion } from './semver.js';
import { Cursor, MAX_DEPTH } from './cursor.js';
import { tokenize } from './lexer.js';
import { parseInterface, parseWorld } from './parser-items.js';

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

/** `ns:name` with an optional `@version`. */
export function parsePackageName(cur: Cursor): AstPackageName {
  const namespace = cur.ident();
  cur.expect(':');
  const name = cur.ident();
  const version = parseOptionalVersion(cur);
  return {
    namespace,
    name,
    ...(version === undefined ? {} : { version }),
    span: cur.span(namespace.span),
  };
}

/** `@1.2.3-pre+build` when the next token is `@`. */
export function parseOptionalVersion(cur: Cursor): string | undefined {
  if (!cur.eat('@')) return undefined;
  return parseVersion(cur).text;
}

/** `iface` or `ns:pkg/iface@version`. */
export function parseUsePath(cur: Cursor): UsePath {
  const first = cur.ident();
  if (!cur.isNext(':')) return { kind: 'local', name: first };
  cur.next();
  const pkgName = cur.ident();
  cur.expect('/');
  const name = cur.ident();
  const version = parseOptionalVersion(cur);
  return {
    kind: 'package',
    pkg: {
      namespace: first,
      name: pkgName,
      ...(version === undefined ? {} : { version }),
      // wit-parser's span for the package of a path: `ns:name`, without `/iface@version`.
      span: { start: first.span.start, end: pkgName.span.end },
    },
    name,
    span: cur.span(first.span),
  };
}

/** Zero or more `@attr(...)` before an item. */
export function parseAttributes(cur: Cursor): Attribute[] {
  const attrs: Attribute[] = [];
  while (cur.isNext('@')) {
    cur.next();
    const name = cur.ident();
    attrs.push(parseAttribute(cur, name.name, name.span));
    cur.docs();
  }
  return attrs;
}

/** One attribute after its `@name`; its span is the name's, as wit-parser reports it. */
function parseAttribute(cur: Cursor, name: string, nameSpan: Span): Attribute {
  switch (name) {
    case 'since':
    case 'deprecated': {
      cur.expect('(');
      expectKey(cur, 'version');
      cur.expect('=');
      const version = parseVersion(cur).text;
      cur.expect(')');
      return { kind: name, version, span: nameSpan };
    }
    case 'unstable': {
      cur.expect('(');
      expectKey(cur, 'feature');
      cur.expect('=');
      const feature = cur.ident();
      cur.expect(')');
      return { kind: 'unstable', feature: feature.name, span: nameSpan };
    }
    case 'external-id': {
      cur.expect('(');
      const tok = cur.next();
      if (tok.kind !== 'string') cur.fail('a string literal', tok);
      cur.expect(')');
      return { kind: 'external-id', value: tok.text, span: nameSpan };
    }
    default:
      return parseError(`unknown attribute \`${name}\``, nameSpan);
  }
}

/** `version` / `feature` before `=`: any identifier parses, then it must be the right one. */
function expectKey(cur: Cursor, key: string): void {
  const id = cur.ident();
  if (id.name !== key) parseError(`expected \`${key}\`, found \`${id.name}\``, id.span);
}
