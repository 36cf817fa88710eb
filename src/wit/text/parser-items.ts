/**
 * The WIT parser, items: interfaces, worlds (imports, exports, includes), `use`, type definitions
 * (records, variants, enums, flags, resources, aliases), type expressions and function signatures.
 */
import { limitError, parseError, type Span } from '../diagnostics.js';
import {
  PRIMITIVE_KEYWORDS,
  type AstDocs,
  type AstFunc,
  type AstInclude,
  type AstInterface,
  type AstType,
  type AstTypeDef,
  type AstUse,
  type AstWorld,
  type Attribute,
  type ExternKind,
  type Ident,
  type InterfaceItem,
  type ResourceFunc,
  type WorldItem,
} from './ast.js';
import { MAX_DEPTH, type Cursor } from './cursor.js';
import { parseAttributes, parseUsePath } from './parser-terms.js';

export function parseInterface(cur: Cursor, docs: AstDocs, attrs: Attribute[]): AstInterface {
  cur.expect('interface');
  const name = cur.ident();
  return { name, items: parseInterfaceBody(cur), docs, attrs };
}

function parseInterfaceBody(cur: Cursor): InterfaceItem[] {
  const items: InterfaceItem[] = [];
  cur.expect('{');
  for (;;) {
    const docs = cur.docs();
    if (cur.eat('}')) return items;
    const attrs = parseAttributes(cur);
    items.push(parseInterfaceItem(cur, docs, attrs));
  }
}

function parseInterfaceItem(cur: Cursor, docs: AstDocs, attrs: Attribute[]): InterfaceItem {
  if (cur.isNext('use')) return { kind: 'use', use: parseUse(cur, docs, attrs) };
  const def = parseTypeDef(cur, docs, attrs);
  if (def !== undefined) return { kind: 'type', def };
  if (cur.isIdent()) {
    const name = cur.ident();
    cur.expect(':');
    const func = parseFunc(cur);
    cur.expect(';');
    return { kind: 'func', func: { name, func, docs, attrs } };
  }
  return cur.fail('`type`, `resource` or `func`');
}

function parseUse(cur: Cursor, docs: AstDocs, attrs: Attribute[]): AstUse {
  cur.expect('use');
  const path = parseUsePath(cur);
  cur.expect('.');
  cur.expect('{');
  const names: AstUse['names'] = [];
  while (!cur.eat('}')) {
    const name = cur.ident();
    names.push(cur.eat('as') ? { name, as: cur.ident() } : { name });
    if (!cur.eat(',')) {
      cur.expect('}');
      break;
    }
  }
  cur.expect(';');
  return { path, names, attrs, docs };
}

function parseTypeDef(cur: Cursor, docs: AstDocs, attrs: Attribute[]): AstTypeDef | undefined {
  const tok = cur.peek();
  if (tok.kind !== 'keyword') return undefined;
  const wrap = (name: Ident, body: AstTypeDef['body']): AstTypeDef => ({ name, body, docs, attrs });
  switch (tok.text) {
    case 'type': {
      cur.next();
      const name = cur.ident();
      cur.expect('=');
      const type = parseType(cur, 0);
      cur.expect(';');
      return wrap(name, { kind: 'alias', type });
    }
    case 'record': {
      cur.next();
      const name = cur.ident();
      const fields = parseList(cur, (fieldDocs) => {
        const field = cur.ident();
        cur.expect(':');
        return { name: field, type: parseType(cur, 0), docs: fieldDocs };
      });
      return wrap(name, { kind: 'record', fields });
    }
    case 'variant': {
      cur.next();
      const name = cur.ident();
      const cases = parseList(cur, (caseDocs) => {
        const id = cur.ident();
        if (!cur.eat('(')) return { name: id, docs: caseDocs };
        const type = parseType(cur, 0);
        cur.expect(')');
        return { name: id, type, docs: caseDocs };
      });
      return wrap(name, { kind: 'variant', cases });
    }
    case 'enum':
    case 'flags': {
      cur.next();
      const name = cur.ident();
      const list = parseList(cur, (docs) => ({ docs, name: cur.ident() }));
      if (tok.text === 'enum') {
        return wrap(name, { kind: 'enum', cases: list });
      }
      return wrap(name, { kind: 'flags', flags: list });
    }
    case 'resource': {
      cur.next();
      const name = cur.ident();
      const funcs: ResourceFunc[] = [];
      if (cur.eat('{')) {
        for (;;) {
          const fDocs = cur.docs();
          if (cur.eat('}')) break;
          funcs.push(parseResourceFunc(cur, fDocs, parseAttributes(cur)));
        }
      } else cur.expect(';');
      return wrap(name, { kind: 'resource', funcs });
    }
    default:
      return undefined;
  }
}

