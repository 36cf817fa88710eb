/**
 * Per-package resolution state: the package's local names (interfaces, worlds, top-level `use`
 * aliases of foreign interfaces, and names dropped by feature gates), the interned anonymous types
 * (wit-parser keys them structurally, so two `list<u8>` in a package are one type) and the shared
 * implicit `own<r>` handles (one per referenced resource id, as `Remap::update_ty` does).
 */
import { resolveError, type Span } from '../diagnostics.js';
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
  type TypeDefKind,
  type TypeId,
  type WorldId,
} from '../model.js';
import type { AstPackageName, UsePath } from '../text/ast.js';
import { includeStability } from './docs.js';

export type LocalName =
  | { kind: 'interface'; id: InterfaceId }
  | { kind: 'world'; id: WorldId }
  | { kind: 'gated'; what: 'interface' | 'world' };

export class PackageContext {
  readonly names = new Map<string, LocalName>();
  private readonly anon = new Map<string, TypeId>();
  private readonly ownHandles = new Map<TypeId, TypeId>();

  constructor(
    readonly resolve: Resolve,
    readonly pkgId: PackageId,
    readonly pkgName: PackageName,
  ) {}

  included(stability: Stability): boolean {
    return includeStability(stability, this.resolve.features, this.resolve.allFeatures);
  }

  /** An anonymous type, interned by its structure within this package. */
  anonType(kind: TypeDefKind, stability: Stability): TypeId {
    const key = JSON.stringify(kind);
    const found = this.anon.get(key);
    if (found !== undefined) return found;
    const id = addType(this.resolve, { kind, owner: { kind: 'none' }, docs: {}, stability });
    this.anon.set(key, id);
    return id;
  }

  /** A reference in a value position: resources become the shared implicit `own` handle. */
  valueRef(id: TypeId): TypeId {
    if (!this.pointsToResource(id)) return id;
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

  pointsToResource(id: TypeId): boolean {
    let cur = id;
    for (let i = 0; i <= this.resolve.types.length; i++) {
      const kind = getType(this.resolve, cur).kind;
      if (kind.tag === 'resource') return true;
      if (kind.tag !== 'type' || !isTypeId(kind.type)) return false;
      cur = kind.type;
    }
    return false;
  }

  /** The interface a `use`/`import` path names, local or foreign. */
  interfaceAt(path: UsePath): InterfaceId {
    if (path.kind === 'local') {
      const local = this.names.get(path.name.name);
      if (local === undefined) {
        resolveError(`interface or world \`${path.name.name}\` does not exist`, path.name.span);
      }
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
      resolveError(
        `interface '${path.name.name}' not found in package '${formatPackageName(getPackage(this.resolve, pkg).name)}'`,
        path.name.span,
      );
    }
    return id;
  }

  /** The world an `include` path names, local or foreign. */
  worldAt(path: UsePath): WorldId {
    if (path.kind === 'local') {
      const local = this.names.get(path.name.name);
      if (local === undefined) {
        resolveError(`interface or world \`${path.name.name}\` does not exist`, path.name.span);
      }
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
      resolveError(
        `world '${path.name.name}' not found in package '${formatPackageName(getPackage(this.resolve, pkg).name)}'`,
        path.name.span,
      );
    }
    return id;
  }

  foreignPackage(name: AstPackageName): PackageId {
    const key = formatPackageName(astPackageName(name));
    const id = this.resolve.packageNames.get(key);
    if (id === undefined) {
      const known = [...this.resolve.packageNames.keys()].map((k) => `\n    ${k}`).join('');
      return resolveError(`package '${key}' not found. known packages:${known}\n`, name.span);
    }
    return id;
  }

  /** Looks up a type exported by an interface (for `use`). */
  interfaceType(iface: InterfaceId, name: string, span: Span): TypeId {
    const id = getInterface(this.resolve, iface).types.get(name);
    if (id === undefined) resolveError(`type \`${name}\` not defined in interface`, span);
    return id;
  }
}

export function astPackageName(name: AstPackageName): PackageName {
  return {
    namespace: name.namespace.name,
    name: name.name.name,
    ...(name.version === undefined ? {} : { version: name.version }),
  };
}
