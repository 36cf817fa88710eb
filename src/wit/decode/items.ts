/**
 * Interfaces, foreign imports and worlds: wit-parser's `register_interface`, `register_import`,
 * `extract_dep_interface`, `decode_world_instance` and `register_world`, over {@link DecodeState}.
 *
 * An interface of the package is registered once under its full id (`ns:pkg/iface@v`); a later
 * import of the same id (a dependency of another interface, or a world import) must match it. An
 * import of an unknown id creates (lazily) a foreign package and interface holding only the types
 * and functions the binary mentions — the "minimal slice" of the dependency.
 */
import type {
  InterfaceId,
  PackageName,
  TypeOwner,
  World,
  WorldId,
  WorldItem,
  WorldKey,
} from '../model.js';
import {
  addInterface,
  addWorld,
  formatPackageName,
  getInterface,
  UNKNOWN_STABILITY,
  worldKeyString,
} from '../model.js';
import { parseComponentName, toPackageName } from './names.js';
import { registerDefined } from './checks.js';
import type { DecodeState } from './types.js';
import { isDefined, peel } from './wasm-types.js';
import type { WComponent, WExtern, WExternName, WInstance } from './wasm-types.js';

/** A package being assembled: name plus its interfaces and worlds in insertion order. */
export interface PendingPackage {
  name: PackageName;
  interfaces: Map<string, InterfaceId>;
  worlds: Map<string, WorldId>;
}

export class ItemDecoder {
  readonly namedInterfaces = new Map<string, InterfaceId>();
  /** Foreign packages by `ns:name@ver`, in the order first seen. */
  readonly foreign = new Map<string, PendingPackage>();
  readonly ifaceToForeign = new Map<InterfaceId, string>();

  constructor(readonly state: DecodeState) {}

  private instanceOf(ext: WExtern): WInstance {
    if (ext.entity.k !== 'instance')
      return this.state.fail(`import \`${ext.name}\` is not an instance`);
    return ext.entity.type;
  }

  /** `register_import`: a package-local interface (must match) or a foreign one (filled lazily). */
  registerImport(name: string, ext: WExtern): InterfaceId {
    const ty = this.instanceOf(ext);
    const localId = this.namedInterfaces.get(name);
    const iface = localId ?? this.extractDepInterface(name, ext);
    const owner: TypeOwner = { kind: 'interface', id: iface };
    const target = getInterface(this.state.resolve, iface);
    for (const item of ty.exports) {
      this.state.at = item.offset;
      if (item.entity.k === 'type') {
        const existing = target.types.get(item.name);
        if (existing !== undefined) {
          const base = peel(item.entity.referenced);
          if (isDefined(base)) registerDefined(this.state, existing, base);
          this.state.mapType(item.entity.created, existing, item.name);
        } else if (localId !== undefined) {
          this.state.fail(`instance type export \`${item.name}\` not defined in interface`);
        } else target.types.set(item.name, this.state.registerTypeExport(item, owner));
      } else if (item.entity.k === 'func') {
        if (target.functions.has(item.name)) continue;
        if (localId !== undefined) {
          this.state.fail(`instance function export \`${item.name}\` not defined in interface`);
        }
        target.functions.set(item.name, this.state.convertFunction(item, owner));
      } else this.state.fail(`instance type export \`${item.name}\` is not a type`);
    }
    return iface;
  }

  private extractDepInterface(name: string, ext: WExtern): InterfaceId {
    const parsed = name === ext.name ? ext.parsed : parseComponentName(name);
    if (parsed?.kind !== 'interface')
      return this.state.fail(`package name is not a valid id: \`${name}\``);
    const pkgName = toPackageName(parsed, ext.versionSuffix);
    if (pkgName === undefined) return this.state.fail(`invalid version in \`${name}\``);
    const key = formatPackageName(pkgName);
    let pkg = this.foreign.get(key);
    if (pkg === undefined) {
      pkg = { name: pkgName, interfaces: new Map(), worlds: new Map() };
      this.foreign.set(key, pkg);
    }
    let id = pkg.interfaces.get(parsed.iface);
    if (id === undefined) {
      id = addInterface(this.state.resolve, {
        name: parsed.iface,
        types: new Map(),
        functions: new Map(),
        docs: {},
        stability: UNKNOWN_STABILITY,
      });
      pkg.interfaces.set(parsed.iface, id);
    }
    this.ifaceToForeign.set(id, key);
    return id;
  }

