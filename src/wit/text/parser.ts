/**
 * The WIT parser, top level: files, package headers, nested `package a:b { ... }` blocks,
 * top-level `use`, attributes (`@since`, `@unstable`, `@deprecated`, `@external-id`) and the
 * `ns:pkg/iface@version` paths. Interfaces, worlds and types are in `parser-items.ts`.
 *
 * Grammar: the WIT specification (component-model `WIT.md`), with wit-parser's error wording.
 */
import { parseError, type Span } from '../diagnostics.js';
import type {
  AstDocs,
  AstFile,
  AstPackageBody,
  AstPackageName,
  Attribute,
  TopItem,
  UsePath,
} from './ast.js';
import { Cursor, MAX_DEPTH } from './cursor.js';
import { tokenize } from './lexer.js';
import { parseInterface, parseWorld } from './parser-items.js';

/** Largest accepted WIT source file, in characters. */
export const MAX_SOURCE_LENGTH = 16 * 1024 * 1024;

/** Parses one file whose text starts at global offset `base`. */
export function parseFile(text: string, base: number): AstFile {
  if (text.length > MAX_SOURCE_LENGTH) {
    parseError(`source is larger than the limit of ${MAX_SOURCE_LENGTH} characters`, {
      start: base,
      end: base,
    });
  }
  const cur = new Cursor(tokenize(text, base), text, base);
  const file: AstFile = { main: { docs: { comments: [] }, items: [] }, nested: [] };
  let docs = cur.docs();
  let attrs = parseAttributes(cur);
  if (cur.isNext('package') && attrs.length === 0) {
    const start = cur.next().span;
    const name = parsePackageName(cur);
    if (cur.eat(';')) {
      file.main.name = name;
      file.main.docs = docs;
    } else {
      file.nested.push(parseNestedBody(cur, name, docs, start, 1));
    }
    docs = cur.docs();
    attrs = parseAttributes(cur);
  }
  while (cur.peek().kind !== 'eof') {
    if (cur.isNext('package') && attrs.length === 0) {
      const start = cur.next().span;
      file.nested.push(parseNestedBody(cur, parsePackageName(cur), docs, start, 1));
    } else {
      file.main.items.push(parseTopItem(cur, docs, attrs));
    }
    docs = cur.docs();
    attrs = parseAttributes(cur);
  }
  if (attrs.length > 0) cur.fail('`world`, `interface` or `use`');
  return file;
}

function parseNestedBody(
  cur: Cursor,
  name: AstPackageName,
  docs: AstDocs,
  start: Span,
  depth: number,
): AstPackageBody {
  if (depth >= MAX_DEPTH) parseError('package nesting too deep', start);
  const body: AstPackageBody = { name, docs, items: [] };
  cur.expect('{');
  for (;;) {
    const itemDocs = cur.docs();
    if (cur.eat('}')) break;
    const attrs = parseAttributes(cur);
    if (cur.isNext('package') && attrs.length === 0) {
      const inner = cur.next().span;
      const innerName = parsePackageName(cur);
      parseNestedBody(cur, innerName, itemDocs, inner, depth + 1);
      parseError('nested packages must be placed at the top-level', innerName.span);
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

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?/;

/** `@1.2.3-pre+build`, read from the raw text because semver does not follow token rules. */
export function parseOptionalVersion(cur: Cursor): string | undefined {
  if (!cur.isNext('@')) return undefined;
  cur.next();
  const tok = cur.peek();
  const local = tok.span.start - cur.base;
  const m = SEMVER.exec(cur.text.slice(local));
  if (m === null || tok.kind !== 'integer') {
    return parseError('expected a semver version', tok.span);
  }
  cur.skipTo(tok.span.start + m[0].length);
  return m[0];
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
  const span = cur.span(first.span);
  return {
    kind: 'package',
    pkg: {
      namespace: first,
      name: pkgName,
      ...(version === undefined ? {} : { version }),
      span,
    },
    name,
    span,
  };
}

/** Zero or more `@attr(...)` before an item. */
export function parseAttributes(cur: Cursor): Attribute[] {
  const attrs: Attribute[] = [];
  while (cur.isNext('@')) {
    const at = cur.next().span;
    const tok = cur.peek();
    if (tok.kind !== 'id') cur.fail('an identifier', tok);
    cur.next();
    attrs.push(parseAttribute(cur, tok.text, at, tok.span));
    cur.docs();
  }
  return attrs;
}

function parseAttribute(cur: Cursor, name: string, at: Span, nameSpan: Span): Attribute {
  switch (name) {
    case 'since':
    case 'deprecated': {
      cur.expect('(');
      expectKey(cur, 'version');
      cur.expect('=');
      const tok = cur.peek();
      const local = tok.span.start - cur.base;
      const m = SEMVER.exec(cur.text.slice(local));
      if (m === null || tok.kind !== 'integer') parseError('expected a semver version', tok.span);
      cur.skipTo(tok.span.start + m[0].length);
      cur.expect(')');
      return { kind: name, version: m[0], span: cur.span(at) };
    }
    case 'unstable': {
      cur.expect('(');
      expectKey(cur, 'feature');
      cur.expect('=');
      const feature = cur.ident();
      cur.expect(')');
      return { kind: 'unstable', feature: feature.name, span: cur.span(at) };
    }
    case 'external-id': {
      cur.expect('(');
      const tok = cur.next();
      if (tok.kind !== 'string') cur.fail('a string', tok);
      cur.expect(')');
      return { kind: 'external-id', value: tok.text, span: cur.span(at) };
    }
    default:
      return parseError(`unknown attribute \`${name}\``, nameSpan);
  }
}

function expectKey(cur: Cursor, key: string): void {
  const tok = cur.peek();
  if (tok.kind === 'id' && tok.text === key) {
    cur.next();
    return;
  }
  const found = tok.kind === 'id' ? `\`${tok.text}\`` : undefined;
  if (found !== undefined) parseError(`expected \`${key}\`, found ${found}`, tok.span);
  cur.fail(`\`${key}\``, tok);
}
