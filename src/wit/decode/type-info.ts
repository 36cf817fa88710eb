/**
 * wasmparser's `TypeInfo` of defined value types, computed once per type object as it is read
 * (members are always read first, so no walk recurses): the structural depth, refused above 100
 * ("type nesting is too deep"), and whether a `borrow` is reachable, which a function result may
 * not contain.
 */
import type { WDefined, WType, WValType } from './wasm-types.js';
import { peel } from './wasm-types.js';

/** wasmparser's `MAX_WASM_COMPONENT_TYPE_DEPTH`. */
export const MAX_TYPE_DEPTH = 100;

interface Info {
  depth: number;
  borrow: boolean;
}

const LEAF: Info = { depth: 1, borrow: false };
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

/** Records the info of a newly read defined type and returns its depth. */
export function noteDefined(def: WDefined): number {
  let info: Info = { depth: 1, borrow: def.k === 'borrow' };
  for (const member of members(def)) {
    if (member === undefined) continue;
    const inner = infoOf(member);
    info = { depth: Math.max(info.depth, inner.depth + 1), borrow: info.borrow || inner.borrow };
  }
  infos.set(def, info);
  return info.depth;
}

/** Whether a `borrow` handle is reachable from `type`. */
export function containsBorrow(type: WValType | undefined): boolean {
  return infoOf(type).borrow;
}
