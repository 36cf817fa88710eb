/**
 * Per-package resolution state: the package's local names (interfaces, worlds, top-level `use`
 * aliases of foreign interfaces, and names dropped by feature gates), the interned anonymous types
 * (wit-parser keys them structurally, so two `list<u8>` in a package are one type) and the shared
 * implicit `own<r>` handles (one per referenced resource id, as `Remap::update_ty` does).
 */
import { WitSpanError, limitError, resolveError, type Span } from '../diagnostics.js';
import {
  addType,
  formatPackageName,
  getInterface,
  getPackage,
  getType,
  isTypeId,
  type InterfaceId,
  type PackageId,
  type PackageName,
  type Resolve,
  type Stability,
  type Type,
  type TypeDefKind,
  type TypeId,
  type WorldId,
} from '../model.js';
import type { AstPackageName, UsePath } from '../text/ast.js';
import { includeStability } from './docs.js';
import { GatedReference } from './gated-reference.js';

export type LocalName =
  | { kind: 'interface'; id: InterfaceId }
  | { kind: 'world'; id: WorldId }
  | { kind: 'gated'; what: 'interface' | 'world' };

/** A foreign type a handle names: `key` is `pkg/iface`. */
export interface RequiredResource {
  key: string;
  type: string;
  span: Span;
}

export class PackageContext {
  readonly names = new Map<string, LocalName>();
  /** Per-file top-level `use path as name;` aliases (file-scoped, as in wit-parser). */
  readonly fileAliases = new Map<number, Map<string, UsePath>>();
  /** Every interface and world the package declares, resolved or not yet. */
  readonly declared = new Map<string, 'interface' | 'world'>();
  /** Per interface of this package, the names of its types dropped by a feature gate. */
  readonly gatedTypes = new Map<InterfaceId, Set<string>>();
  currentFile = 0;
  private readonly anon = new Map<string, TypeId>();
  private readonly ownHandles = new Map<TypeId, TypeId>();

  /**
   * In the name-checking phase (`check.ts`) the package name is left out: wit-parser checks
   * `@since` versions only when it adds the package.
   */
  readonly pkgName: PackageName | undefined;

  constructor(
    readonly resolve: Resolve,
    readonly pkgId: PackageId,
    pkgName: PackageName,
    /** Set in the name-checking phase, where foreign items are stand-ins. */
    readonly checking = false,
  ) {
    this.pkgName = checking ? undefined : pkgName;
  }

  /**
   * A throw-away copy (of the resolve too) in which to resolve an item a gate drops whole (an
   * interface or world), for the errors wit-parser finds in it before it applies gates.
   */
  scratch(): PackageContext {
    const copy = new PackageContext(
      structuredClone(this.resolve),
      this.pkgId,
      getPackage(this.resolve, this.pkgId).name,
      this.checking,
    );
    for (const [k, v] of this.names) copy.names.set(k, v);
    for (const [k, v] of this.fileAliases) copy.fileAliases.set(k, v);
    for (const [k, v] of this.declared) copy.declared.set(k, v);
    for (const [k, v] of this.gatedTypes) copy.gatedTypes.set(k, v);
    for (const [k, v] of this.anon) copy.anon.set(k, v);
    for (const [k, v] of this.ownHandles) copy.ownHandles.set(k, v);
    for (const [k, v] of this.depths) copy.depths.set(k, v);
    for (const [k, v] of this.gatedAnon) copy.gatedAnon.set(k, v);
    copy.placeholders = this.placeholders;
    copy.currentFile = this.currentFile;
    return copy;
  }

  included(stability: Stability): boolean {
    return includeStability(stability, this.resolve.features, this.resolve.allFeatures);
  }

  private placeholders = 0;

  /** A stand-in id (negative, never in the resolve) for what a gated item refers to. */
  placeholder(): TypeId {
    return -++this.placeholders as TypeId;
  }

  isPlaceholder(id: TypeId): boolean {
    return id < 0;
  }

  /** Anonymous types first spelled under an inactive gate: dropped, so later uses fail. */
  private readonly gatedAnon = new Map<string, { id: TypeId; stability: Stability }>();

  /**
   * An anonymous type spelled by an item a gate drops (wit-parser interns it all the same): one
   * naming a dropped type is a placeholder; one whose own stability is inactive is interned as
   * dropped; any other is a real type.
   */
  shadowAnonType(kind: TypeDefKind, stability: Stability, span: Span): TypeId {
    if (kindRefs(kind).some((id) => this.isPlaceholder(id))) return this.placeholder();
    if (this.included(stability)) return this.anonType(kind, stability, span);
    const key = JSON.stringify(kind);
    const found = this.anon.get(key) ?? this.gatedAnon.get(key)?.id;
    if (found !== undefined) return found;
    const id = this.placeholder();
    this.gatedAnon.set(key, { id, stability });
    return id;
  }

