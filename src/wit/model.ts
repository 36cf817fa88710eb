/**
 * The resolved WIT model: every package, interface, world and type definition of a set of WIT
 * packages, held in arenas and referenced by typed ids.
 *
 * This is the meeting point of the whole toolchain: the binary decoder and the text resolver
 * produce a `Resolve`, the printer and the binary encoder consume one. Its shape follows the
 * resolved model of wasm-tools' wit-parser (so the `.wit.json` corpus compares after canonicalising
 * ids): arena order is allocation order, name-keyed collections are insertion-ordered `Map`s, and
 * a `Type` is either a primitive name or the id of a type definition.
 *
 * Pure data: no `node:*` imports, no behaviour beyond small constructors and lookups.
 */

declare const brand: unique symbol;
/** An index into one of the arenas of a {@link Resolve}, branded so ids of different arenas never mix. */
export type Id<Tag extends string> = number & { readonly [brand]: Tag };
export type PackageId = Id<'package'>;
export type InterfaceId = Id<'interface'>;
export type WorldId = Id<'world'>;
export type TypeId = Id<'type'>;

/** `namespace:name@version`; `version` is a semver string when present. */
export interface PackageName {
  namespace: string;
  name: string;
  version?: string;
}

/** Documentation attached to an item: the text of its `///` (or leading `//`) comments, without markers. */
export interface Docs {
  contents?: string;
}

/** `@since`/`@unstable`/`@deprecated` gates; `unknown` when an item carries none. */
export type Stability =
  | { kind: 'unknown' }
  | { kind: 'stable'; since: string; deprecated?: string }
  | { kind: 'unstable'; feature: string; deprecated?: string };

export const PRIMITIVE_TYPES = [
  'bool',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'f32',
  'f64',
  'char',
  'string',
  'error-context',
] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

/** A WIT type: a primitive by name, or a reference to a type definition in the arena. */
export type Type = PrimitiveType | TypeId;

export interface Field {
  name: string;
  type: Type;
  docs: Docs;
}
export interface Flag {
  name: string;
  docs: Docs;
}
export interface Case {
  name: string;
  type?: Type;
  docs: Docs;
}
export interface EnumCase {
  name: string;
  docs: Docs;
}

export type TypeDefKind =
  | { tag: 'record'; fields: Field[] }
  | { tag: 'resource' }
  | { tag: 'handle'; handle: 'own' | 'borrow'; resource: TypeId }
  | { tag: 'flags'; flags: Flag[] }
  | { tag: 'tuple'; types: Type[] }
  | { tag: 'variant'; cases: Case[] }
  | { tag: 'enum'; cases: EnumCase[] }
  | { tag: 'option'; type: Type }
  | { tag: 'result'; ok?: Type; err?: Type }
  | { tag: 'list'; type: Type }
  | { tag: 'fixed-length-list'; type: Type; length: number }
  | { tag: 'map'; key: Type; value: Type }
  | { tag: 'future'; type?: Type }
  | { tag: 'stream'; type?: Type }
  /** `type a = b;` — an alias, also what a `use` produces. */
  | { tag: 'type'; type: Type }
  /** A placeholder during resolution (wit-parser's `Unknown`); never in a finished Resolve. */
  | { tag: 'unknown' };

export type TypeOwner =
  { kind: 'interface'; id: InterfaceId } | { kind: 'world'; id: WorldId } | { kind: 'none' };

export interface TypeDef {
  /** `undefined` for anonymous types such as `list<u8>` or `own<r>`. */
  name?: string;
  kind: TypeDefKind;
  owner: TypeOwner;
  docs: Docs;
  stability: Stability;
  /** `@external-id("...")`, carried by the binary's extended extern names. */
  externalId?: string;
}

export type FunctionKind =
  | { tag: 'freestanding' }
  | { tag: 'async-freestanding' }
  | { tag: 'method'; resource: TypeId }
  | { tag: 'async-method'; resource: TypeId }
  | { tag: 'static'; resource: TypeId }
  | { tag: 'async-static'; resource: TypeId }
  | { tag: 'constructor'; resource: TypeId };

export interface Param {
  name: string;
  type: Type;
}

export interface Function {
  /** The full name: `f`, `[method]r.f`, `[static]r.f`, `[constructor]r`. */
  name: string;
  kind: FunctionKind;
  params: Param[];
  result?: Type;
  docs: Docs;
  stability: Stability;
  /** `@external-id("...")`, carried by the binary's extended extern names. */
  externalId?: string;
}

