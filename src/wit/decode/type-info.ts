/**
 * wasmparser's `TypeInfo`, computed once per type object as it is read (members are always read
 * first, so no walk recurses): the structural depth of a defined type, refused above 100 ("type
 * nesting is too deep"); whether a `borrow` is reachable, which a function result may not
 * contain; and the effective size (1 plus the sizes of the members, or of the imports and
 * exports of an instance or component type), which must stay below 1,000,000 so that a small
 * input cannot stand for an exponentially large type.
 */
import type { Reader } from '../binary/reader.js';
import type { TypeInfo, WDefined, WEntity, WFunc, WValType } from './wasm-types.js';
import { LEAF_INFO, peel } from './wasm-types.js';

/** wasmparser's `MAX_WASM_COMPONENT_TYPE_DEPTH`. */
export const MAX_TYPE_DEPTH = 100;
/** wasmparser's `MAX_WASM_TYPE_SIZE`. */
const MAX_TYPE_SIZE = 1_000_000;

/** The info of a `borrow` handle (shared, never changed, as {@link LEAF_INFO}). */
const BORROW_INFO: TypeInfo = { depth: 1, borrow: true, size: 1 };

function infoOf(type: WValType | undefined): TypeInfo {
  if (type === undefined || typeof type === 'string') return LEAF_INFO;
  const base = peel(type);
  return base.k === 'resource' ? LEAF_INFO : base.info;
}

/** `TypeInfo::combine`, in place: `inner` becomes a member of `outer` (a fresh record). */
function combine(r: Reader, outer: TypeInfo, inner: TypeInfo, at: number): void {
  const size = outer.size + inner.size;
  if (size >= MAX_TYPE_SIZE)
    r.fail(`effective type size exceeds the limit of ${MAX_TYPE_SIZE}`, at);
  outer.size = size;
  if (inner.depth + 1 > outer.depth) outer.depth = inner.depth + 1;
  if (inner.borrow) outer.borrow = true;
}

function add(r: Reader, info: TypeInfo, member: WValType | undefined, at: number): void {
  if (member !== undefined) combine(r, info, infoOf(member), at);
}

function addPairs(
  r: Reader,
  info: TypeInfo,
  list: [string, WValType | undefined][],
  at: number,
): void {
  for (let i = 0; i < list.length; i++) add(r, info, (list[i] as [string, WValType])[1], at);
}

/** Records the info of a newly read defined type and returns its depth. */
export function noteDefined(r: Reader, def: WDefined, at: number): number {
  const info: TypeInfo = { depth: 1, borrow: false, size: 1 };
  switch (def.k) {
    case 'record':
      addPairs(r, info, def.fields, at);
      break;
    case 'variant':
      addPairs(r, info, def.cases, at);
      break;
    case 'tuple':
      for (const t of def.types) add(r, info, t, at);
      break;
    case 'result':
      add(r, info, def.ok, at);
      add(r, info, def.err, at);
      break;
    case 'map':
      add(r, info, def.key, at);
      add(r, info, def.value, at);
      break;
    case 'list':
    case 'fixed-list':
    case 'option':
    case 'future':
    case 'stream':
      add(r, info, def.type, at);
      break;
    case 'borrow':
      def.info = BORROW_INFO;
      return 1;
    case 'prim':
    case 'enum':
    case 'flags':
    case 'own':
      def.info = LEAF_INFO;
      return 1;
  }
  def.info = info;
  return info.depth;
}

/** Records the size of a function type: its parameters and result. */
export function noteFunc(r: Reader, type: WFunc, at: number): void {
  const info: TypeInfo = { depth: 1, borrow: false, size: 1 };
  addPairs(r, info, type.params, at);
  add(r, info, type.result, at);
  type.info = info;
}

function entityInfo(entity: WEntity): TypeInfo {
  if (entity.k === 'type') return infoOf(entity.referenced);
  return entity.type.info;
}

/** Sums the imports and exports of an instance or component type (or of the root component). */
export class SizeSum {
  /** The sum so far: the info of the instance or component type once all are added. */
  readonly info: TypeInfo = { depth: 1, borrow: false, size: 1 };
  constructor(private readonly r: Reader) {}

  add(entity: WEntity, at: number): void {
    combine(this.r, this.info, entityInfo(entity), at);
  }
}

/** Whether a `borrow` handle is reachable from `type`. */
export function containsBorrow(type: WValType | undefined): boolean {
  return infoOf(type).borrow;
}