  /** An anonymous type, interned by its structure within this package. */
  anonType(kind: TypeDefKind, stability: Stability, span: Span): TypeId {
    const key = JSON.stringify(kind);
    const found = this.anon.get(key);
    if (found !== undefined) return found;
    const gated = this.gatedAnon.get(key);
    if (gated !== undefined) throw new GatedReference(gated.stability);
    const depth = this.checkDepth(kind, span);
    const id = addType(this.resolve, { kind, owner: { kind: 'none' }, docs: {}, stability });
    this.depths.set(id, depth);
    this.anon.set(key, id);
    return id;
  }

  private readonly depths = new Map<TypeId, number>();

  /**
   * Refuses a definition whose chain of type references is deeper than {@link MAX_TYPE_DEPTH}
   * (the encoder and printers walk such chains recursively).
   */
  checkDepth(kind: TypeDefKind, span: Span): number {
    let depth = 1;
    for (const ref of kindRefs(kind)) depth = Math.max(depth, 1 + (this.depths.get(ref) ?? 1));
    if (depth > MAX_TYPE_DEPTH) limitError('type nesting too deep', span);
    return depth;
  }

  /** Records the reference depth of a new named type. */
  recordDepth(id: TypeId, depth: number): void {
    this.depths.set(id, depth);
  }

  /** A reference in a value position: resources become the shared implicit `own` handle. */
  valueRef(id: TypeId): TypeId {
    if (this.isPlaceholder(id) || !this.pointsToResource(id)) return id;
    let handle = this.ownHandles.get(id);
    if (handle === undefined) {
      handle = addType(this.resolve, {
        kind: { tag: 'handle', handle: 'own', resource: id },
        owner: { kind: 'none' },
        docs: {},
        stability: { kind: 'unknown' },
      });
      this.ownHandles.set(id, handle);
    }
    return handle;
  }

  /** Whether `id` is, or aliases through `use`, a type of another package. */
  aliasesForeign(id: TypeId): boolean {
    let cur = id;
    for (let i = 0; i <= this.resolve.types.length; i++) {
      const def = getType(this.resolve, cur);
      const owner = def.owner;
      const pkg =
        owner.kind === 'interface'
          ? getInterface(this.resolve, owner.id).package
          : owner.kind === 'world'
            ? this.resolve.worlds[owner.id]?.package
            : this.pkgId;
      if (pkg !== this.pkgId) return true;
      if (def.kind.tag !== 'type' || !isTypeId(def.kind.type)) return false;
      cur = def.kind.type;
    }
    return false;
  }

  pointsToResource(id: TypeId): boolean {
    return this.aliasedKind(id) === 'resource';
  }

  /**
   * While checking: the foreign types (`pkg/iface.type`) that handles name, in order, each with
   * the handle's span; they must be resources (checked when the package is added).
   */
  readonly requiredResources: RequiredResource[] = [];

  /** The kind `id` names, through aliases (`unknown` for a foreign stand-in while checking). */
  aliasedKind(id: TypeId): TypeDefKind['tag'] | undefined {
    let cur = id;
    for (let i = 0; i <= this.resolve.types.length; i++) {
      const kind = getType(this.resolve, cur).kind;
      if (kind.tag !== 'type' || !isTypeId(kind.type)) return kind.tag;
      cur = kind.type;
    }
    return undefined;
  }

  /** The interface a `use`/`import` path names, local or foreign. */
  interfaceAt(path: UsePath, viaAlias = false): InterfaceId {
    const alias = path.kind === 'local' && !viaAlias ? this.aliasOf(path.name.name) : undefined;
    if (alias !== undefined) return this.interfaceAt(alias, true);
    if (path.kind === 'local') {
      const local = this.localName(path.name.name, path.name.span, 'interface');
      if (local.kind === 'interface') return local.id;
      if (local.kind === 'gated') {
        resolveError(
          `found a reference to a ${local.what} which is excluded due to its feature not being activated`,
          path.name.span,
        );
      }
      return resolveError(
        `name \`${path.name.name}\` is defined as a world, not an interface`,
        path.name.span,
      );
    }
    const pkg = this.foreignPackage(path.pkg);
    const id = getPackage(this.resolve, pkg).interfaces.get(path.name.name);
    if (id === undefined) {
      if (this.checking) kindError(path.name.name, 'world', 'interface', path.name.span);
      resolveError(
        `interface '${path.name.name}' not found in package '${formatPackageName(getPackage(this.resolve, pkg).name)}'`,
        path.name.span,
      );
    }
    return id;
  }