  /** `register_interface`: a new interface from an instance type (named, or inline in a world). */
  registerInterface(name: string, ext: WExtern, pkg: PendingPackage): [WorldKey, InterfaceId] {
    const ty = this.instanceOf(ext);
    if (this.namedInterfaces.has(name)) {
      const id = this.registerImport(name, ext);
      return [{ kind: 'interface', id }, id];
    }
    const parsed = name === ext.name ? ext.parsed : parseComponentName(name);
    if (parsed?.kind !== 'interface' && parsed?.kind !== 'label') {
      return this.state.fail(`cannot extract item name from \`${name}\``);
    }
    const ifaceName = parsed.kind === 'interface' ? parsed.iface : undefined;
    const resolve = this.state.resolve;
    const owner: TypeOwner = { kind: 'interface', id: resolve.interfaces.length as InterfaceId };
    const types = new Map<string, ReturnType<DecodeState['registerTypeExport']>>();
    const functions = new Map<string, ReturnType<DecodeState['convertFunction']>>();
    for (const item of ty.exports) {
      this.state.at = item.offset;
      if (item.entity.k === 'type')
        types.set(item.name, this.state.registerTypeExport(item, owner));
      else if (item.entity.k === 'func')
        functions.set(item.name, this.state.convertFunction(item, owner));
      else this.state.fail(`instance type export \`${item.name}\` is not a type or function`);
    }
    const base = { types, functions, docs: {}, stability: UNKNOWN_STABILITY };
    const id = addInterface(resolve, ifaceName === undefined ? base : { ...base, name: ifaceName });
    if (ifaceName === undefined) return [{ kind: 'name', name }, id];
    if (pkg.interfaces.has(ifaceName)) this.state.fail(`duplicate interface \`${ifaceName}\``);
    pkg.interfaces.set(ifaceName, id);
    this.namedInterfaces.set(name, id);
    return [{ kind: 'interface', id }, id];
  }

  /** `decode_world_instance`: `ns:pkg/i` import, `label: iface` (implements), or inline interface. */
  private worldInstance(ext: WExtern, pkg: PendingPackage): [WorldKey, WorldItem] {
    let key: WorldKey;
    let id: InterfaceId;
    if (ext.implements !== undefined) {
      id = this.registerImport(ext.implements, ext);
      key = { kind: 'name', name: ext.name };
    } else if (ext.parsed.kind === 'interface') {
      id = this.registerImport(ext.name, ext);
      key = { kind: 'interface', id };
    } else [key, id] = this.registerInterface(ext.name, ext, pkg);
    const item: WorldItem = { kind: 'interface', id, stability: UNKNOWN_STABILITY, docs: {} };
    if (ext.externalId !== undefined) item.externalId = ext.externalId;
    return [key, item];
  }

  /** `register_world`: the world `name` (an id) described by component type `ty`. */
  registerWorld({ name, parsed }: WExternName, ty: WComponent, pkg: PendingPackage): void {
    if (parsed?.kind !== 'interface')
      return this.state.fail(`expected world name \`${name}\` to have an ID form`);
    const resolve = this.state.resolve;
    const world: World = {
      name: parsed.iface,
      imports: new Map(),
      exports: new Map(),
      docs: {},
      stability: UNKNOWN_STABILITY,
    };
    const owner: TypeOwner = { kind: 'world', id: resolve.worlds.length as WorldId };
    for (const ext of ty.imports) {
      this.state.at = ext.offset;
      const [key, item] = this.worldItem(ext, owner, pkg, true);
      world.imports.set(worldKeyString(key), { key, item });
    }
    for (const ext of ty.exports) {
      this.state.at = ext.offset;
      const [key, item] = this.worldItem(ext, owner, pkg, false);
      world.exports.set(worldKeyString(key), { key, item });
    }
    if (pkg.worlds.has(world.name)) this.state.fail(`duplicate world \`${world.name}\``);
    pkg.worlds.set(world.name, addWorld(resolve, world));
  }

  private worldItem(
    ext: WExtern,
    owner: TypeOwner,
    pkg: PendingPackage,
    isImport: boolean,
  ): [WorldKey, WorldItem] {
    const key: WorldKey = { kind: 'name', name: ext.name };
    switch (ext.entity.k) {
      case 'instance':
        return this.worldInstance(ext, pkg);
      case 'func':
        return [key, { kind: 'function', func: this.state.convertFunction(ext, owner) }];
      case 'type':
        if (isImport) return [key, { kind: 'type', id: this.state.registerTypeExport(ext, owner) }];
        break;
      case 'component':
        break;
    }
    return this.state.fail(
      `world ${isImport ? 'import' : 'export'} \`${ext.name}\` is not an instance, function or type`,
    );
  }
}
