/**
 * Function resolution: freestanding functions and resource functions with wit-parser's name
 * mangling (`[method]r.f` with an explicit `self: borrow<r>`, `[static]r.f`, `[constructor]r`
 * whose result is the implicit `own<r>` or an explicit `result<r, e>`), and the checks on
 * parameters and `borrow` in results.
 */
import { resolveError } from '../diagnostics.js';
import {
  getType,
  isTypeId,
  type Function,
  type FunctionKind,
  type Stability,
  type Type,
  type TypeId,
  UNKNOWN_STABILITY,
} from '../model.js';
import type { AstFunc, AstNamedFunc, Ident, ResourceFunc } from '../text/ast.js';
import { externalIdOf, resolveDocs, resolveStability } from './docs.js';
import { gatedAt } from './gated-reference.js';
import type { TypeScope } from './types.js';

/** A freestanding function, or undefined when a feature gate drops it. */
export function resolveFreestanding(scope: TypeScope, f: AstNamedFunc): Function | undefined {
  const stability = resolveStability(f.attrs, scope.ctx.pkgName, f.name.span);
  if (!scope.ctx.included(stability)) return shadowed(scope, f.func);
  const kind: FunctionKind = f.func.async ? { tag: 'async-freestanding' } : { tag: 'freestanding' };
  const docs = resolveDocs(f.docs);
  return withExternalId(
    f.attrs,
    build(scope, f.name, f.name.name, kind, f.func, stability, docs, []),
  );
}

/** A gated function: dropped, but its types resolve (for their errors), as in wit-parser. */
function shadowed(scope: TypeScope, func: AstFunc): undefined {
  // as for any function, its anonymous types get no stability from it
  scope.shadowResolve([...func.params.map((p) => p.type), func.result], UNKNOWN_STABILITY);
  return undefined;
}

/** Sets the function's `@external-id`, if its attributes carry one. */
function withExternalId(
  attrs: AstNamedFunc['attrs'],
  fn: Function | undefined,
): Function | undefined {
  if (fn !== undefined) Object.assign(fn, externalIdOf(attrs));
  return fn;
}

/** A function of resource `resource`, or undefined when gated. */
export function resolveResourceFunc(
  scope: TypeScope,
  resourceName: string,
  resource: TypeId,
  f: ResourceFunc,
): Function | undefined {
  const stability = resolveStability(f.attrs, scope.ctx.pkgName, f.name.span);
  if (!scope.ctx.included(stability)) return shadowed(scope, f.func);
  return withExternalId(f.attrs, resourceFunc(scope, resourceName, resource, f, stability));
}

function resourceFunc(
  scope: TypeScope,
  resourceName: string,
  resource: TypeId,
  f: ResourceFunc,
  stability: Stability,
): Function {
  const docs = resolveDocs(f.docs);
  if (f.kind === 'constructor') {
    const fn = build(
      scope,
      f.name,
      `[constructor]${resourceName}`,
      { tag: 'constructor', resource },
      f.func,
      stability,
      docs,
      [],
    );
    if (f.func.result === undefined) {
      fn.result = scope.ctx.valueRef(resource);
    } else {
      checkConstructorResult(scope, fn.result, resource, f);
    }
    return fn;
  }
  if (f.kind === 'static') {
    const kind: FunctionKind = f.func.async
      ? { tag: 'async-static', resource }
      : { tag: 'static', resource };
    return build(
      scope,
      f.name,
      `[static]${resourceName}.${f.name.name}`,
      kind,
      f.func,
      stability,
      docs,
      [],
    );
  }
  const self = scope.ctx.anonType(
    { tag: 'handle', handle: 'borrow', resource },
    getType(scope.ctx.resolve, resource).stability,
    f.name.span,
  );
  const kind: FunctionKind = f.func.async
    ? { tag: 'async-method', resource }
    : { tag: 'method', resource };
  return build(
    scope,
    f.name,
    `[method]${resourceName}.${f.name.name}`,
    kind,
    f.func,
    stability,
    docs,
    [{ name: 'self', type: self }],
  );
}

/**
 * A function from its signature. Errors found once the package is assembled (a gated type in the
 * signature, a `borrow` in the result) point at the function's name, as in wit-parser.
 */
function build(
  scope: TypeScope,
  at: Ident,
  name: string,
  kind: FunctionKind,
  func: AstFunc,
  stability: Stability,
  docs: Function['docs'],
  params: Function['params'],
): Function {
  const seen = new Set(params.map((p) => p.name));
  for (const p of func.params) {
    if (seen.has(p.name.name))
      resolveError(`param \`${p.name.name}\` is defined more than once`, p.name.span);
    seen.add(p.name.name);
    params.push({
      name: p.name.name,
      type: gatedAt(at.span, () => scope.resolveType(p.type, UNKNOWN_STABILITY)),
    });
  }
  const fn: Function = { name, kind, params, docs, stability };
  if (func.result !== undefined) {
    const result = func.result;
    fn.result = gatedAt(at.span, () => scope.resolveType(result, UNKNOWN_STABILITY));
    if (containsBorrow(scope, fn.result, new Set())) {
      resolveError(
        `function \`${name}\` returns a type which contains a \`borrow<T>\` which is not supported`,
        at.span,
      );
    }
  }
  return fn;
}

function checkConstructorResult(
  scope: TypeScope,
  result: Type | undefined,
  resource: TypeId,
  f: ResourceFunc,
): void {
  const ast = f.func.result!;
  const def =
    result !== undefined && isTypeId(result) ? getType(scope.ctx.resolve, result) : undefined;
  if (def === undefined || def.kind.tag !== 'result') {
    resolveError('if a constructor return type is declared it must be a `result`', ast.span);
  }
  const span = ast.kind === 'result' && ast.ok !== undefined ? ast.ok.span : ast.span;
  const ok = def.kind.ok;
  const okDef = ok !== undefined && isTypeId(ok) ? getType(scope.ctx.resolve, ok) : undefined;
  const okResource =
    okDef?.kind.tag === 'handle' && okDef.kind.handle === 'own' ? okDef.kind.resource : undefined;
  if (okResource !== resource)
    resolveError('the `ok` type must be the resource being constructed', span);
}

/** Whether a type (anonymous structure, through named definitions) holds a `borrow`. */
function containsBorrow(scope: TypeScope, type: Type | undefined, seen: Set<TypeId>): boolean {
  if (type === undefined || !isTypeId(type) || seen.has(type)) return false;
  seen.add(type);
  const kind = getType(scope.ctx.resolve, type).kind;
  const any = (types: (Type | undefined)[]): boolean =>
    types.some((t) => containsBorrow(scope, t, seen));
  switch (kind.tag) {
    case 'handle':
      return kind.handle === 'borrow';
    case 'record':
      return any(kind.fields.map((f) => f.type));
    case 'variant':
      return any(kind.cases.map((c) => c.type));
    case 'tuple':
      return any(kind.types);
    // a future's or stream's payload counts too (wit-parser looks through them)
    case 'option':
    case 'list':
    case 'fixed-length-list':
    case 'type':
    case 'future':
    case 'stream':
      return any([kind.type]);
    case 'map':
      return any([kind.key, kind.value]);
    case 'result':
      return any([kind.ok, kind.err]);
    case 'resource':
    case 'flags':
    case 'enum':
    case 'unknown':
      return false;
  }
}
