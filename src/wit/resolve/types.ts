/**
 * Type resolution within one owner (an interface or a world): `use` imports, type definitions in
 * dependency order (wit-parser's `resolve_types`), and type expressions. In a value position a
 * reference to a resource becomes the package's shared implicit `own` handle; a named alias keeps
 * the plain reference (`type t = r;`).
 */
import { resolveError, type Span } from '../diagnostics.js';
import {
  addType,
  getType,
  isTypeId,
  type Stability,
  type Type,
  type TypeDefKind,
  type TypeId,
  type TypeOwner,
  UNKNOWN_STABILITY,
} from '../model.js';
import type { AstType, AstTypeDef, AstUse, ResourceFunc, TypeDefBody } from '../text/ast.js';
import type { PackageContext } from './context.js';
import { externalIdOf, resolveDocs, resolveStability } from './docs.js';
import { GATED_TYPE, GatedReference, gatedAt } from './gated-reference.js';
import { bodyTypes, findStability } from './gates.js';
import { requireResource } from './foreign.js';
import { toposort, type TopoNode } from './toposort.js';

const MAP_KEYS = new Set([
  'bool',
  'u8',
  'u16',
  'u32',
  'u64',
  's8',
  's16',
  's32',
  's64',
  'char',
  'string',
]);

export class TypeScope {
  /** Local type names in definition order; `gated` for names dropped by a feature gate. */
  readonly names = new Map<string, TypeId | 'gated'>();
  /** Names of the scope's other items (functions, imports) for conflict errors. */
  readonly defined = new Set<string>();
  /** Function names of the scope, so a type reference to one gets wit-parser's message. */
  readonly functionNames = new Set<string>();
  /** The stability of each gated name (an anonymous type using one inherits it). */
  readonly gatedStability = new Map<string, Stability>();
  /** Set while resolving a gated item only for its errors and its anonymous types. */
  private shadow = false;

  constructor(
    readonly ctx: PackageContext,
    readonly owner: TypeOwner,
  ) {}

  private define(name: string, span: Span, id: TypeId | Stability): void {
    if (this.names.has(name) || this.defined.has(name)) {
      resolveError(`name \`${name}\` is defined more than once`, span);
    }
    if (typeof id === 'number') this.names.set(name, id);
    else {
      this.names.set(name, 'gated');
      this.gatedStability.set(name, id);
    }
  }

  /** `use path.{a, b as c};` — new alias types owned by this scope. */
  resolveUse(use: AstUse): void {
    // wit-parser checks a `use`'s gate on each type it makes: at the first name.
    const at = (use.names[0]?.name ?? use.path.name).span;
    const stability = resolveStability(use.attrs, this.ctx.pkgName, at);
    if (!this.ctx.included(stability)) {
      this.ctx.checkGatedPath(use.path);
      for (const n of use.names) this.define((n.as ?? n.name).name, n.name.span, stability);
      return;
    }
    const iface = this.ctx.interfaceAt(use.path);
    for (const n of use.names) {
      const target = this.ctx.interfaceType(iface, n.name.name, n.name.span);
      const local = n.as ?? n.name;
      const id = addType(this.ctx.resolve, {
        name: local.name,
        kind: { tag: 'type', type: target },
        owner: this.owner,
        docs: {},
        stability,
        ...externalIdOf(use.attrs),
      });
      this.define(local.name, local.span, id);
    }
  }

  /** All type definitions of the scope, in dependency order; returns those kept. */
  resolveTypeDefs(defs: AstTypeDef[]): { def: AstTypeDef; id: TypeId }[] {
    // The first definition of each name, looked up by name (a scan per name was quadratic).
    const byName = new Map<string, AstTypeDef>();
    for (const def of defs) if (!byName.has(def.name.name)) byName.set(def.name.name, def);
    // Names brought in by `use` come first, as in wit-parser's `resolve_types`.
    const nodes: TopoNode[] = [...this.names.keys()]
      .filter((name) => !byName.has(name))
      .map((name) => ({ name, span: { start: 0, end: 0 }, deps: [] }));
    for (const def of defs) {
      nodes.push({ name: def.name.name, span: def.name.span, deps: bodyDeps(def.body) });
    }
    const seen = new Set<string>();
    for (const def of defs) {
      if (seen.has(def.name.name) || this.names.has(def.name.name)) {
        resolveError(`name \`${def.name.name}\` is defined more than once`, def.name.span);
      }
      seen.add(def.name.name);
    }
    const kept: { def: AstTypeDef; id: TypeId }[] = [];
    for (const name of toposort('type', nodes, oldFloatHint)) {
      const def = byName.get(name);
      if (def === undefined) continue;
      if (def.body.kind === 'resource') checkResourceNames(def.body.funcs);
      const stability = resolveStability(def.attrs, this.ctx.pkgName, def.name.span);
      if (!this.ctx.included(stability)) {
        this.define(name, def.name.span, stability);
        this.shadowResolve(bodyTypes(def.body), stability);
        continue;
      }
      checkNotEmpty(def);
      const kind = gatedAt(def.name.span, () => this.typeDefKind(def.body, stability));
      const depth = this.ctx.checkDepth(kind, def.name.span);
      const id = addType(this.ctx.resolve, {
        name,
        kind,
        owner: this.owner,
        docs: resolveDocs(def.docs),
        stability,
        ...externalIdOf(def.attrs),
      });
      this.ctx.recordDepth(id, depth);
      this.define(name, def.name.span, id);
      kept.push({ def, id });
    }
    return kept;
  }

