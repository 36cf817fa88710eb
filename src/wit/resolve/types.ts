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
  type Stability,
  type Type,
  type TypeDefKind,
  type TypeId,
  type TypeOwner,
} from '../model.js';
import type { AstType, AstTypeDef, AstUse, TypeDefBody } from '../text/ast.js';
import type { PackageContext } from './context.js';
import { resolveDocs, resolveStability } from './docs.js';
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

  constructor(
    readonly ctx: PackageContext,
    readonly owner: TypeOwner,
  ) {}

  private define(name: string, span: Span, id: TypeId | 'gated'): void {
    if (this.names.has(name) || this.defined.has(name)) {
      resolveError(`name \`${name}\` is defined more than once`, span);
    }
    this.names.set(name, id);
  }

  /** `use path.{a, b as c};` — new alias types owned by this scope. */
  resolveUse(use: AstUse): void {
    const stability = resolveStability(use.attrs, this.ctx.pkgName);
    if (!this.ctx.included(stability)) {
      for (const n of use.names) this.define((n.as ?? n.name).name, n.name.span, 'gated');
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
      });
      this.define(local.name, local.span, id);
    }
  }

  /** All type definitions of the scope, in dependency order; returns those kept. */
  resolveTypeDefs(defs: AstTypeDef[]): { def: AstTypeDef; id: TypeId }[] {
    const nodes: TopoNode[] = defs.map((def) => ({
      name: def.name.name,
      span: def.name.span,
      deps: bodyDeps(def.body),
    }));
    for (const name of this.names.keys()) {
      if (!nodes.some((n) => n.name === name))
        nodes.push({ name, span: { start: 0, end: 0 }, deps: [] });
    }
    const seen = new Set<string>();
    for (const def of defs) {
      if (seen.has(def.name.name) || this.names.has(def.name.name)) {
        resolveError(`name \`${def.name.name}\` is defined more than once`, def.name.span);
      }
      seen.add(def.name.name);
    }
    const kept: { def: AstTypeDef; id: TypeId }[] = [];
    for (const name of toposort('type', nodes)) {
      const def = defs.find((d) => d.name.name === name);
      if (def === undefined) continue;
      const stability = resolveStability(def.attrs, this.ctx.pkgName);
      if (!this.ctx.included(stability)) {
        this.define(name, def.name.span, 'gated');
        continue;
      }
      const kind = this.typeDefKind(def.body, stability);
      const id = addType(this.ctx.resolve, {
        name,
        kind,
        owner: this.owner,
        docs: resolveDocs(def.docs),
        stability,
      });
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
            type: ty(f.type),
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
        return this.ctx.anonType({ tag: 'handle', handle: 'borrow', resource }, stability);
      }
      case 'list':
      case 'map':
      case 'tuple':
      case 'option':
      case 'result':
      case 'future':
      case 'stream':
        return this.ctx.anonType(this.anonKind(type, stability), stability);
    }
  }

  private anonKind(type: AstType, stability: Stability): TypeDefKind {
    const ty = (t: AstType): Type => this.resolveType(t, stability);
    switch (type.kind) {
      case 'list':
        return type.length === undefined
          ? { tag: 'list', type: ty(type.element) }
          : { tag: 'fixed-length-list', type: ty(type.element), length: type.length };
      case 'map':
        if (type.key.kind !== 'primitive' || !MAP_KEYS.has(type.key.name)) {
          resolveError(
            'invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string',
            type.key.span,
          );
        }
        return { tag: 'map', key: ty(type.key), value: ty(type.value) };
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
      if (name === 'float32' || name === 'float64') {
        resolveError(
          `type \`${name}\` does not exist\nthe \`${name}\` type has been renamed to \`f${name.slice(5)}\` and is no longer accepted, but the \`WIT_REQUIRE_F32_F64=0\` environment variable can be used to temporarily disable this error`,
          span,
        );
      }
      resolveError(`type \`${name}\` does not exist`, span);
    }
    if (id === 'gated') {
      resolveError(
        'found a reference to a type which is excluded due to its feature not being activated',
        span,
      );
    }
    return id;
  }

  private resourceRef(name: string, span: Span): TypeId {
    const id = this.lookup(name, span);
    if (!this.ctx.pointsToResource(id))
      resolveError(`type \`${name}\` used in a handle must be a resource`, span);
    return id;
  }

  /** The resource definition a `resource r { ... }` block declared (for its functions). */
  resourceDef(name: string): TypeId | undefined {
    const id = this.names.get(name);
    if (id === undefined || id === 'gated') return undefined;
    return getType(this.ctx.resolve, id).kind.tag === 'resource' ? id : undefined;
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
