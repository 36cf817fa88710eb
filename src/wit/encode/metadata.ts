/**
 * The `package-docs` custom section (wit-parser metadata.rs, version 1): a version byte then
 * compact JSON with serde's field order, empty fields left out. Foreign packages get none.
 */
import {
  getInterface,
  getPackage,
  getType,
  getWorld,
  type Docs,
  type Function,
  type InterfaceId,
  type PackageId,
  type Resolve,
  type Stability,
  type TypeId,
  type WorldId,
} from '../model.js';
import { interfaceIdName } from '../resolve/elaborate.js';

type Obj = Record<string, unknown>;
const enc = new TextEncoder();

export function packageDocsJson(resolve: Resolve, pkgId: PackageId): Uint8Array {
  const pkg = getPackage(resolve, pkgId);
  const out: Obj = {};
  if (pkg.docs.contents !== undefined) out.docs = pkg.docs.contents;
  const worlds = entries([...pkg.worlds].map(([n, id]) => [n, worldMeta(resolve, id)]));
  if (worlds !== undefined) out.worlds = worlds;
  const ifaces = entries([...pkg.interfaces].map(([n, id]) => [n, ifaceMeta(resolve, id)]));
  if (ifaces !== undefined) out.interfaces = ifaces;
  const json = enc.encode(JSON.stringify(out));
  const data = new Uint8Array(json.length + 1);
  data[0] = 1;
  data.set(json, 1);
  return data;
}

function entries(list: [string, Obj | undefined][]): Obj | undefined {
  const kept = list.filter((e): e is [string, Obj] => e[1] !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

function stability(s: Stability): Obj | undefined {
  if (s.kind === 'unknown') return undefined;
  const dep = s.deprecated === undefined ? {} : { deprecated: s.deprecated };
  return s.kind === 'stable'
    ? { stable: { since: s.since, ...dep } }
    : { unstable: { feature: s.feature, ...dep } };
}

function base(docs: Docs, stab: Stability): Obj {
  const o: Obj = {};
  if (docs.contents !== undefined) o.docs = docs.contents;
  const s = stability(stab);
  if (s !== undefined) o.stability = s;
  return o;
}

function nonEmpty(o: Obj): Obj | undefined {
  return Object.keys(o).length === 0 ? undefined : o;
}

function funcMeta(f: Function): Obj | undefined {
  return nonEmpty(base(f.docs, f.stability));
}

function typeMeta(resolve: Resolve, id: TypeId): Obj | undefined {
  const t = getType(resolve, id);
  const o = base(t.docs, t.stability);
  const k = t.kind;
  const list =
    k.tag === 'record'
      ? k.fields
      : k.tag === 'flags'
        ? k.flags
        : k.tag === 'variant' || k.tag === 'enum'
          ? k.cases
          : [];
  const items = list
    .filter((i) => i.docs.contents !== undefined)
    .map((i) => [i.name, i.docs.contents]);
  if (items.length > 0) o.items = Object.fromEntries(items);
  return nonEmpty(o);
}

function ifaceMeta(resolve: Resolve, id: InterfaceId): Obj | undefined {
  const iface = getInterface(resolve, id);
  const o = base(iface.docs, iface.stability);
  const funcs = entries([...iface.functions].map(([n, f]) => [n, funcMeta(f)]));
  if (funcs !== undefined) o.funcs = funcs;
  const types = entries([...iface.types].map(([n, t]) => [n, typeMeta(resolve, t)]));
  if (types !== undefined) o.types = types;
  return nonEmpty(o);
}

function worldMeta(resolve: Resolve, id: WorldId): Obj | undefined {
  const world = getWorld(resolve, id);
  const m: Record<string, Obj> = {
    interfaces: {},
    types: {},
    funcs: {},
    interface_exports: {},
    func_exports: {},
    interface_import_stability: {},
    interface_export_stability: {},
  };
  const all = [
    ...[...world.imports.values()].map((e) => ({ ...e, imp: true })),
    ...[...world.exports.values()].map((e) => ({ ...e, imp: false })),
  ];
  for (const { key, item, imp } of all) {
    const recordStability = (): void => {
      if (item.kind !== 'interface') return;
      const s = stability(item.stability);
      if (s === undefined) return;
      const name = key.kind === 'name' ? key.name : interfaceIdName(resolve, key.id);
      m[imp ? 'interface_import_stability' : 'interface_export_stability']![name] = s;
    };
    if (key.kind === 'interface') {
      recordStability();
      continue;
    }
    if (item.kind === 'interface') {
      if (getInterface(resolve, item.id).name !== undefined) {
        recordStability();
        continue;
      }
      const data = ifaceMeta(resolve, item.id);
      if (data !== undefined) m[imp ? 'interfaces' : 'interface_exports']![key.name] = data;
    } else if (item.kind === 'type') {
      const data = typeMeta(resolve, item.id);
      if (data !== undefined) m.types![key.name] = data;
    } else {
      const data = funcMeta(item.func);
      if (data !== undefined) m[imp ? 'funcs' : 'func_exports']![key.name] = data;
    }
  }
  const o = base(world.docs, world.stability);
  for (const [k, v] of Object.entries(m)) if (Object.keys(v).length > 0) o[k] = v;
  return nonEmpty(o);
}