  private typeDefKind(body: TypeDefBody, stability: Stability): TypeDefKind {
    const ty = (t: AstType): Type => this.resolveType(t, stability);
    switch (body.kind) {
      case 'record':
        return {
          tag: 'record',
          fields: body.fields.map((f) => ({
            name: f.name.name,
            type: gatedAt(f.name.span, () => ty(f.type)),
            docs: resolveDocs(f.docs),
          })),
        };
      case 'variant':
        return {
          tag: 'variant',
          cases: body.cases.map((c) => ({
            name: c.name.name,
            ...(c.type === undefined ? {} : { type: ty(c.type) }),
            docs: resolveDocs(c.docs),
          })),
        };
      case 'enum':
        return {
          tag: 'enum',
          cases: body.cases.map((c) => ({ name: c.name.name, docs: resolveDocs(c.docs) })),
        };
      case 'flags':
        return {
          tag: 'flags',
          flags: body.flags.map((c) => ({ name: c.name.name, docs: resolveDocs(c.docs) })),
        };
      case 'resource':
        return { tag: 'resource' };
      case 'alias':
        return this.aliasKind(body.type, stability);
    }
  }

  private aliasKind(type: AstType, stability: Stability): TypeDefKind {
    if (type.kind === 'primitive') return { tag: 'type', type: type.name };
    if (type.kind === 'name')
      return { tag: 'type', type: this.lookup(type.name.name, type.name.span) };
    if (type.kind === 'handle') {
      return {
        tag: 'handle',
        handle: type.handle,
        resource: this.resourceRef(type.resource.name, type.resource.span),
      };
    }
    return this.anonKind(type, stability);
  }

  /**
   * Resolves the types of an item a feature gate drops, as wit-parser's resolver does before it
   * applies gates: unknown names and misused ones (a handle to a non-resource...) are errors, and
   * its anonymous types are interned (see {@link PackageContext.shadowAnonType}).
   */
  shadowResolve(types: (AstType | undefined)[], stability: Stability): void {
    const was = this.shadow;
    this.shadow = true;
    try {
      for (const t of types) if (t !== undefined) this.resolveType(t, stability);
    } finally {
      this.shadow = was;
    }
  }

  /** A type in a value position (field, parameter, element...). */
  resolveType(type: AstType, stability: Stability): Type {
    switch (type.kind) {
      case 'primitive':
        return type.name;
      case 'name':
        return this.ctx.valueRef(this.lookup(type.name.name, type.name.span));
      case 'handle': {
        const resource = this.resourceRef(type.resource.name, type.resource.span);
        if (type.handle === 'own') return this.ctx.valueRef(resource);
        return (
          this.shadow ? this.ctx.shadowAnonType.bind(this.ctx) : this.ctx.anonType.bind(this.ctx)
        )({ tag: 'handle', handle: 'borrow', resource }, stability, type.span);
      }
      case 'list':
      case 'map':
      case 'tuple':
      case 'option':
      case 'result':
      case 'future':
      case 'stream':
        return this.anonymous(type, stability);
    }
  }

  /**
   * An anonymous type (`list<t>`, `tuple<a, b>`...). It takes the stability of its holder, or when
   * that has none, of its first component that has one; kept, it is where a gated component is
   * reported; dropped with such a component, it passes the error up to its holder.
   */
  private anonymous(type: AstType, stability: Stability): Type {
    const own = this.findStability(type, stability);
    if (this.shadow) return this.ctx.shadowAnonType(this.anonKind(type, stability), own, type.span);
    try {
      return this.ctx.anonType(this.anonKind(type, stability), own, type.span);
    } catch (err) {
      if (err instanceof GatedReference && this.ctx.included(own))
        resolveError(GATED_TYPE, type.span);
      throw err;
    }
  }

  /** wit-parser's `find_stability` over the syntax of an anonymous type. */
  private findStability(type: AstType, stability: Stability): Stability {
    return findStability(type, stability, (name) => {
      const id = this.names.get(name);
      if (id === 'gated') return this.gatedStability.get(name)!;
      return id === undefined ? UNKNOWN_STABILITY : getType(this.ctx.resolve, id).stability;
    });
  }

