/**
 * Printing types: type expressions (`list<u8>`, `result<_, e>`, a resource's bare name for an
 * `own` handle, ...), type declarations (`record`, `variant`, `enum`, `flags`, `type x = ...;`),
 * function signatures and the `@since`/`@unstable`/`@deprecated`/`@external-id` attribute lines,
 * following wasm-tools' `WitPrinter` (`crates/wit-component/src/printing.rs`).
 */
import type { WitDepsError } from '../../errors.js';
import { witError } from '../error-text.js';
import type { Docs, Function, Resolve, Stability, Type, TypeDef, TypeId } from '../model.js';
import { getType, isTypeId } from '../model.js';
import type { Output } from './output.js';

function printError(message: string): WitDepsError {
  return witError('unprintable', { problem: message });
}

/**
 * One `///` line per line of `docs`, split as Rust's `str::lines` splits: on `\n`, one trailing
 * `\r` dropped per line, no line after a final `\n`.
 */
export function printDocs(out: Output, docs: Docs | undefined): void {
  const contents = docs?.contents;
  if (contents === undefined) return;
  const n = contents.length;
  for (let start = 0; start < n;) {
    let end = contents.indexOf('\n', start);
    if (end < 0) end = n;
    const cut = end > start && contents.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    out.doc(contents.slice(start, cut));
    start = end + 1;
  }
}

export function printStability(out: Output, stability: Stability): void {
  if (stability.kind === 'unknown') return;
  if (stability.kind === 'stable') out.str(`@since(version = ${stability.since})`);
  else out.str(`@unstable(feature = ${stability.feature})`);
  out.newline();
  if (stability.deprecated !== undefined) {
    out.str(`@deprecated(version = ${stability.deprecated})`);
    out.newline();
  }
}

const EXTERNAL_ID_PLAIN = /^[A-Za-z0-9\-_./: ]$/u;

export function printExternalId(out: Output, id: string | undefined): void {
  if (id === undefined) return;
  let text = '';
  for (const c of id) {
    if (EXTERNAL_ID_PLAIN.test(c)) text += c;
    else if (c === '\\') text += '\\\\';
    else if (c === '"') text += '\\"';
    else if (c === '\n') text += '\\n';
    else if (c === '\r') text += '\\r';
    else if (c === '\t') text += '\\t';
    else text += `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`;
  }
  out.str(`@external-id("${text}")`);
  out.newline();
}

function resourceName(resolve: Resolve, id: TypeId): string {
  const name = getType(resolve, id).name;
  if (name === undefined) throw printError('unnamed resource type');
  return name;
}

function handleText(resolve: Resolve, def: TypeDef, force: boolean, out: Output): void {
  if (def.kind.tag !== 'handle') return;
  const name = resourceName(resolve, def.kind.resource);
  if (def.kind.handle === 'borrow') {
    out.str('borrow<');
    out.name(name);
    out.raw('>');
  } else if (force) {
    out.str('own<');
    out.name(name);
    out.raw('>');
  } else out.name(name);
}

function generic(out: Output, resolve: Resolve, head: string, types: Type[], tail = ''): void {
  out.str(`${head}<`);
  types.forEach((t, i) => {
    if (i > 0) out.str(', ');
    printTypeName(out, resolve, t);
  });
  out.raw(`${tail}>`);
}

/** Prints a type as it appears in an expression. */
export function printTypeName(out: Output, resolve: Resolve, type: Type, depth = 0): void {
  if (!isTypeId(type)) {
    out.str(type);
    return;
  }
  const def = getType(resolve, type);
  if (def.name !== undefined) out.name(def.name);
  else printKind(out, resolve, def, depth);
}

