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
import type { Ident, UsePath } from '../text/ast.js';
import type { PackageContext } from './context.js';

type Entry = { key: WorldKey; item: WorldItem };
type Items = Map<string, Entry>;

/** Copies the items of world `from` into world `into` (an `include`). */
export function includeWorld(
  ctx: PackageContext,
  into: WorldId,
  from: WorldId,
  withs: { from: Ident; to: Ident }[],
  path: UsePath,
): void {
  const source = getWorld(ctx.resolve, from);
  const target = getWorld(ctx.resolve, into);
  const pending = [...withs];
  for (const map of [source.imports, source.exports]) {
    for (const entry of map.values()) {
      if (entry.key.kind !== 'name') continue;
      const i = pending.findIndex((w) => w.from.name === (entry.key as { name: string }).name);
      if (i >= 0) pending.splice(i, 1);
    }
  }
  if (pending.length > 0) {
    const span: Span = path.kind === 'local' ? path.name.span : path.span;
    resolveError(
      `no import or export kebab-name \`${pending[0]!.from.name}\`. Note that an ID does not support renaming`,
      span,
    );
  }
  copyItems(source.imports, target.imports, withs, 'import', path);
  copyItems(source.exports, target.exports, withs, 'export', path);
}

function copyItems(
  from: Items,
  to: Items,
  withs: { from: Ident; to: Ident }[],
  dir: string,
  path: UsePath,
): void {
  for (const entry of from.values()) {
    if (entry.key.kind === 'interface') {
      const key = worldKeyString(entry.key);
      if (!to.has(key)) to.set(key, entry);
      continue;
    }
    const name =
      withs.find((w) => w.from.name === (entry.key as { name: string }).name)?.to.name ??
      entry.key.name;
    if (to.has(name)) {
      const span = path.kind === 'local' ? path.name.span : path.span;
      resolveError(`${dir} of \`${name}\` shadows previously ${dir}ed items`, span);
    }
    let item = entry.item;
    if (item.kind === 'function' && name !== entry.key.name)
      item = { kind: 'function', func: { ...item.func, name } };
    to.set(name, { key: { kind: 'name', name }, item });
  }
}

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

/** Rewrites a world's imports and exports into their elaborated form. */
export function elaborateWorld(resolve: Resolve, worldId: WorldId): void {
  const world = getWorld(resolve, worldId);
  const imports: Items = new Map();
  const sorted = [...world.imports.values()]
    .map((e, i) => ({ e, i, c: importClass(resolve, e.item) }))
    .sort((a, b) => a.c - b.c || a.i - b.i);
  for (const { e } of sorted) {
    if (e.item.kind === 'interface') {
      elaborateImport(resolve, imports, e.key, e.item.id, e.item.stability);
    } else if (e.item.kind === 'type') {
      const dep = typeInterfaceDep(resolve, e.item.id);
      if (dep !== undefined) {
        elaborateImport(
          resolve,
          imports,
          { kind: 'interface', id: dep },
          dep,
          getType(resolve, e.item.id).stability,
        );
      }
      imports.set(worldKeyString(e.key), e);
    } else {
      imports.set(worldKeyString(e.key), e);
    }
  }
  const exports: Items = new Map();
  const exportIfaces = new Map<InterfaceId, { key: WorldKey; stability: Stability }>();
  for (const e of world.exports.values()) {
    if (e.item.kind === 'interface')
      exportIfaces.set(e.item.id, { key: e.key, stability: e.item.stability });
    else exports.set(worldKeyString(e.key), e);
  }
  const required = new Set<InterfaceId>();
  for (const [id, { key, stability }] of exportIfaces) {
    const ok = addExport(
      resolve,
      { imports, exports, exportIfaces, required },
      id,
      key,
      true,
      stability,
    );
    if (!ok) {
      const name = key.kind === 'name' ? key.name : interfaceIdName(resolve, key.id);
      resolveError(
        `interface \`${name}\` transitively depends on an interface in incompatible ways`,
      );
    }
  }
  world.imports = imports;
  world.exports = exports;
}

function elaborateImport(
  resolve: Resolve,
  imports: Items,
  key: WorldKey,
  id: InterfaceId,
  stability: Stability,
): void {
  const k = worldKeyString(key);
  if (imports.has(k)) return;
  for (const dep of interfaceDirectDeps(resolve, id)) {
    elaborateImport(resolve, imports, { kind: 'interface', id: dep }, dep, stability);
  }
  imports.set(k, { key, item: { kind: 'interface', id, stability } });
}

interface ExportState {
  imports: Items;
  exports: Items;
  exportIfaces: Map<InterfaceId, unknown>;
  required: Set<InterfaceId>;
}

function addExport(
  resolve: Resolve,
  st: ExportState,
  id: InterfaceId,
  key: WorldKey,
  asExport: boolean,
  stability: Stability,
): boolean {
  if (st.exports.has(worldKeyString(key))) return asExport;
  if (!asExport && st.required.has(id)) return true;
  for (const dep of interfaceDirectDeps(resolve, id)) {
    const depExport = asExport && st.exportIfaces.has(dep);
    if (!addExport(resolve, st, dep, { kind: 'interface', id: dep }, depExport, stability))
      return false;
  }
  if (asExport) {
    if (st.required.has(id)) return false;
    st.exports.set(worldKeyString(key), { key, item: { kind: 'interface', id, stability } });
  } else {
    st.required.add(id);
    elaborateImport(resolve, st.imports, key, id, stability);
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
