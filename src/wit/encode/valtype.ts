/**
 * Value types and function types into the current scope, as wit-component's `ValtypeEncoder` and
 * `InterfaceEncoder` do (encoding/types.rs, encoding/wit.rs): a type id already encoded in the
 * scope is reused; an anonymous definition structurally equal to an earlier one is reused; a
 * type owned by another interface is aliased from that interface's instance (one outer alias per
 * type id) and re-aliased with `alias outer 1`; named types are exported (`eq`), or imported when
 * encoding world-level types; resources are `sub resource`.
 */
import type { ByteWriter } from '../binary/writer.js';
import {
  getType,
  isTypeId,
  type Function,
  type InterfaceId,
  type PrimitiveType,
  type Resolve,
  type Type,
  type TypeId,
} from '../model.js';
import { plainName, TypeScopeBuilder } from './scope.js';

const PRIMITIVE_CODES: Record<PrimitiveType, number> = {
  bool: 0x7f,
  s8: 0x7e,
  u8: 0x7d,
  s16: 0x7c,
  u16: 0x7b,
  s32: 0x7a,
  u32: 0x79,
  s64: 0x78,
  u64: 0x77,
  f32: 0x76,
  f64: 0x75,
  char: 0x74,
  string: 0x73,
  'error-context': 0x64,
};

/** A value type: a primitive code or a type index. */
type ValType = { prim: number } | { index: number };

function writeVal(w: ByteWriter, v: ValType): ByteWriter {
  return 'prim' in v ? w.byte(v.prim) : w.s33(v.index);
}

function writeOptVal(w: ByteWriter, v: ValType | undefined): void {
  if (v === undefined) w.byte(0x00);
  else {
    w.byte(0x01);
    writeVal(w, v);
  }
}

export class InterfaceEncoder {
  readonly outer = new TypeScopeBuilder('component');
  inner: TypeScopeBuilder | undefined;
  /** Interface → its instance index in the outer component. */
  readonly importMap = new Map<InterfaceId, number>();
  readonly outerTypeMap = new Map<TypeId, number>();
  instances = 0;
  importTypes = false;
  iface: InterfaceId | undefined;

  constructor(readonly resolve: Resolve) {}

  get scope(): TypeScopeBuilder {
    return this.inner ?? this.outer;
  }

  /** `(type (instance ...))` of an interface's types (and functions); returns its type index. */
  encodeInstance(id: InterfaceId, withFunctions: boolean): number {
    this.inner = new TypeScopeBuilder('instance');
    const iface = this.resolve.interfaces[id]!;
    const order: TypeId[] = [];
    for (const typeId of iface.types.values()) {
      this.valtype(typeId);
      order.push(typeId);
    }
    if (withFunctions) {
      const funcs = [...iface.functions.entries()]
        .map(([name, f], i) => ({
          name,
          f,
          i,
          key: 'resource' in f.kind ? order.indexOf(f.kind.resource) : order.length,
        }))
        .sort((a, b) => a.key - b.key || a.i - b.i);
      for (const { name, f } of funcs) {
        const ty = this.funcType(f);
        this.inner.extern('export', plainName(name), (w) => w.byte(0x01).u32(ty), false);
      }
    }
    const instance = this.inner;
    this.inner = undefined;
    const index = this.outer.defineType((w) => {
      // defineType wrote 0x01 already; the instance type follows.
      instance.encode(w);
    });
    this.importMap.set(id, this.instances++);
    return index;
  }

  funcType(f: Function): number {
    const isAsync = f.kind.tag.startsWith('async');
    const key = JSON.stringify([isAsync, f.params.map((p) => [p.name, p.type]), f.result ?? null]);
    const found = this.scope.funcToIndex.get(key);
    if (found !== undefined) return found;
    const params = f.params.map((p) => ({ name: p.name, v: this.valOf(p.type) }));
    const result = f.result === undefined ? undefined : this.valOf(f.result);
    const index = this.scope.defineType((w) => {
      w.byte(isAsync ? 0x43 : 0x40).u32(params.length);
      for (const p of params) {
        w.string(p.name);
        writeVal(w, p.v);
      }
      if (result === undefined) w.byte(0x01).byte(0x00);
      else {
        w.byte(0x00);
        writeVal(w, result);
      }
    });
    this.scope.funcToIndex.set(key, index);
    return index;
  }

  valOf(t: Type): ValType {
    return isTypeId(t) ? this.valtype(t) : { prim: PRIMITIVE_CODES[t] };
  }

  private optVal(t: Type | undefined): ValType | undefined {
    return t === undefined ? undefined : this.valOf(t);
  }