/** Prints the right-hand side of a type definition, ignoring its name. */
function printKind(out: Output, resolve: Resolve, def: TypeDef, depth: number): void {
  if (depth > 1000) throw printError('types are nested too deep to print');
  const k = def.kind;
  switch (k.tag) {
    case 'handle':
      return handleText(resolve, def, false, out);
    case 'tuple':
      return generic(out, resolve, 'tuple', k.types);
    case 'option':
      return generic(out, resolve, 'option', [k.type]);
    case 'result':
      return printResult(out, resolve, k.ok, k.err);
    case 'list':
      return generic(out, resolve, 'list', [k.type]);
    case 'map':
      return generic(out, resolve, 'map', [k.key, k.value]);
    case 'fixed-length-list':
      return generic(out, resolve, 'list', [k.type], `, ${k.length}`);
    case 'type':
      return printTypeName(out, resolve, k.type, depth + 1);
    case 'future':
    case 'stream':
      if (k.type === undefined) out.str(k.tag);
      else generic(out, resolve, k.tag, [k.type]);
      return;
    case 'resource':
    case 'record':
    case 'flags':
    case 'enum':
    case 'variant':
    case 'unknown':
      throw printError(`resolve has an unnamed ${k.tag} type`);
  }
}

function printResult(
  out: Output,
  resolve: Resolve,
  ok: Type | undefined,
  err: Type | undefined,
): void {
  if (ok !== undefined && err !== undefined) generic(out, resolve, 'result', [ok, err]);
  else if (err !== undefined) {
    out.str('result<_, ');
    printTypeName(out, resolve, err);
    out.raw('>');
  } else if (ok !== undefined) generic(out, resolve, 'result', [ok]);
  else out.str('result');
}

function printBody(
  out: Output,
  items: { name: string; docs: Docs }[],
  suffix: (i: number) => void,
): void {
  out.indentStart();
  items.forEach((item, i) => {
    printDocs(out, item.docs);
    out.name(item.name);
    suffix(i);
    out.str(',');
    out.newline();
  });
  out.indentEnd();
}

/** Declares the named, non-resource type `id` (`declare_type`). */
export function declareType(out: Output, resolve: Resolve, id: TypeId): void {
  const def = getType(resolve, id);
  const name = def.name;
  if (name === undefined) throw printError('unnamed type in document');
  const k = def.kind;
  if (k.tag === 'record' || k.tag === 'variant' || k.tag === 'enum' || k.tag === 'flags') {
    out.str(`${k.tag} `);
    out.name(name);
    if (k.tag === 'record') {
      printBody(out, k.fields, (i) => {
        out.str(': ');
        printTypeName(out, resolve, (k.fields[i] as { type: Type }).type);
      });
    } else if (k.tag === 'variant') {
      printBody(out, k.cases, (i) => {
        const type = k.cases[i]?.type;
        if (type === undefined) return;
        out.str('(');
        printTypeName(out, resolve, type);
        out.str(')');
      });
    } else printBody(out, k.tag === 'enum' ? k.cases : k.flags, () => undefined);
    return;
  }
  if (k.tag === 'resource' || k.tag === 'unknown')
    throw printError(`cannot declare a ${k.tag} here`);
  out.str('type ');
  out.name(name);
  out.str(' = ');
  if (k.tag === 'handle') handleText(resolve, def, true, out);
  else printKind(out, resolve, def, 0);
  out.semicolon();
}

/** Whether a constructor's result is `own<its resource>` (`is_constructor_shorthand`). */
function isConstructorShorthand(resolve: Resolve, func: Function): boolean {
  if (func.kind.tag !== 'constructor' || func.result === undefined || !isTypeId(func.result))
    return false;
  const kind = getType(resolve, func.result).kind;
  return kind.tag === 'handle' && kind.handle === 'own' && kind.resource === func.kind.resource;
}

/** `func(a: t) -> r`, `async func(...)` or `constructor(...)` (`print_function`). */
export function printFunction(out: Output, resolve: Resolve, func: Function): void {
  const tag = func.kind.tag;
  if (tag === 'async-freestanding' || tag === 'async-method' || tag === 'async-static')
    out.str('async ');
  out.str(tag === 'constructor' ? 'constructor(' : 'func(');
  const skip = tag === 'method' || tag === 'async-method' ? 1 : 0;
  func.params.slice(skip).forEach((param, i) => {
    if (i > 0) out.str(', ');
    out.name(param.name);
    out.str(': ');
    printTypeName(out, resolve, param.type);
  });
  out.str(')');
  if (isConstructorShorthand(resolve, func)) return;
  if (func.result !== undefined) {
    out.str(' -> ');
    printTypeName(out, resolve, func.result);
  }
}
