/**
 * The wasm-level types of a component binary, as the decoder sees them.
 *
 * Type identity is object identity: every `(type ...)` definition is one object, every
 * `(export|import "n" (type (eq i)))` creates a fresh {@link WAlias} object pointing at the type it
 * refers to (wasmparser's `created` vs `referenced`), every `(sub resource)` creates a fresh
 * {@link WResource}, and `alias export`/`alias outer` copy the reference. The decoder keeps a
 * `Map<WType, TypeId>` and walks `.target` links to tell a `use` from a definition, as wit-parser's
 * `find_alias` walks `peel_alias`.
 */
import type { PrimitiveType } from '../model.js';
import type { ComponentName } from './names.js';

/**
 * wasmparser's `TypeInfo` of a type object (see `type-info.ts`): its structural depth, whether a
 * `borrow` is reachable from it, and its effective size. Held by the object itself.
 */
export interface TypeInfo {
  depth: number;
  borrow: boolean;
  size: number;
}

/** The info of a type without members, and of a type whose info is not carried over. */
export const LEAF_INFO: TypeInfo = { depth: 1, borrow: false, size: 1 };

/** A value type: a primitive inline, or a reference to a type object. */
export type WValType = PrimitiveType | WType;

export interface WResource {
  k: 'resource';
}
export interface WAlias {
  k: 'alias';
  target: WType;
  /** The definition at the end of the alias chain, kept so peeling is O(1) on long chains. */
  base: Exclude<WType, WAlias>;
}
export interface WFunc {
  k: 'func';
  async: boolean;
  params: [string, WValType][];
  result: WValType | undefined;
  info: TypeInfo;
}
export interface WInstance {
  k: 'instance';
  exports: WExtern[];
  /** The exports by lowercased name, for `alias export` lookups and conflict checks. */
  byName: Map<string, WExtern>;
  info: TypeInfo;
}
export interface WComponent {
  k: 'component';
  imports: WExtern[];
  exports: WExtern[];
  info: TypeInfo;
}

export type WDefined =
  | { k: 'prim'; type: PrimitiveType; info: TypeInfo }
  | { k: 'record'; fields: [string, WValType][]; info: TypeInfo }
  | { k: 'variant'; cases: [string, WValType | undefined][]; info: TypeInfo }
  | { k: 'list'; type: WValType; info: TypeInfo }
  | { k: 'fixed-list'; type: WValType; length: number; info: TypeInfo }
  | { k: 'map'; key: WValType; value: WValType; info: TypeInfo }
  | { k: 'tuple'; types: WValType[]; info: TypeInfo }
  | { k: 'flags'; names: string[]; info: TypeInfo }
  | { k: 'enum'; names: string[]; info: TypeInfo }
  | { k: 'option'; type: WValType; info: TypeInfo }
  | { k: 'result'; ok: WValType | undefined; err: WValType | undefined; info: TypeInfo }
  | { k: 'own'; resource: WType; info: TypeInfo }
  | { k: 'borrow'; resource: WType; info: TypeInfo }
  | { k: 'future'; type: WValType | undefined; info: TypeInfo }
  | { k: 'stream'; type: WValType | undefined; info: TypeInfo };

export type WType = WDefined | WResource | WAlias | WFunc | WInstance | WComponent;

/** What an import or export of a component or instance type describes. */
export type WEntity =
  | { k: 'func'; type: WFunc }
  | { k: 'type'; referenced: WType; created: WType }
  | { k: 'instance'; type: WInstance }
  | { k: 'component'; type: WComponent };

/**
 * An extern name with its `0x02` options. Every field is always present (options `undefined`
 * when absent), so all of these objects share one shape.
 */
export interface WExternName {
  name: string;
  /** `name` classified, once, as it is read (a name that is none of the forms is refused). */
  parsed: ComponentName;
  implements: string | undefined;
  versionSuffix: string | undefined;
  externalId: string | undefined;
}

/** One import or export: the extern name with its options, and what it describes. */
export interface WExtern extends WExternName {
  entity: WEntity;
  /** Byte offset of the declaration, for error messages. */
  offset: number;
}

/** The definition a type object stands for (the end of its alias chain). */
export function peel(type: WType): Exclude<WType, WAlias> {
  return type.k === 'alias' ? type.base : type;
}

export function isDefined(type: WType): type is WDefined {
  return (
    type.k !== 'resource' &&
    type.k !== 'alias' &&
    type.k !== 'func' &&
    type.k !== 'instance' &&
    type.k !== 'component'
  );
}
