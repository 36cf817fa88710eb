/**
 * Consistency checks the reference decoder makes beyond parsing:
 *
 * - {@link registerDefined} (wit-parser's `Registrar`): when an interface that is already known is
 *   imported again, the structure of each re-imported type must match the known definition, and
 *   the anonymous types inside it are unified with the known ones (so `list<u8>` is not duplicated).
 * - {@link checkResourceFunction} (wasmparser's name validation): `[constructor]r` returns
 *   `own<r>` or `result<own<r>, _>` and is not async; `[method]r.m` takes `self: borrow<r>` first.
 */
import type { Function, Resolve, Type, TypeId } from '../model.js';
import { dealiasType, getType, isTypeId } from '../model.js';
import type { CheckState } from './check-state.js';
import type { WDefined, WValType } from './wasm-types.js';
import { isDefined, peel } from './wasm-types.js';

function expectKind<K extends string>(
  state: CheckState,
  id: TypeId,
  tag: K,
  what: string,
): boolean {
  const kind = getType(state.resolve, id).kind;
  if (kind.tag === 'type' && isTypeId(kind.type)) return false;
  if (kind.tag !== tag) state.fail(`expected ${what}`);
  return true;
}

function sameLength(state: CheckState, a: unknown[], b: unknown[], what: string): void {
  if (a.length !== b.length) state.fail(`mismatched number of ${what}`);
}

function optional(
  state: CheckState,
  wasm: WValType | undefined,
  wit: Type | undefined,
  what: string,
  depth = 0,
): void {
  if (wasm === undefined && wit === undefined) return;
  if (wasm === undefined || wit === undefined) return state.fail(`disagreement on ${what}`);
  registerValType(state, wasm, wit, depth);
}

/** Walks a re-imported definition `def` alongside the known type `id`, unifying inner types. */
export function registerDefined(state: CheckState, id: TypeId, def: WDefined, depth = 0): void {
  if (depth > state.limits.maxDepth)
    state.fail(`types are nested more than ${state.limits.maxDepth} deep`);
  const kind = getType(state.resolve, id).kind;
  const k = kind.tag;
  switch (def.k) {
    case 'list':
    case 'option':
      if (expectKind(state, id, def.k, `a ${def.k}`) && (k === 'list' || k === 'option')) {
        registerValType(state, def.type, kind.type, depth);
      }
      return;
    case 'fixed-list':
      if (!expectKind(state, id, 'fixed-length-list', `a fixed-length ${def.length} list`)) return;
      if (k !== 'fixed-length-list' || kind.length !== def.length)
        return state.fail(`expected a fixed-length ${def.length} list`);
      return registerValType(state, def.type, kind.type, depth);
    case 'map':
      if (expectKind(state, id, 'map', 'a map') && k === 'map') {
        registerValType(state, def.key, kind.key, depth);
        registerValType(state, def.value, kind.value, depth);
      }
      return;
    case 'tuple':
      if (!expectKind(state, id, 'tuple', 'a tuple') || k !== 'tuple') return;
      sameLength(state, def.types, kind.types, 'tuple fields');
      def.types.forEach((t, i) => registerValType(state, t, kind.types[i] as Type, depth));
      return;
    case 'result':
      if (!expectKind(state, id, 'result', 'a result') || k !== 'result') return;
      optional(state, def.ok, kind.ok, 'result structure', depth);
      return optional(state, def.err, kind.err, 'result structure', depth);
    case 'record':
      return registerRecord(state, id, def, depth);
    case 'variant':
      return registerVariant(state, id, def, depth);
    case 'future':
    case 'stream':
      if (expectKind(state, id, def.k, `a ${def.k}`) && (k === 'future' || k === 'stream')) {
        optional(state, def.type, kind.type, `${def.k} payload`, depth);
      }
      return;
    case 'prim':
    case 'flags':
    case 'enum':
    case 'own':
    case 'borrow':
      return;
  }
}

function registerRecord(
  state: CheckState,
  id: TypeId,
  def: Extract<WDefined, { k: 'record' }>,
  depth: number,
): void {
  const kind = getType(state.resolve, id).kind;
  if (!expectKind(state, id, 'record', 'a record') || kind.tag !== 'record') return;
  sameLength(state, def.fields, kind.fields, 'record fields');
  def.fields.forEach(([name, t], i) => {
    const field = kind.fields[i];
    if (field?.name !== name) state.fail('mismatched field order');
    registerValType(state, t, field.type, depth);
  });
}

function registerVariant(
  state: CheckState,
  id: TypeId,
  def: Extract<WDefined, { k: 'variant' }>,
  depth: number,
): void {
  const kind = getType(state.resolve, id).kind;
  if (!expectKind(state, id, 'variant', 'a variant') || kind.tag !== 'variant') return;
  sameLength(state, def.cases, kind.cases, 'variant cases');
  def.cases.forEach(([name, t], i) => {
    const c = kind.cases[i];
    if (c?.name !== name) state.fail('mismatched case order');
    optional(state, t, c.type, 'case type', depth);
  });
}

function registerValType(state: CheckState, wasm: WValType, wit: Type, depth = 0): void {
  if (typeof wasm === 'string') {
    if (isTypeId(wit)) state.fail('expected a primitive type');
    return;
  }
  if (!isTypeId(wit)) return state.fail('expected id-based type');
  const prev = state.typeMap.get(wasm);
  state.typeMap.set(wasm, wit);
  if (prev !== undefined) return;
  const base = peel(wasm);
  if (!isDefined(base)) return state.fail('expected a value type');
  registerDefined(state, wit, base, depth + 1);
}

function handleOf(
  resolve: Resolve,
  type: Type | undefined,
  handle: 'own' | 'borrow',
): TypeId | undefined {
  if (type === undefined || !isTypeId(type)) return undefined;
  const kind = getType(resolve, type).kind;
  return kind.tag === 'handle' && kind.handle === handle ? kind.resource : undefined;
}

/** wasmparser's checks of `[constructor]`/`[method]` functions against their resource. */
export function checkResourceFunction(state: CheckState, func: Function, isAsync: boolean): void {
  const resolve = state.resolve;
  const kind = func.kind;
  if (kind.tag === 'constructor') {
    if (isAsync) state.fail('constructor function cannot be async');
    if (func.result === undefined) state.fail('function should return one value');
    let own = handleOf(resolve, func.result, 'own');
    if (own === undefined && isTypeId(func.result)) {
      const result = getType(resolve, func.result).kind;
      if (result.tag === 'result') own = handleOf(resolve, result.ok, 'own');
    }
    if (own === undefined) state.fail('function should return `(own $T)` or `(result (own $T))`');
    if (dealiasType(resolve, own) !== dealiasType(resolve, kind.resource)) {
      state.fail('function does not match expected resource name');
    }
  } else if (kind.tag === 'method' || kind.tag === 'async-method') {
    const first = func.params[0];
    if (first === undefined) return state.fail('function should have at least one argument');
    if (first.name !== 'self') state.fail('function should have a first argument called `self`');
    const borrowed = handleOf(resolve, first.type, 'borrow');
    if (borrowed === undefined)
      return state.fail('function should take a first argument of `(borrow $T)`');
    if (dealiasType(resolve, borrowed) !== dealiasType(resolve, kind.resource)) {
      state.fail('function does not match expected resource name');
    }
  }
}
