/**
 * Prints packages of a {@link Resolve} as WIT text, byte-identical to wasm-tools' `WitPrinter`
 * (`crates/wit-component/src/printing.rs` with `OutputToString`).
 *
 * Layout: `package ns:name@v;` and a blank line, then every interface followed by a blank line,
 * then the worlds with no blank line between them. A nested package (`package ns:name { ... }`)
 * has no blank lines between its items. Inside an interface: `use` lines (consecutive imported
 * types from one interface with equal attributes grouped), then each declared type preceded by a
 * blank line, then the freestanding functions. A world prints interface imports, its types, its
 * function imports, then (after one blank line) its exports.
 */
import type {
  Function,
  InterfaceId,
  PackageId,
  Resolve,
  Stability,
  TypeId,
  TypeOwner,
  WorldId,
  WorldItem,
  WorldKey,
} from '../model.js';
import { getInterface, getPackage, getType, getWorld } from '../model.js';
import { Output } from './output.js';
import { declareType, printDocs, printExternalId, printFunction, printStability } from './types.js';

function sameOwner(a: TypeOwner, b: TypeOwner): boolean {
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  return a.kind === b.kind && a.id === b.id;
}

function sameStability(a: Stability, b: Stability): boolean {
  if (a.kind === 'stable' && b.kind === 'stable')
    return a.since === b.since && a.deprecated === b.deprecated;
  if (a.kind === 'unstable' && b.kind === 'unstable') {
    return a.feature === b.feature && a.deprecated === b.deprecated;
  }
  return a.kind === b.kind;
}

function addTo(map: Map<TypeId, Function[]>, key: TypeId, func: Function): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [func]);
  else list.push(func);
}

function resourceOf(func: Function): TypeId | undefined {
  return 'resource' in func.kind ? func.kind.resource : undefined;
}

export class WitPrinter {
  readonly out = new Output();
  private anyItems = false;

  constructor(private readonly resolve: Resolve) {}

  /** The main package, then every `nested` package as `package ... { }` blocks. */
  print(pkg: PackageId, nested: readonly PackageId[]): string {
    this.printPackage(pkg, true);
    nested.forEach((id, i) => {
      if (i > 0) {
        this.out.newline();
        this.out.newline();
      }
      this.printPackage(id, false);
    });
    return this.out.toString();
  }

  private printPackage(id: PackageId, isMain: boolean): void {
    const pkg = getPackage(this.resolve, id);
    printDocs(this.out, pkg.docs);
    this.out.str('package ');
    this.out.name(pkg.name.namespace);
    this.out.str(':');
    this.out.name(pkg.name.name);
    if (pkg.name.version !== undefined) this.out.str(`@${pkg.name.version}`);
    if (isMain) {
      this.out.semicolon();
      this.out.newline();
    } else this.out.indentStart();
    for (const [name, ifaceId] of pkg.interfaces) {
      const iface = getInterface(this.resolve, ifaceId);
      printDocs(this.out, iface.docs);
      printStability(this.out, iface.stability);
      this.out.str('interface ');
      this.out.name(name);
      this.out.indentStart();
      this.printInterface(ifaceId);
      this.out.indentEnd();
      if (isMain) this.out.newline();
    }
    for (const [name, worldId] of pkg.worlds) {
      const world = getWorld(this.resolve, worldId);
      printDocs(this.out, world.docs);
      printStability(this.out, world.stability);
      this.out.str('world ');
      this.out.name(name);
      this.out.indentStart();
      this.printWorld(worldId);
      this.out.indentEnd();
    }
    if (!isMain) this.out.indentEnd();
  }

  private newItem(): void {
    if (this.anyItems) this.out.newline();
    this.anyItems = true;
  }

  private printInterface(id: InterfaceId): void {
    const prev = this.anyItems;
    this.anyItems = false;
    const iface = getInterface(this.resolve, id);
    const resourceFuncs = new Map<TypeId, Function[]>();
    const freestanding: Function[] = [];
    for (const func of iface.functions.values()) {
      const resource = resourceOf(func);
      if (resource === undefined) freestanding.push(func);
      else addTo(resourceFuncs, resource, func);
    }
    this.printTypes({ kind: 'interface', id }, [...iface.types], resourceFuncs);
    for (const func of freestanding) {
      this.newItem();
      printDocs(this.out, func.docs);
      printStability(this.out, func.stability);
      printExternalId(this.out, func.externalId);
      this.out.name(func.name);
      this.out.str(': ');
      printFunction(this.out, this.resolve, func);
      this.out.semicolon();
    }
    this.anyItems = prev;
  }

  private packageOf(owner: TypeOwner): PackageId | undefined {
    if (owner.kind === 'interface') return getInterface(this.resolve, owner.id).package;
    if (owner.kind === 'world') return getWorld(this.resolve, owner.id).package;
    return undefined;
  }

