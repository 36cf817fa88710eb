/**
 * wasmparser's `TypeInfo`, computed once per type object as it is read (members are always read
 * first, so no walk recurses): the structural depth of a defined type, refused above 100 ("type
 * nesting is too deep"); whether a `borrow` is reachable, which a function result may not
 * contain; and the effective size (1 plus the sizes of the members, or of the imports and
 * exports of an instance or component type), which must stay below 1,000,000 so that a small
 * input cannot stand for an exponentially large type.
 */
import type { Reader } from '../binary/reader.js';
import type { WDefined, WEntity, WType, WValType } from './wasm-types.js';
import { peel } from './wasm-types.js';

/** wasmparser's `MAX_WASM_COMPONENT_TYPE_DEPTH`. */
export const MAX_TYPE_DEPTH = 100;
/** wasmparser's `MAX_WASM_TYPE_SIZE`. */
const MAX_TYPE_SIZE = 1_000_000;

interface Info {
  depth: number;
  borrow: boolean;
  size: number;
}

const LEAF: Info = { depth: 1, borrow: false, size: 1 };
const infos = new WeakMap<WType, Info>();

function infoOf(type: WValType | undefined): Info {
  if (type === undefined || typeof type === 'string') return LEAF;
  return infos.get(peel(type)) ?? LEAF;
}

function members(def: WDefined): (WValType | undefined)[] {
  switch (def.k) {
    case 'record':
      return def.fields.map(([, t]) => t);
    case 'variant':
      return def.cases.map(([, t]) => t);
    case 'tuple':
      return def.types;
    case 'result':
      return [def.ok, def.err];
    case 'map':
      return [def.key, def.value];
    case 'list':
    case 'fixed-list':
    case 'option':
    case 'future':
    case 'stream':
      return [def.type];
    case 'prim':
    case 'enum':
    case 'flags':
    case 'own':
    case 'borrow':
      return [];
  }
}

/** `TypeInfo::combine`: `inner` becomes a member of `outer`. */
function combine(r: Reader, outer: Info, inner: Info, at: number): Info {
  const size = outer.size + inner.size;
  if (size >= MAX_TYPE_SIZE)
    r.fail(`effective type size exceeds the limit of ${MAX_TYPE_SIZE}`, at);
  return {
    depth: Math.max(outer.depth, inner.depth + 1),
    borrow: outer.borrow || inner.borrow,
    size,
  };
}

/** Records the info of a newly read defined type and returns its depth. */
export function noteDefined(r: Reader, def: WDefined, at: number): number {
  let info: Info = { depth: 1, borrow: def.k === 'borrow', size: 1 };
  for (const member of members(def)) {
    if (member !== undefined) info = combine(r, info, infoOf(member), at);
  }
  infos.set(def, info);
  return info.depth;
}

/** Records the size of a function type: its parameters and result. */
export function noteFunc(
  r: Reader,
  type: WType,
  parts: (WValType | undefined)[],
  at: number,
): void {
  let info = LEAF;
  for (const part of parts) if (part !== undefined) info = combine(r, info, infoOf(part), at);
  infos.set(type, info);
}

function entityInfo(entity: WEntity): Info {
  if (entity.k === 'type') return infos.get(peel(entity.referenced)) ?? LEAF;
  return infos.get(entity.type) ?? LEAF;
}

/** Sums the imports and exports of an instance or component type (or of the root component). */
export class SizeSum {
  private info = LEAF;
  constructor(private readonly r: Reader) {}

  add(entity: WEntity, at: number): void {
    this.info = combine(this.r, this.info, entityInfo(entity), at);
  }

  note(type: WType): void {
    infos.set(type, this.info);
  }
}

/** Whether a `borrow` handle is reachable from `type`. */
export function containsBorrow(type: WValType | undefined): boolean {
  return infoOf(type).borrow;
}

/** Gives a substituted copy of a type (see `freshen.ts`) the info of its original. */
export function copyInfo(from: WType, to: WType): void {
  const info = infos.get(from);
  if (info !== undefined) infos.set(to, info);
}
