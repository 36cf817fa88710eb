/**
 * Type identity and conversion: wasm-level type objects → resolved `TypeDef`s.
 *
 * Mirrors wit-parser's decoder (`decoding.rs`): `typeMap` maps a wasm type object to the `TypeId`
 * it became. A named type export first looks for a type already known along its alias chain
 * (`findAlias`); if one exists the new type is `type name = <that>`, which the printer shows as a
 * `use` when the owners differ. Otherwise the definition is converted. Anonymous value types are
 * converted once per wasm object and cached. Records, variants, enums, flags and resources must be
 * named; a handle must point at a known resource.
 */
import { witError } from '../error-text.js';
import { limitError } from '../binary/reader.js';
import type {
  Function,
  FunctionKind,
  Resolve,
  Type,
  TypeDefKind,
  TypeId,
  TypeOwner,
} from '../model.js';
import { addType, emptyResolve, getType, UNKNOWN_STABILITY } from '../model.js';
import type { DecodeLimits } from '../binary/reader.js';
import type { CheckState } from './check-state.js';
import { checkResourceFunction } from './checks.js';
import type { WDefined, WExtern, WFunc, WType, WValType } from './wasm-types.js';
import { isDefined, peel } from './wasm-types.js';

/** Shared state of one decode: the Resolve being built and the wasm → WIT identity maps. */
export class DecodeState implements CheckState {
  readonly resolve: Resolve = emptyResolve();
  readonly typeMap = new Map<WType, TypeId>();
  /** Resources by owner ({@link ownerKey}) and name, for resolving `[method]r.m` names. */
  readonly resources = new Map<number, Map<string, TypeId>>();
  /** Byte offset of the item being decoded, for error messages. */
  at = 0;
  private depth = 0;

  constructor(readonly limits: DecodeLimits) {}

  fail(message: string): never {
    throw witError('binary-malformed', { offset: this.at, problem: message });
  }

  /** Walks the alias chain of `type` and returns the first one already converted. */
  findAlias(type: WType): TypeId | undefined {
    let current: WType = type;
    for (;;) {
      const id = this.typeMap.get(current);
      if (id !== undefined) return id;
      if (current.k !== 'alias') return undefined;
      current = current.target;
    }
  }

  mapType(created: WType, id: TypeId, name: string): void {
    if (this.typeMap.has(created)) {
      this.fail(
        `cannot represent this component in WIT: the type \`${name}\` appears more than once`,
      );
    }
    this.typeMap.set(created, id);
  }

  /** Registers a named type import/export (`register_type_export`). */
  registerTypeExport(ext: WExtern, owner: TypeOwner): TypeId {
    if (ext.entity.k !== 'type') return this.fail(`\`${ext.name}\` is not a type`);
    const { referenced, created } = ext.entity;
    const prev = this.findAlias(referenced);
    let kind: TypeDefKind;
    if (prev !== undefined) kind = { tag: 'type', type: prev };
    else {
      const base = peel(referenced);
      if (base.k === 'resource') kind = { tag: 'resource' };
      else if (isDefined(base)) kind = this.convertDefined(base);
      else return this.fail(`type export \`${ext.name}\` is not a value or resource type`);
    }
    const def = { name: ext.name, kind, owner, docs: {}, stability: UNKNOWN_STABILITY };
    const id = addType(
      this.resolve,
      ext.externalId === undefined ? def : { ...def, externalId: ext.externalId },
    );
    if (kind.tag === 'resource') {
      const key = ownerKey(owner);
      let map = this.resources.get(key);
      if (map === undefined) this.resources.set(key, (map = new Map<string, TypeId>()));
      if (map.has(ext.name)) this.fail(`duplicate resource \`${ext.name}\``);
      map.set(ext.name, id);
    }
    this.mapType(created, id, ext.name);
    return id;
  }

  convertValType(type: WValType): Type {
    if (typeof type === 'string') return type;
    const known = this.typeMap.get(type);
    if (known !== undefined) return known;
    const base = peel(type);
    if (!isDefined(base)) return this.fail('a value type refers to a non-value type');
    const kind = this.convertDefined(base);
    if (['record', 'variant', 'enum', 'flags', 'resource'].includes(kind.tag)) {
      this.fail(`unexpected unnamed type of kind \`${kind.tag}\``);
    }
    const id = addType(this.resolve, {
      kind,
      owner: { kind: 'none' },
      docs: {},
      stability: UNKNOWN_STABILITY,
    });
    this.typeMap.set(type, id);
    return id;
  }

  private optional(type: WValType | undefined): Type | undefined {
    return type === undefined ? undefined : this.convertValType(type);
  }

  private handle(resource: WType): TypeId {
    const id = this.typeMap.get(resource) ?? this.findAlias(resource);
    if (id === undefined) return this.fail('a handle refers to a resource that is not exported');
    return id;
  }