  /** Encodes type definition `id` into the current scope. */
  valtype(id: TypeId): ValType {
    const scope = this.scope;
    const known = scope.idToIndex.get(id);
    if (known !== undefined) return { index: known };
    const def = getType(this.resolve, id);
    const anonKey = def.name === undefined ? JSON.stringify(def.kind) : undefined;
    if (anonKey !== undefined) {
      const same = scope.defToIndex.get(anonKey);
      if (same !== undefined) return { index: same };
    }
    if (def.owner.kind === 'interface' && def.owner.id !== this.iface) {
      const index = this.importType(def.owner.id, id, def.name!);
      scope.idToIndex.set(id, index);
      return { index };
    }
    if (def.kind.tag === 'resource') {
      const index = this.exportOrImport(def.name!, (w) => w.byte(0x03).byte(0x01));
      scope.idToIndex.set(id, index);
      return { index };
    }
    let encoded = this.encodeKind(id);
    if (def.name !== undefined) {
      let index: number;
      if ('prim' in encoded) {
        const prim = encoded.prim;
        index = scope.defineType((w) => w.byte(prim));
      } else index = encoded.index;
      const target = index;
      index = this.exportOrImport(def.name, (w) => w.byte(0x03).byte(0x00).u32(target));
      encoded = { index };
    }
    if ('index' in encoded) {
      scope.idToIndex.set(id, encoded.index);
      if (anonKey !== undefined) scope.defToIndex.set(anonKey, encoded.index);
    }
    return encoded;
  }

  private exportOrImport(name: string, desc: (w: ByteWriter) => void): number {
    const kind = this.inner === undefined && this.importTypes ? 'import' : 'export';
    return this.scope.extern(kind, plainName(name), desc, true)!;
  }

  private importType(owner: InterfaceId, id: TypeId, name: string): number {
    let outerIdx = this.outerTypeMap.get(id);
    if (outerIdx === undefined) {
      const instance = this.importMap.get(owner);
      if (instance === undefined)
        throw new Error(`interface ${owner} is not imported before use of type ${name}`);
      outerIdx = this.outer.aliasExport(instance, name);
      this.outerTypeMap.set(id, outerIdx);
    }
    return this.inner === undefined ? outerIdx : this.inner.aliasOuter(1, outerIdx);
  }

  private define(body: (w: ByteWriter) => void): ValType {
    return { index: this.scope.defineType(body) };
  }

  private encodeKind(id: TypeId): ValType {
    const kind = getType(this.resolve, id).kind;
    switch (kind.tag) {
      case 'record': {
        const fields = kind.fields.map((f) => ({ name: f.name, v: this.valOf(f.type) }));
        return this.define((w) => {
          w.byte(0x72).u32(fields.length);
          for (const f of fields) writeVal(w.string(f.name), f.v);
        });
      }
      case 'variant': {
        const cases = kind.cases.map((c) => ({ name: c.name, v: this.optVal(c.type) }));
        return this.define((w) => {
          w.byte(0x71).u32(cases.length);
          for (const c of cases) {
            writeOptVal(w.string(c.name), c.v);
            w.byte(0x00);
          }
        });
      }
      case 'enum':
      case 'flags': {
        const names =
          kind.tag === 'enum' ? kind.cases.map((c) => c.name) : kind.flags.map((f) => f.name);
        return this.define((w) => {
          w.byte(kind.tag === 'enum' ? 0x6d : 0x6e).u32(names.length);
          for (const n of names) w.string(n);
        });
      }
      case 'tuple': {
        const types = kind.types.map((t) => this.valOf(t));
        return this.define((w) => {
          w.byte(0x6f).u32(types.length);
          for (const t of types) writeVal(w, t);
        });
      }
      case 'option': {
        const v = this.valOf(kind.type);
        return this.define((w) => writeVal(w.byte(0x6b), v));
      }
      case 'result': {
        const ok = this.optVal(kind.ok);
        const err = this.optVal(kind.err);
        return this.define((w) => {
          writeOptVal(w.byte(0x6a), ok);
          writeOptVal(w, err);
        });
      }
      case 'list': {
        const v = this.valOf(kind.type);
        return this.define((w) => writeVal(w.byte(0x70), v));
      }
      case 'fixed-length-list': {
        const v = this.valOf(kind.type);
        return this.define((w) => writeVal(w.byte(0x67), v).u32(kind.length));
      }
      case 'map': {
        const k = this.valOf(kind.key);
        const v = this.valOf(kind.value);
        return this.define((w) => {
          writeVal(w.byte(0x63), k);
          writeVal(w, v);
        });
      }
      case 'future':
      case 'stream': {
        const v = this.optVal(kind.type);
        return this.define((w) => writeOptVal(w.byte(kind.tag === 'future' ? 0x65 : 0x66), v));
      }
      case 'handle': {
        const r = this.valtype(kind.resource);
        const idx = 'index' in r ? r.index : 0;
        return this.define((w) => w.byte(kind.handle === 'own' ? 0x69 : 0x68).u32(idx));
      }
      case 'type':
        return this.valOf(kind.type);
      case 'resource':
      case 'unknown':
        throw new Error(`cannot encode type ${id} of kind ${kind.tag}`);
    }
  }
}