  private printTypes(
    owner: TypeOwner,
    types: [string, TypeId][],
    resourceFuncs: Map<TypeId, Function[]>,
  ): void {
    const toDeclare: TypeId[] = [];
    const toImport: { owner: InterfaceId; id: TypeId; names: [string, string][] }[] = [];
    for (const [name, id] of types) {
      const def = getType(this.resolve, id);
      if (def.kind.tag === 'type' && typeof def.kind.type === 'number') {
        const other = getType(this.resolve, def.kind.type);
        if (other.owner.kind === 'interface' && !sameOwner(owner, other.owner)) {
          const otherName = other.name ?? '';
          const last = toImport[toImport.length - 1];
          if (last !== undefined && last.owner === other.owner.id) {
            const lastDef = getType(this.resolve, last.id);
            if (
              sameStability(def.stability, lastDef.stability) &&
              def.externalId === lastDef.externalId
            ) {
              last.names.push([name, otherName]);
              continue;
            }
          }
          toImport.push({ owner: other.owner.id, id, names: [[name, otherName]] });
          continue;
        }
      }
      toDeclare.push(id);
    }
    const myPkg = this.packageOf(owner);
    for (const group of toImport) {
      this.anyItems = true;
      const def = getType(this.resolve, group.id);
      printStability(this.out, def.stability);
      printExternalId(this.out, def.externalId);
      this.out.str('use ');
      this.printPathToInterface(group.owner, myPkg);
      this.out.str('.{');
      group.names.forEach(([mine, theirs], i) => {
        if (i > 0) this.out.str(', ');
        this.out.name(theirs);
        if (mine !== theirs) {
          this.out.str(' as ');
          this.out.name(mine);
        }
      });
      this.out.str('}');
      this.out.semicolon();
    }
    for (const id of toDeclare) {
      this.newItem();
      const def = getType(this.resolve, id);
      printDocs(this.out, def.docs);
      printStability(this.out, def.stability);
      printExternalId(this.out, def.externalId);
      if (def.kind.tag === 'resource') this.printResource(id, resourceFuncs.get(id) ?? []);
      else declareType(this.out, this.resolve, id);
    }
  }

  private printResource(id: TypeId, funcs: Function[]): void {
    this.out.str('resource ');
    this.out.name(getType(this.resolve, id).name ?? '');
    if (funcs.length === 0) {
      this.out.semicolon();
      return;
    }
    this.out.indentStart();
    for (const func of funcs) {
      printDocs(this.out, func.docs);
      printStability(this.out, func.stability);
      printExternalId(this.out, func.externalId);
      const tag = func.kind.tag;
      if (tag !== 'constructor') {
        this.out.name(func.name.slice(func.name.indexOf('.') + 1));
        this.out.str(': ');
        if (tag === 'static' || tag === 'async-static') this.out.str('static ');
      }
      printFunction(this.out, this.resolve, func);
      this.out.semicolon();
    }
    this.out.indentEnd();
  }

  private printPathToInterface(id: InterfaceId, curPkg: PackageId | undefined): void {
    const iface = getInterface(this.resolve, id);
    if (iface.package === curPkg || iface.package === undefined) {
      this.out.name(iface.name ?? '');
      return;
    }
    const pkg = getPackage(this.resolve, iface.package).name;
    this.out.name(pkg.namespace);
    this.out.str(':');
    this.out.name(pkg.name);
    this.out.str('/');
    this.out.name(iface.name ?? '');
    if (pkg.version !== undefined) this.out.str(`@${pkg.version}`);
  }

  private printWorld(id: WorldId): void {
    const prev = this.anyItems;
    this.anyItems = false;
    const world = getWorld(this.resolve, id);
    const types: [string, TypeId][] = [];
    const resourceFuncs = new Map<TypeId, Function[]>();
    const functionImports: { key: WorldKey; item: WorldItem }[] = [];
    for (const entry of world.imports.values()) {
      const { key, item } = entry;
      if (item.kind === 'type') {
        if (key.kind === 'name') types.push([key.name, item.id]);
      } else if (item.kind === 'function') {
        const resource = resourceOf(item.func);
        if (resource === undefined) functionImports.push(entry);
        else addTo(resourceFuncs, resource, item.func);
      } else {
        this.printWorldItem(key, item, world.package, 'import');
        this.anyItems = true;
      }
    }
    this.printTypes({ kind: 'world', id }, types, resourceFuncs);
    for (const { key, item } of functionImports) {
      this.printWorldItem(key, item, world.package, 'import');
      this.anyItems = true;
    }
    if (world.exports.size > 0) this.newItem();
    for (const { key, item } of world.exports.values())
      this.printWorldItem(key, item, world.package, 'export');
    this.anyItems = prev;
  }

  private printWorldItem(
    key: WorldKey,
    item: WorldItem,
    curPkg: PackageId | undefined,
    keyword: string,
  ): void {
    if (item.kind === 'interface') {
      if (item.docs?.contents !== undefined) printDocs(this.out, item.docs);
      else if (key.kind === 'name') printDocs(this.out, getInterface(this.resolve, item.id).docs);
      printStability(this.out, item.stability);
      printExternalId(this.out, item.externalId);
    } else if (item.kind === 'function') {
      printDocs(this.out, item.func.docs);
      printStability(this.out, item.func.stability);
      printExternalId(this.out, item.func.externalId);
    } else return;
    this.out.str(`${keyword} `);
    if (key.kind === 'interface') {
      this.printPathToInterface(key.id, curPkg);
      this.out.semicolon();
      return;
    }
    if (item.kind === 'function') {
      this.out.name(item.func.name);
      this.out.str(': ');
      printFunction(this.out, this.resolve, item.func);
      this.out.semicolon();
      return;
    }
    this.out.name(key.name);
    this.out.str(': ');
    if (getInterface(this.resolve, item.id).name === undefined) {
      this.out.str('interface');
      this.out.indentStart();
      this.printInterface(item.id);
      this.out.indentEnd();
    } else {
      this.printPathToInterface(item.id, curPkg);
      this.out.semicolon();
    }
  }
}