  convertDefined(def: WDefined): TypeDefKind {
    if (++this.depth > this.limits.maxDepth) {
      throw limitError(this.at, `types are nested more than ${this.limits.maxDepth} deep`);
    }
    try {
      return this.convertDefinedInner(def);
    } finally {
      this.depth--;
    }
  }

  private convertDefinedInner(def: WDefined): TypeDefKind {
    switch (def.k) {
      case 'prim':
        return { tag: 'type', type: def.type };
      case 'list':
        return { tag: 'list', type: this.convertValType(def.type) };
      case 'fixed-list':
        return {
          tag: 'fixed-length-list',
          type: this.convertValType(def.type),
          length: def.length,
        };
      case 'map':
        return {
          tag: 'map',
          key: this.convertValType(def.key),
          value: this.convertValType(def.value),
        };
      case 'tuple':
        return { tag: 'tuple', types: def.types.map((t) => this.convertValType(t)) };
      case 'option':
        return { tag: 'option', type: this.convertValType(def.type) };
      case 'result':
        return resultKind(this.optional(def.ok), this.optional(def.err));
      case 'record':
        return {
          tag: 'record',
          fields: def.fields.map(([name, t]) => ({ name, type: this.convertValType(t), docs: {} })),
        };
      case 'variant':
        return {
          tag: 'variant',
          cases: def.cases.map(([name, t]) => {
            const type = this.optional(t);
            return type === undefined ? { name, docs: {} } : { name, type, docs: {} };
          }),
        };
      case 'flags':
        return { tag: 'flags', flags: def.names.map((name) => ({ name, docs: {} })) };
      case 'enum':
        return { tag: 'enum', cases: def.names.map((name) => ({ name, docs: {} })) };
      case 'own':
      case 'borrow':
        return { tag: 'handle', handle: def.k, resource: this.handle(def.resource) };
      case 'future':
      case 'stream': {
        const type = this.optional(def.type);
        return type === undefined ? { tag: def.k } : { tag: def.k, type };
      }
    }
  }

  /** Converts a function import/export named `ext.name` (`convert_function`). */
  convertFunction(ext: WExtern, owner: TypeOwner): Function {
    if (ext.entity.k !== 'func') return this.fail(`\`${ext.name}\` is not a function`);
    const ty: WFunc = ext.entity.type;
    const params = ty.params.map(([name, t]) => ({ name, type: this.convertValType(t) }));
    const result = this.optional(ty.result);
    const func: Function = {
      name: ext.name,
      kind: this.functionKind(ext, ty.async, owner),
      params,
      docs: {},
      stability: UNKNOWN_STABILITY,
    };
    if (result !== undefined) func.result = result;
    if (ext.externalId !== undefined) func.externalId = ext.externalId;
    checkResourceFunction(this, func, ty.async);
    return func;
  }

  private functionKind(ext: WExtern, isAsync: boolean, owner: TypeOwner): FunctionKind {
    const { name, parsed } = ext;
    if (parsed.kind === 'label') return { tag: isAsync ? 'async-freestanding' : 'freestanding' };
    if (parsed.kind === 'interface') return this.fail(`invalid function name \`${name}\``);
    const resource = this.resources.get(ownerKey(owner))?.get(parsed.resource);
    if (resource === undefined)
      return this.fail(`function \`${name}\` refers to an unknown resource`);
    if (parsed.kind === 'constructor') return { tag: 'constructor', resource };
    if (parsed.kind === 'method') return { tag: isAsync ? 'async-method' : 'method', resource };
    return { tag: isAsync ? 'async-static' : 'static', resource };
  }

  /** The interface a `use`d type comes from, when it is another owner's (`type_interface_dep`). */
  typeInterfaceDep(id: TypeId): number | undefined {
    const def = getType(this.resolve, id);
    if (def.kind.tag !== 'type' || typeof def.kind.type !== 'number') return undefined;
    const other = getType(this.resolve, def.kind.type);
    if (other.owner.kind !== 'interface') return undefined;
    if (def.owner.kind === 'interface' && def.owner.id === other.owner.id) return undefined;
    return other.owner.id;
  }
}

/** A `result` kind with only the parts present (one shape per combination, no spread). */
function resultKind(ok: Type | undefined, err: Type | undefined): TypeDefKind {
  if (ok !== undefined && err !== undefined) return { tag: 'result', ok, err };
  if (ok !== undefined) return { tag: 'result', ok };
  if (err !== undefined) return { tag: 'result', err };
  return { tag: 'result' };
}

/** A number per owner (interface `2i`, world `2w + 1`, none `-1`): no string made per lookup. */
export function ownerKey(owner: TypeOwner): number {
  return owner.kind === 'interface' ? 2 * owner.id : owner.kind === 'world' ? 2 * owner.id + 1 : -1;
}
