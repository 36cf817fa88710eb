/**
 * World `include` and elaboration, following wit-parser's `resolve_include` and `elaborate_world`
 * (resolve/mod.rs): included imports/exports are copied (named ones renamed by `with`),
 * then imports are stably sorted by class (interfaces, types using another owner, other types,
 * freestanding functions, resource functions) with every interface they transitively need added
 * before them, and exported interfaces pull in their dependencies as imports (or fail with
 * "transitively depends on an interface in incompatible ways").
 */
import { resolveError, type Span } from '../diagnostics.js';
import {
  getInterface,
  getType,
  getWorld,
  isTypeId,
  worldKeyString,
  type InterfaceId,
  type Resolve,
  type Stability,
  type TypeId,
  type WorldId,
  type WorldItem,
  type WorldKey,
} from '../model.js';

type Entry = { key: WorldKey; item: WorldItem };
type Items = Map<string, Entry>;

/** The interfaces an interface's types `use` from other interfaces (`interface_direct_deps`). */
export function interfaceDirectDeps(resolve: Resolve, id: InterfaceId): InterfaceId[] {
  const out: InterfaceId[] = [];
  for (const typeId of getInterface(resolve, id).types.values()) {
    const dep = typeInterfaceDep(resolve, typeId);
    if (dep !== undefined && dep !== id) out.push(dep);
  }
  return out;
}

/** For `use`-produced aliases, the interface that owns the aliased type. */
export function typeInterfaceDep(resolve: Resolve, id: TypeId): InterfaceId | undefined {
  const def = getType(resolve, id);
  if (def.kind.tag !== 'type' || !isTypeId(def.kind.type)) return undefined;
  const owner = getType(resolve, def.kind.type).owner;
  return owner.kind === 'interface' ? owner.id : undefined;
}

function importClass(resolve: Resolve, item: WorldItem): number {
  switch (item.kind) {
    case 'interface':
      return 0;
    case 'type': {
      const def = getType(resolve, item.id);
      if (def.kind.tag === 'type' && isTypeId(def.kind.type)) {
        const other = getType(resolve, def.kind.type).owner;
        const same =
          other.kind === def.owner.kind &&
          other.kind !== 'none' &&
          def.owner.kind !== 'none' &&
          other.id === def.owner.id;
        if (!same) return 1;
      }
      return 2;
    }
    case 'function':
      return 'resource' in item.func.kind ? 4 : 3;
  }
}

/** Rewrites a world's imports and exports into their elaborated form; errors point at `span`. */
export function elaborateWorld(resolve: Resolve, worldId: WorldId, span?: Span): void {
  const world = getWorld(resolve, worldId);
  const imports: Items = new Map();
  for (const e of byClass(resolve, [...world.imports.values()])) {
    if (e.item.kind === 'interface') {
      elaborateImport(resolve, imports, e.key, e.item.id, e.item.stability, e.item);
    } else if (e.item.kind === 'type') {
      const dep = typeInterfaceDep(resolve, e.item.id);
      if (dep !== undefined) {
        const stability = getType(resolve, e.item.id).stability;
        elaborateImport(resolve, imports, { kind: 'interface', id: dep }, dep, stability);
      }
      imports.set(worldKeyString(e.key), e);
    } else {
      imports.set(worldKeyString(e.key), e);
    }
  }
  const exports: Items = new Map();
  const exportIfaces: Items = new Map();
  for (const e of world.exports.values()) {
    (e.item.kind === 'interface' ? exportIfaces : exports).set(worldKeyString(e.key), e);
  }
  const st: ExportState = { imports, exports, exportIfaces, required: new Set() };
  for (const { key, item } of exportIfaces.values()) {
    if (!addExport(resolve, st, key, item as InterfaceItem, true)) {
      const name = key.kind === 'name' ? key.name : interfaceIdName(resolve, key.id);
      resolveError(
        `interface \`${name}\` transitively depends on an interface in incompatible ways`,
        span,
      );
    }
  }
  // Types found while elaborating may sit between interfaces: sort by class again.
  world.imports = new Map(
    byClass(resolve, [...imports.values()]).map((e) => [worldKeyString(e.key), e]),
  );
  world.exports = exports;
}

/** A stable sort of world items by {@link importClass}. */
function byClass(resolve: Resolve, entries: Entry[]): Entry[] {
  return entries
    .map((e, i) => ({ e, i, c: importClass(resolve, e.item) }))
    .sort((a, b) => a.c - b.c || a.i - b.i)
    .map(({ e }) => e);
}

function elaborateImport(
  resolve: Resolve,
  imports: Items,
  key: WorldKey,
  id: InterfaceId,
  stability: Stability,
  original?: WorldItem,
): void {
  const k = worldKeyString(key);
  if (imports.has(k)) return;
  for (const dep of interfaceDirectDeps(resolve, id)) {
    elaborateImport(resolve, imports, { kind: 'interface', id: dep }, dep, stability);
  }
  imports.set(k, { key, item: original ?? { kind: 'interface', id, stability } });
}

type InterfaceItem = Extract<WorldItem, { kind: 'interface' }>;

interface ExportState {
  imports: Items;
  exports: Items;
  /** The world's interface exports, by key. */
  exportIfaces: Items;
  /** Interfaces that some export needs as an import. */
  required: Set<InterfaceId>;
}

/**
 * wit-parser's `add_world_export`: an export's dependencies become exports when the world
 * exports them too, else imports (with the export's stability); false when one interface would
 * be needed both ways.
 */
function addExport(
  resolve: Resolve,
  st: ExportState,
  key: WorldKey,
  item: InterfaceItem,
  asExport: boolean,
): boolean {
  const k = worldKeyString(key);
  if (st.exports.has(k)) return asExport;
  if (!asExport && st.required.has(item.id)) return true;
  for (const dep of interfaceDirectDeps(resolve, item.id)) {
    const depKey: WorldKey = { kind: 'interface', id: dep };
    const depItem: InterfaceItem = {
      kind: 'interface',
      id: dep,
      stability: item.stability,
      ...(item.externalId === undefined ? {} : { externalId: item.externalId }),
    };
    const depExport = asExport && st.exportIfaces.has(worldKeyString(depKey));
    if (!addExport(resolve, st, depKey, depItem, depExport)) return false;
  }
  if (asExport) {
    if (st.required.has(item.id)) return false;
    st.exports.set(k, { key, item });
  } else {
    st.required.add(item.id);
    if (!st.imports.has(k)) st.imports.set(k, { key, item });
  }
  return true;
}

/** `ns:pkg/iface@ver` of an interface, for messages and extern names. */
export function interfaceIdName(resolve: Resolve, id: InterfaceId): string {
  const iface = getInterface(resolve, id);
  const pkg = iface.package === undefined ? undefined : resolve.packages[iface.package];
  if (pkg === undefined || iface.name === undefined) return iface.name ?? '<anonymous>';
  const base = `${pkg.name.namespace}:${pkg.name.name}/${iface.name}`;
  return pkg.name.version === undefined ? base : `${base}@${pkg.name.version}`;
}
