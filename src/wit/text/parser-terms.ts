/**
 * The small productions both levels of the WIT parser use (the top level in `parser.ts`, the
 * interfaces, worlds and types in `parser-items.ts`): package names with their versions, `use`
 * paths and attributes (`@since`, `@unstable`, `@deprecated`, `@external-id`).
 */
import { parseError, type Span } from '../diagnostics.js';
import type { AstPackageName, Attribute, UsePath } from './ast.js';
import type { Cursor } from './cursor.js';
import { parseVersion } from './semver.js';

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
