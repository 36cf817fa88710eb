/**
 * Merging one resolve into another (wit-parser's `Resolve::merge`), used for binary dependencies:
 * a decoded `.wasm` package comes with partial slices of its own dependencies, so packages already
 * present unify by name (interfaces by name, then types and functions by name, missing ones added)
 * and everything else is copied with its ids remapped.
 */
import {
  addInterface,
  addPackage,
  addType,
  addWorld,
  formatPackageName,
  isTypeId,
  worldKeyString,
  type Function,
  type InterfaceId,
  type PackageId,
  type Resolve,
  type Type,
  type TypeDefKind,
  type TypeId,
  type TypeOwner,
  type WorldId,
  type WorldItem,
  type WorldKey,
} from '../model.js';

/** Adds every package of `from` to `into`; returns the id map of `from`'s packages. */
export function mergeResolve(into: Resolve, from: Resolve): Map<PackageId, PackageId> {
  const pkgs = new Map<PackageId, PackageId>();
  const ifaces = new Map<InterfaceId, InterfaceId>();
  const worlds = new Map<WorldId, WorldId>();
  const types = new Map<TypeId, TypeId>();
  const fresh = new Set<number>();
  from.packages.forEach((p, i) => {
    const existing = into.packageNames.get(formatPackageName(p.name));
    pkgs.set(
      i as PackageId,
      existing ??
        addPackage(into, { name: p.name, docs: p.docs, interfaces: new Map(), worlds: new Map() }),
    );
  });
  from.interfaces.forEach((iface, i) => {
    const pkg = iface.package === undefined ? undefined : pkgs.get(iface.package);
    const existing =
      pkg !== undefined && iface.name !== undefined
        ? into.packages[pkg]!.interfaces.get(iface.name)
        : undefined;
    if (existing !== undefined) return ifaces.set(i as InterfaceId, existing);
    const id = addInterface(into, {
      ...iface,
      types: new Map(),
      functions: new Map(),
      ...(pkg === undefined ? {} : { package: pkg }),
    });
    if (pkg !== undefined && iface.name !== undefined)
      into.packages[pkg]!.interfaces.set(iface.name, id);
    fresh.add(id);
    return ifaces.set(i as InterfaceId, id);
  });
  from.worlds.forEach((world, i) => {
    const pkg = world.package === undefined ? undefined : pkgs.get(world.package);
    const existing = pkg !== undefined ? into.packages[pkg]!.worlds.get(world.name) : undefined;
    if (existing !== undefined) return worlds.set(i as WorldId, existing);
    const id = addWorld(into, {
      ...world,
      imports: new Map(),
      exports: new Map(),
      ...(pkg === undefined ? {} : { package: pkg }),
    });
    if (pkg !== undefined) into.packages[pkg]!.worlds.set(world.name, id);
    fresh.add(-1 - id);
    return worlds.set(i as WorldId, id);
  });
  const owner = (o: TypeOwner): TypeOwner =>
    o.kind === 'interface'
      ? { kind: 'interface', id: ifaces.get(o.id)! }
      : o.kind === 'world'
        ? { kind: 'world', id: worlds.get(o.id)! }
        : o;
  from.types.forEach((def, i) => {
    const o = owner(def.owner);
    if (o.kind === 'interface' && def.name !== undefined && !fresh.has(o.id)) {
      const existing = into.interfaces[o.id]!.types.get(def.name);
      if (existing !== undefined) return types.set(i as TypeId, existing);
    }
    return types.set(i as TypeId, addType(into, { ...def, owner: o, kind: { tag: 'unknown' } }));
  });
  const ty = (t: Type): Type => (isTypeId(t) ? types.get(t)! : t);
  from.types.forEach((def, i) => {
    const target = into.types[types.get(i as TypeId)!]!;
    if (target.kind.tag === 'unknown')
      target.kind = remapKind(def.kind, ty, (id) => types.get(id)!);
  });
  const func = (f: Function): Function => ({
    ...f,
    kind: 'resource' in f.kind ? { ...f.kind, resource: types.get(f.kind.resource)! } : f.kind,
    params: f.params.map((p) => ({ name: p.name, type: ty(p.type) })),
    ...(f.result === undefined ? {} : { result: ty(f.result) }),
  });
  from.interfaces.forEach((iface, i) => {
    const target = into.interfaces[ifaces.get(i as InterfaceId)!]!;
    for (const [name, id] of iface.types)
      if (!target.types.has(name)) target.types.set(name, types.get(id)!);
    for (const [name, f] of iface.functions)
      if (!target.functions.has(name)) target.functions.set(name, func(f));
  });
  const key = (k: WorldKey): WorldKey =>
    k.kind === 'interface' ? { kind: 'interface', id: ifaces.get(k.id)! } : k;
  const item = (it: WorldItem): WorldItem =>
    it.kind === 'interface'
      ? { ...it, id: ifaces.get(it.id)! }
      : it.kind === 'type'
        ? { kind: 'type', id: types.get(it.id)! }
        : { kind: 'function', func: func(it.func) };
  from.worlds.forEach((world, i) => {
    const id = worlds.get(i as WorldId)!;
    if (!fresh.has(-1 - id)) return;
    const target = into.worlds[id]!;
    for (const [src, dst] of [
      [world.imports, target.imports],
      [world.exports, target.exports],
    ] as const) {
      for (const e of src.values()) {
        const k = key(e.key);
        dst.set(worldKeyString(k), { key: k, item: item(e.item) });
      }
    }
  });
  return pkgs;
}

function remapKind(
  kind: TypeDefKind,
  ty: (t: Type) => Type,
  id: (t: TypeId) => TypeId,
): TypeDefKind {
  switch (kind.tag) {
    case 'record':
      return { ...kind, fields: kind.fields.map((f) => ({ ...f, type: ty(f.type) })) };
    case 'variant':
      return {
        ...kind,
        cases: kind.cases.map((c) => ({
          ...c,
          ...(c.type === undefined ? {} : { type: ty(c.type) }),
        })),
      };
    case 'tuple':
      return { ...kind, types: kind.types.map(ty) };
    case 'option':
    case 'list':
    case 'fixed-length-list':
    case 'type':
      return { ...kind, type: ty(kind.type) };
    case 'future':
    case 'stream':
      return kind.type === undefined ? kind : { ...kind, type: ty(kind.type) };
    case 'result':
      return {
        tag: 'result',
        ...(kind.ok === undefined ? {} : { ok: ty(kind.ok) }),
        ...(kind.err === undefined ? {} : { err: ty(kind.err) }),
      };
    case 'map':
      return { ...kind, key: ty(kind.key), value: ty(kind.value) };
    case 'handle':
      return { ...kind, resource: id(kind.resource) };
    case 'resource':
    case 'flags':
    case 'enum':
    case 'unknown':
      return kind;
  }
}