  /** The world an `include` path names, local or foreign. */
  worldAt(path: UsePath, viaAlias = false): WorldId {
    const alias = path.kind === 'local' && !viaAlias ? this.aliasOf(path.name.name) : undefined;
    if (alias !== undefined) return this.worldAt(alias, true);
    if (path.kind === 'local') {
      const local = this.localName(path.name.name, path.name.span, 'world');
      if (local.kind === 'world') return local.id;
      if (local.kind === 'gated') {
        resolveError(
          `found a reference to a ${local.what} which is excluded due to its feature not being activated`,
          path.name.span,
        );
      }
      return resolveError(
        `name \`${path.name.name}\` is defined as an interface, not a world`,
        path.name.span,
      );
    }
    const pkg = this.foreignPackage(path.pkg);
    const id = getPackage(this.resolve, pkg).worlds.get(path.name.name);
    if (id === undefined) {
      if (this.checking) kindError(path.name.name, 'interface', 'world', path.name.span);
      resolveError(
        `world '${path.name.name}' not found in package '${formatPackageName(getPackage(this.resolve, pkg).name)}'`,
        path.name.span,
      );
    }
    return id;
  }

  /** A local interface or world, resolved; one declared but not resolved yet is the wrong kind. */
  private localName(name: string, span: Span, want: 'interface' | 'world'): LocalName {
    const local = this.names.get(name);
    if (local !== undefined) return local;
    const declared = this.declared.get(name);
    if (declared !== undefined && declared !== want) kindError(name, declared, want, span);
    return resolveError(`interface or world \`${name}\` does not exist`, span);
  }

  /**
   * A path under an inactive gate is dropped, but its local name must still exist (wit-parser
   * resolves names before it applies gates; foreign ones are checked when the package is added).
   */
  checkGatedPath(path: UsePath): void {
    if (path.kind !== 'local') return;
    const name = path.name.name;
    if (this.declared.has(name) || this.aliasOf(name) !== undefined) return;
    resolveError(`interface or world \`${name}\` does not exist`, path.name.span);
  }

  /** The target of a file-level alias named `name` (a local alias resolves to a declaration). */
  aliasOf(name: string): UsePath | undefined {
    return this.fileAliases.get(this.currentFile)?.get(name);
  }

  foreignPackage(name: AstPackageName): PackageId {
    const key = formatPackageName(astPackageName(name));
    const id = this.resolve.packageNames.get(key);
    if (id === undefined) {
      const known = [...this.resolve.packageNames.keys()].map((k) => `\n    ${k}`).join('');
      const list = known === '' ? '' : `. known packages:${known}`;
      throw new WitSpanError(
        `package '${key}' not found${list}`,
        name.span,
        'resolve',
        undefined,
        key,
      );
    }
    return id;
  }

  /** Looks up a type exported by an interface (for `use`). */
  interfaceType(iface: InterfaceId, name: string, span: Span): TypeId {
    const target = getInterface(this.resolve, iface);
    const id = target.types.get(name);
    if (id !== undefined) return id;
    if (this.gatedTypes.get(iface)?.has(name) === true) {
      resolveError(
        'found a reference to a type which is excluded due to its feature not being activated',
        span,
      );
    }
    if (target.package !== this.pkgId)
      resolveError(`type \`${name}\` not defined in interface`, span);
    if (target.functions.has(name)) resolveError(`cannot import function \`${name}\``, span);
    return resolveError(`name \`${name}\` does not exist`, span);
  }
}

/** How deep a chain of type references (aliases, fields, elements) may go. */
export const MAX_TYPE_DEPTH = 1000;

/** The type definitions a kind refers to directly. */
function kindRefs(kind: TypeDefKind): TypeId[] {
  const out: TypeId[] = [];
  const add = (t: Type | undefined): void => {
    if (t !== undefined && isTypeId(t)) out.push(t);
  };
  switch (kind.tag) {
    case 'record':
      kind.fields.forEach((f) => add(f.type));
      break;
    case 'variant':
      kind.cases.forEach((c) => add(c.type));
      break;
    case 'tuple':
      kind.types.forEach(add);
      break;
    case 'option':
    case 'list':
    case 'fixed-length-list':
    case 'type':
    case 'future':
    case 'stream':
      add(kind.type);
      break;
    case 'result':
      add(kind.ok);
      add(kind.err);
      break;
    case 'map':
      add(kind.key);
      add(kind.value);
      break;
    case 'handle':
      add(kind.resource);
      break;
    case 'resource':
    case 'flags':
    case 'enum':
    case 'unknown':
      break;
  }
  return out;
}

export function astPackageName(name: AstPackageName): PackageName {
  return {
    namespace: name.namespace.name,
    name: name.name.name,
    ...(name.version === undefined ? {} : { version: name.version }),
  };
}

/** `name \`x\` is defined as a world, not an interface` (and the other way round). */
export function kindError(
  name: string,
  is: 'world' | 'interface',
  want: 'world' | 'interface',
  span: Span,
): never {
  const article = (k: string): string => (k === 'world' ? 'a world' : 'an interface');
  return resolveError(`name \`${name}\` is defined as ${article(is)}, not ${article(want)}`, span);
}
