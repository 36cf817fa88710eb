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

/** A value type: a primitive inline, or a reference to a type object. */
export type WValType = PrimitiveType | WType;

export interface WResource {
  k: 'resource';
}
export interface WAlias {
  k: 'alias';
  target: WType;
}
export interface WFunc {
  k: 'func';
  async: boolean;
  params: [string, WValType][];
  result: WValType | undefined;
}
export interface WInstance {
  k: 'instance';
  exports: WExtern[];
  /** The exports by lowercased name, for `alias export` lookups and conflict checks. */
  byName: Map<string, WExtern>;
}
export interface WComponent {
  k: 'component';
  imports: WExtern[];
  exports: WExtern[];
}

export type WDefined =
  | { k: 'prim'; type: PrimitiveType }
  | { k: 'record'; fields: [string, WValType][] }
  | { k: 'variant'; cases: [string, WValType | undefined][] }
  | { k: 'list'; type: WValType }
  | { k: 'fixed-list'; type: WValType; length: number }
  | { k: 'map'; key: WValType; value: WValType }
  | { k: 'tuple'; types: WValType[] }
  | { k: 'flags'; names: string[] }
  | { k: 'enum'; names: string[] }
  | { k: 'option'; type: WValType }
  | { k: 'result'; ok: WValType | undefined; err: WValType | undefined }
  | { k: 'own'; resource: WType }
  | { k: 'borrow'; resource: WType }
  | { k: 'future'; type: WValType | undefined }
  | { k: 'stream'; type: WValType | undefined };

export type WType = WDefined | WResource | WAlias | WFunc | WInstance | WComponent;

/** What an import or export of a component or instance type describes. */
export type WEntity =
  | { k: 'func'; type: WFunc }
  | { k: 'type'; referenced: WType; created: WType }
  | { k: 'instance'; type: WInstance }
  | { k: 'component'; type: WComponent };

/** One import or export: the extern name with its options, and what it describes. */
export interface WExtern {
  name: string;
  implements?: string;
  versionSuffix?: string;
  externalId?: string;
  entity: WEntity;
  /** Byte offset of the declaration, for error messages. */
  offset: number;
}

/** Follows alias links to the definition a type object stands for. */
export function peel(type: WType): Exclude<WType, WAlias> {
  let current = type;
  while (current.k === 'alias') current = current.target;
  return current;
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