export interface Interface {
  /** `undefined` for an interface defined inline in a world (`import x: interface { ... }`). */
  name?: string;
  types: Map<string, TypeId>;
  functions: Map<string, Function>;
  docs: Docs;
  stability: Stability;
  package?: PackageId;
  /** Set when this interface is a copy of another made during world elaboration. */
  cloneOf?: InterfaceId;
}

export type WorldKey = { kind: 'name'; name: string } | { kind: 'interface'; id: InterfaceId };

export type WorldItem =
  | {
      kind: 'interface';
      id: InterfaceId;
      stability: Stability;
      /** Docs on the `import`/`export` statement itself (not the interface's own docs). */
      docs?: Docs;
      /** `@external-id("...")` of the statement. */
      externalId?: string;
    }
  | { kind: 'function'; func: Function }
  | { kind: 'type'; id: TypeId };

export interface World {
  name: string;
  /** Keyed by {@link worldKeyString}; the key object is kept alongside its item. */
  imports: Map<string, { key: WorldKey; item: WorldItem }>;
  exports: Map<string, { key: WorldKey; item: WorldItem }>;
  package?: PackageId;
  docs: Docs;
  stability: Stability;
}

export interface Package {
  name: PackageName;
  docs: Docs;
  interfaces: Map<string, InterfaceId>;
  worlds: Map<string, WorldId>;
}

export interface Resolve {
  packages: Package[];
  interfaces: Interface[];
  worlds: World[];
  types: TypeDef[];
  /** `ns:name@ver` → package. */
  packageNames: Map<string, PackageId>;
  /** Features enabled for `@unstable(feature = ...)` gates. */
  features: Set<string>;
  allFeatures: boolean;
}

export function emptyResolve(): Resolve {
  return {
    packages: [],
    interfaces: [],
    worlds: [],
    types: [],
    packageNames: new Map(),
    features: new Set(),
    allFeatures: false,
  };
}

export const UNKNOWN_STABILITY: Stability = Object.freeze({ kind: 'unknown' });

export function isTypeId(type: Type): type is TypeId {
  return typeof type === 'number';
}

/** `ns:name` or `ns:name@1.2.3`. */
export function formatPackageName(name: PackageName): string {
  const base = `${name.namespace}:${name.name}`;
  return name.version === undefined ? base : `${base}@${name.version}`;
}

/** The string under which a world import/export is stored: the name, or `interface#<id>`. */
export function worldKeyString(key: WorldKey): string {
  return key.kind === 'name' ? key.name : `interface#${key.id}`;
}

export function addPackage(resolve: Resolve, pkg: Package): PackageId {
  const id = resolve.packages.push(pkg) - 1;
  resolve.packageNames.set(formatPackageName(pkg.name), id as PackageId);
  return id as PackageId;
}

export function addInterface(resolve: Resolve, iface: Interface): InterfaceId {
  return (resolve.interfaces.push(iface) - 1) as InterfaceId;
}

export function addWorld(resolve: Resolve, world: World): WorldId {
  return (resolve.worlds.push(world) - 1) as WorldId;
}

export function addType(resolve: Resolve, def: TypeDef): TypeId {
  return (resolve.types.push(def) - 1) as TypeId;
}

function lookup<T>(arena: readonly T[], id: number, what: string): T {
  const item = arena[id];
  if (item === undefined) throw new RangeError(`no ${what} with id ${id}`);
  return item;
}

export function getPackage(resolve: Resolve, id: PackageId): Package {
  return lookup(resolve.packages, id, 'package');
}
export function getInterface(resolve: Resolve, id: InterfaceId): Interface {
  return lookup(resolve.interfaces, id, 'interface');
}
export function getWorld(resolve: Resolve, id: WorldId): World {
  return lookup(resolve.worlds, id, 'world');
}
export function getType(resolve: Resolve, id: TypeId): TypeDef {
  return lookup(resolve.types, id, 'type');
}

/** Follows `type` aliases to the definition they name. */
export function dealiasType(resolve: Resolve, id: TypeId): TypeId {
  let current = id;
  for (let depth = 0; depth < resolve.types.length + 1; depth++) {
    const def = getType(resolve, current);
    if (def.kind.tag !== 'type' || !isTypeId(def.kind.type)) return current;
    current = def.kind.type;
  }
  throw new RangeError(`type alias cycle at type ${id}`);
}
