/**
 * wasmparser's rule that everything a component (type) imports or exports refers only to *named*
 * types (`validate_and_register_named_types`): inside a component type, the record, variant, enum
 * and flags types reached from an import or export, looking through tuples, lists, options,
 * results, maps, futures and streams, must themselves have been imported or exported before, and
 * so must the resources of `own`/`borrow`. Types imported (also through an imported instance's
 * exports) count for both imports and exports; exported ones only for exports. Identity is
 * object identity, as everywhere in the decoder (see `wasm-types.ts`). Instance types are not
 * checked where they are written, only when a component type imports or exports one.
 */
import { limitError } from '../binary/reader.js';
import type { WDefined, WEntity, WFunc, WInstance, WType, WValType } from './wasm-types.js';
import { isDefined, peel } from './wasm-types.js';

/** The types a component type has imported and exported so far. */
export interface NamedTypes {
  imported: Set<WType>;
  exported: Set<WType>;
  /** How deep anonymous types may nest before the walk gives up (the decoder's `maxDepth`). */
  maxDepth: number;
}

export function newNamedTypes(maxDepth: number): NamedTypes {
  return { imported: new Set(), exported: new Set(), maxDepth };
}

/** One walk: the set that counts as named, the depth so far, the offset for a limit error. */
interface Walk {
  set: Set<WType>;
  depth: number;
  maxDepth: number;
  at: number;
}

/** `type_named_valtype`: may `type` appear where a named type is required? */
function isNamed(type: WValType | undefined, w: Walk): boolean {
  if (type === undefined || typeof type === 'string') return true;
  const base = peel(type);
  if (!isDefined(base)) return false;
  if (base.k === 'prim') return true;
  // These are never anonymous: the type itself must have been imported or exported.
  if (base.k === 'record' || base.k === 'variant' || base.k === 'enum' || base.k === 'flags') {
    return w.set.has(type);
  }
  w.depth++;
  const named = componentsNamed(base, w);
  w.depth--;
  return named;
}

/** `all_valtypes_named_in_defined`: the types one layer inside `def` are named. */
function componentsNamed(def: WDefined, w: Walk): boolean {
  if (w.depth > w.maxDepth) throw limitError(w.at, `types are nested more than ${w.maxDepth} deep`);
  switch (def.k) {
    case 'prim':
    case 'enum':
    case 'flags':
      return true;
    case 'record':
      return def.fields.every(([, t]) => isNamed(t, w));
    case 'variant':
      return def.cases.every(([, t]) => isNamed(t, w));
    case 'tuple':
      return def.types.every((t) => isNamed(t, w));
    case 'result':
      return isNamed(def.ok, w) && isNamed(def.err, w);
    case 'map':
      return isNamed(def.key, w) && isNamed(def.value, w);
    case 'own':
    case 'borrow':
      return w.set.has(def.resource);
    case 'list':
    case 'fixed-list':
    case 'option':
    case 'future':
    case 'stream':
      return isNamed(def.type, w);
  }
}

function funcNamed(func: WFunc, w: Walk): boolean {
  return func.params.every(([, t]) => isNamed(t, w)) && isNamed(func.result, w);
}

function instanceNamed(instance: WInstance, w: Walk): boolean {
  return instance.exports.every(({ entity }) => {
    if (entity.k === 'func') return funcNamed(entity.type, w);
    if (entity.k === 'instance') return instanceNamed(entity.type, w);
    if (entity.k === 'type') return typeNamed(entity.created, w);
    return true;
  });
}

/** `all_valtypes_named`: a resource or component type is always fine. */
function typeNamed(type: WType, w: Walk): boolean {
  const base = peel(type);
  if (base.k === 'func') return funcNamed(base, w);
  if (base.k === 'instance') return instanceNamed(base, w);
  return isDefined(base) ? componentsNamed(base, w) : true;
}

/**
 * Checks one import (`isImport`) or export of a component type and registers the types it
 * brings in; false means wasmparser's "<kind> not valid to be used as import/export".
 */
export function registerNamed(
  named: NamedTypes,
  isImport: boolean,
  entity: WEntity,
  at: number,
): boolean {
  const w: Walk = {
    set: isImport ? named.imported : named.exported,
    depth: 0,
    maxDepth: named.maxDepth,
    at,
  };
  switch (entity.k) {
    case 'type':
      if (!typeNamed(entity.referenced, w)) return false;
      if (isImport) named.imported.add(entity.created);
      named.exported.add(entity.created);
      return true;
    case 'instance':
      return entity.type.exports.every((ext) => registerNamed(named, isImport, ext.entity, at));
    case 'func':
      return funcNamed(entity.type, w);
    case 'component':
      return true;
  }
}