/** `{ item, item, }` with an optional trailing comma. */
function parseList<T>(cur: Cursor, item: (docs: AstDocs) => T): T[] {
  cur.expect('{');
  const out: T[] = [];
  for (;;) {
    const docs = cur.docs();
    if (cur.eat('}')) return out;
    out.push(item(docs));
    if (!cur.eat(',')) {
      cur.expect('}');
      return out;
    }
  }
}

function parseResourceFunc(cur: Cursor, docs: AstDocs, attrs: Attribute[]): ResourceFunc {
  if (cur.isNext('constructor')) {
    const tok = cur.next();
    const name = { name: 'constructor', span: tok.span };
    const params = parseParams(cur);
    const result = cur.eat('->') ? parseType(cur, 0) : undefined;
    cur.expect(';');
    const func: AstFunc = {
      async: false,
      params,
      ...(result ? { result } : {}),
      span: cur.span(tok.span),
    };
    return { kind: 'constructor', name, func, docs, attrs };
  }
  if (!cur.isIdent()) cur.fail('`constructor` or identifier');
  const name = cur.ident();
  cur.expect(':');
  const isStatic = cur.eat('static');
  const func = parseFunc(cur);
  cur.expect(';');
  return { kind: isStatic ? 'static' : 'method', name, func, docs, attrs };
}

/** `async? func(params) (-> type)?`. */
export function parseFunc(cur: Cursor): AstFunc {
  const start = cur.peek().span;
  const isAsync = cur.eat('async');
  cur.expect('func');
  const params = parseParams(cur);
  const result = cur.eat('->') ? parseType(cur, 0) : undefined;
  return { async: isAsync, params, ...(result ? { result } : {}), span: cur.span(start) };
}

function parseParams(cur: Cursor): AstFunc['params'] {
  cur.expect('(');
  const params: AstFunc['params'] = [];
  while (!cur.eat(')')) {
    const name = cur.ident();
    cur.expect(':');
    params.push({ name, type: parseType(cur, 0) });
    if (!cur.eat(',')) {
      cur.expect(')');
      break;
    }
  }
  return params;
}

/** A type expression; `depth` bounds nesting like wit-parser. */
export function parseType(cur: Cursor, depth: number): AstType {
  const tok = cur.peek();
  if (depth >= MAX_DEPTH) limitError('type nesting too deep', tok.span);
  if (tok.kind === 'id' || tok.kind === 'explicit-id') {
    const name = cur.ident();
    return { kind: 'name', name, span: name.span };
  }
  if (tok.kind !== 'keyword') return cur.fail('a type', tok);
  const prim = PRIMITIVE_KEYWORDS.find((p) => p === tok.text);
  if (prim !== undefined) {
    cur.next();
    return { kind: 'primitive', name: prim, span: tok.span };
  }
  cur.next();
  const inner = (): AstType => parseType(cur, depth + 1);
  // As wit-parser, a compound type's span is its keyword (a handle's is its resource name).
  const span = (): Span => tok.span;
  switch (tok.text) {
    case 'list': {
      cur.expect('<');
      const element = inner();
      if (cur.eat(',')) {
        const len = cur.peek();
        if (len.kind !== 'integer') cur.fail('fixed-length', len);
        cur.next();
        const length = Number(len.text);
        if (length > 0xffffffff)
          parseError('invalid list size: number too large to fit in target type', len.span);
        cur.expect('>');
        return { kind: 'list', element, length, span: span() };
      }
      cur.expect('>');
      return { kind: 'list', element, span: span() };
    }
    case 'map': {
      cur.expect('<');
      const key = inner();
      cur.expect(',');
      const value = inner();
      cur.expect('>');
      return { kind: 'map', key, value, span: span() };
    }
    case 'option': {
      cur.expect('<');
      const type = inner();
      cur.expect('>');
      return { kind: 'option', type, span: span() };
    }
    case 'own':
    case 'borrow': {
      cur.expect('<');
      const resource = cur.ident();
      cur.expect('>');
      return { kind: 'handle', handle: tok.text, resource, span: resource.span };
    }
    case 'tuple': {
      cur.expect('<');
      const types: AstType[] = [];
      while (!cur.eat('>')) {
        types.push(inner());
        if (!cur.eat(',')) {
          cur.expect('>');
          break;
        }
      }
      return { kind: 'tuple', types, span: span() };
    }
    case 'result':
      return parseResult(cur, inner, span);
    case 'future':
    case 'stream': {
      if (!cur.eat('<')) return { kind: tok.text, span: span() };
      const type = inner();
      cur.expect('>');
      return { kind: tok.text, type, span: span() };
    }
    default:
      return cur.fail('a type', tok);
  }
}