  private anonKind(type: AstType, stability: Stability): TypeDefKind {
    const ty = (t: AstType): Type => this.resolveType(t, stability);
    switch (type.kind) {
      case 'list':
        return type.length === undefined
          ? { tag: 'list', type: ty(type.element) }
          : { tag: 'fixed-length-list', type: ty(type.element), length: type.length };
      case 'map': {
        const key = ty(type.key);
        const value = ty(type.value);
        if (isTypeId(key) || !MAP_KEYS.has(key)) {
          resolveError(
            'invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string',
            type.span,
          );
        }
        return { tag: 'map', key, value };
      }
      case 'tuple':
        return { tag: 'tuple', types: type.types.map(ty) };
      case 'option':
        return { tag: 'option', type: ty(type.type) };
      case 'result':
        return {
          tag: 'result',
          ...(type.ok === undefined ? {} : { ok: ty(type.ok) }),
          ...(type.err === undefined ? {} : { err: ty(type.err) }),
        };
      case 'future':
      case 'stream':
        return { tag: type.kind, ...(type.type === undefined ? {} : { type: ty(type.type) }) };
      case 'primitive':
      case 'name':
      case 'handle':
        return { tag: 'type', type: this.resolveType(type, stability) };
    }
  }

  lookup(name: string, span: Span): TypeId {
    const id = this.names.get(name);
    if (id === undefined) {
      const hint = oldFloatHint(name);
      if (hint !== undefined) resolveError(`type \`${name}\` does not exist\n${hint}`, span);
      if (this.functionNames.has(name))
        resolveError(`cannot use function \`${name}\` as a type`, span);
      resolveError(`name \`${name}\` does not exist`, span);
    }
    if (id === 'gated') {
      if (this.shadow) return this.ctx.placeholder();
      throw new GatedReference(this.gatedStability.get(name)!);
    }
    return id;
  }

  /**
   * The resource of `own<r>`/`borrow<r>`. A type from another package is checked when the package
   * is added (wit-parser's `required_resource_types`), with a message that does not name it.
   */
  private resourceRef(name: string, span: Span): TypeId {
    const id = this.lookup(name, span);
    if (this.ctx.isPlaceholder(id)) return id;
    // a foreign stand-in is checked when the package is added (`required_resource_types`)
    const kind = this.ctx.aliasedKind(id);
    if (kind === 'unknown' && this.ctx.checking) requireResource(this.ctx, id, span);
    if (kind === 'resource' || (kind === 'unknown' && this.ctx.checking)) return id;
    if (this.ctx.aliasesForeign(id)) resolveError('type used in a handle must be a resource', span);
    return resolveError(`type \`${name}\` used in a handle must be a resource`, span);
  }

  /** The resource definition a `resource r { ... }` block declared (for its functions). */
  resourceDef(name: string): TypeId | undefined {
    const id = this.names.get(name);
    if (id === undefined || id === 'gated') return undefined;
    return getType(this.ctx.resolve, id).kind.tag === 'resource' ? id : undefined;
  }
}

/** wit-parser's note on the `float32`/`float64` names that were renamed. */
function oldFloatHint(name: string): string | undefined {
  if (name !== 'float32' && name !== 'float64') return undefined;
  return `the \`${name}\` type has been renamed to \`f${name.slice(5)}\` and is no longer accepted, but the \`WIT_REQUIRE_F32_F64=0\` environment variable can be used to temporarily disable this error`;
}

/** wit-parser refuses two methods or statics of one name, and a second constructor. */
function checkResourceNames(funcs: ResourceFunc[]): void {
  const names = new Set<string>();
  let constructors = 0;
  for (const f of funcs) {
    if (f.kind === 'constructor') {
      if (++constructors > 1) resolveError('duplicate constructors', f.name.span);
    } else if (names.has(f.name.name)) {
      resolveError(`duplicate function name \`${f.name.name}\``, f.name.span);
    } else names.add(f.name.name);
  }
}

/** The local type names a definition refers to (wit-parser's `collect_deps`). */
function bodyDeps(body: TypeDefBody): { name: string; span: Span }[] {
  const out: { name: string; span: Span }[] = [];
  const walk = (t: AstType | undefined): void => {
    if (t === undefined) return;
    switch (t.kind) {
      case 'name':
        out.push({ name: t.name.name, span: t.name.span });
        return;
      case 'handle':
        out.push({ name: t.resource.name, span: t.resource.span });
        return;
      case 'list':
        return walk(t.element);
      case 'map':
        walk(t.key);
        return walk(t.value);
      case 'tuple':
        return t.types.forEach(walk);
      case 'option':
      case 'future':
      case 'stream':
        return walk(t.type);
      case 'result':
        walk(t.ok);
        return walk(t.err);
      case 'primitive':
        return;
    }
  };
  if (body.kind === 'alias') walk(body.type);
  if (body.kind === 'record') body.fields.forEach((f) => walk(f.type));
  if (body.kind === 'variant') body.cases.forEach((c) => walk(c.type));
  return out;
}

/** wit-parser refuses an empty variant or enum when it resolves the type, not when parsing. */
function checkNotEmpty(def: AstTypeDef): void {
  const { body } = def;
  if ((body.kind === 'variant' || body.kind === 'enum') && body.cases.length === 0)
    resolveError(`empty ${body.kind}`, def.name.span);
}