function parseResult(cur: Cursor, inner: () => AstType, span: () => Span): AstType {
  if (!cur.eat('<')) return { kind: 'result', span: span() };
  if (cur.eat('_')) {
    cur.expect(',');
    const err = inner();
    cur.expect('>');
    return { kind: 'result', err, span: span() };
  }
  const ok = inner();
  if (cur.eat(',')) {
    const err = inner();
    cur.expect('>');
    return { kind: 'result', ok, err, span: span() };
  }
  cur.expect('>');
  return { kind: 'result', ok, span: span() };
}

export function parseWorld(cur: Cursor, docs: AstDocs, attrs: Attribute[]): AstWorld {
  cur.expect('world');
  const name = cur.ident();
  const items: WorldItem[] = [];
  cur.expect('{');
  for (;;) {
    const itemDocs = cur.docs();
    if (cur.eat('}')) break;
    items.push(parseWorldItem(cur, itemDocs, parseAttributes(cur)));
  }
  return { name, items, docs, attrs };
}

function parseWorldItem(cur: Cursor, docs: AstDocs, attrs: Attribute[]): WorldItem {
  const tok = cur.peek();
  if (cur.isNext('import') || cur.isNext('export')) {
    cur.next();
    const extern = parseExtern(cur);
    return { kind: tok.text as 'import' | 'export', extern, docs, attrs, span: tok.span };
  }
  if (cur.isNext('use')) return { kind: 'use', use: parseUse(cur, docs, attrs) };
  if (cur.isNext('include')) return { kind: 'include', include: parseInclude(cur, docs, attrs) };
  const def = parseTypeDef(cur, docs, attrs);
  if (def !== undefined) return { kind: 'type', def };
  return cur.fail('`import`, `export`, `include`, `use`, or type definition');
}

function parseExtern(cur: Cursor): ExternKind {
  // `name: func ...`, `name: interface { ... }`, `name: path` (whatever follows the colon, unless
  // it is `pkg/...` of a `ns:pkg/iface` path), else a plain path
  if (cur.isIdent() && cur.isNext(':', 1) && !(cur.isIdent(2) && cur.isNext('/', 3))) {
    const name = cur.ident();
    cur.next();
    if (cur.eat('interface')) return { kind: 'interface', name, items: parseInterfaceBody(cur) };
    if (cur.isNext('func') || cur.isNext('async')) {
      const func = parseFunc(cur);
      cur.expect(';');
      return { kind: 'func', name, func };
    }
    const path = parseUsePath(cur);
    cur.expect(';');
    return { kind: 'named-path', name, path };
  }
  const path = parseUsePath(cur);
  cur.expect(';');
  return { kind: 'path', path };
}

function parseInclude(cur: Cursor, docs: AstDocs, attrs: Attribute[]): AstInclude {
  cur.expect('include');
  const path = parseUsePath(cur);
  const withs: AstInclude['with'] = [];
  if (cur.eat('with')) {
    cur.expect('{');
    while (!cur.eat('}')) {
      const from = cur.ident();
      cur.expect('as');
      withs.push({ from, to: cur.ident() });
      if (!cur.eat(',')) {
        cur.expect('}');
        break;
      }
    }
  } else cur.expect(';');
  return { path, with: withs, attrs, docs };
}
