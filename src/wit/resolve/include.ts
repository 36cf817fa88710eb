/**
 * World `include` (wit-parser's `resolve_include` with its `Cloner`): the included world's
 * imports and exports are copied into the including world; named items may be renamed with
 * `with { a as b }`. World-owned types are cloned into the including world (renamed resources
 * rename their functions: `[method]r.m` becomes `[method]s.m`), and anonymous types that refer
 * to cloned types are cloned with them; interface items are shared.
 */
import { resolveError, type Span } from '../diagnostics.js';
import {
  addType,
  getType,
  getWorld,
  isTypeId,
  worldKeyString,
  type Function,
  type Type,
  type TypeDefKind,
  type TypeId,
  type WorldId,
  type WorldItem,
  type WorldKey,
  type Stability,
  UNKNOWN_STABILITY,
} from '../model.js';
import type { Ident, UsePath } from '../text/ast.js';
import type { PackageContext } from './context.js';

type Entry = { key: WorldKey; item: WorldItem };

/** Copies the items of world `from` into world `into`. */
export function includeWorld(
  ctx: PackageContext,
  into: WorldId,
  from: WorldId,
  withs: { from: Ident; to: Ident }[],
  path: UsePath,
): void {
  const source = getWorld(ctx.resolve, from);
  const target = getWorld(ctx.resolve, into);
  const span: Span = path.name.span;
  const names = new Set<string>();
  for (const e of [...source.imports.values(), ...source.exports.values()]) {
    if (e.key.kind === 'name') names.add(e.key.name);
  }
  const missing = withs.find((w) => !names.has(w.from.name));
  if (missing !== undefined) {
    resolveError(
      `no import or export kebab-name \`${missing.from.name}\`. Note that an ID does not support renaming`,
      span,
    );
  }
  const external = source.package !== target.package;
  const cloner = new Cloner(ctx, from, into);
  const rename = (n: string): string => withs.find((w) => w.from.name === n)?.to.name ?? n;
  for (const [map, to, dir] of [
    [source.imports, target.imports, 'import'],
    [source.exports, target.exports, 'export'],
  ] as const) {
    for (const entry of map.values()) {
      if (entry.key.kind === 'interface' && entry.item.kind === 'interface') {
        const key = worldKeyString(entry.key);
        let prev = to.get(key);
        if (prev === undefined) {
          prev = { key: entry.key, item: { ...entry.item } };
          to.set(key, prev);
        }
        mergeIncludeStability(entry.item.stability, prev.item, external, span);
        continue;
      }
      const copy = cloner.entry(entry, rename);
      const key = worldKeyString(copy.key);
      if (to.has(key)) resolveError(`${dir} of \`${key}\` shadows previously ${dir}ed items`, span);
      to.set(key, copy);
    }
  }
}

/**
 * wit-parser's `merge_include_stability`: a stable item included from another package loses its
 * stability; otherwise an unknown stability takes the included one, and two different ones clash.
 */
function mergeIncludeStability(from: Stability, into: WorldItem, external: boolean, span: Span) {
  if (into.kind !== 'interface') return;
  if (external && from.kind === 'stable') {
    into.stability = UNKNOWN_STABILITY;
    return;
  }
  if (from.kind === 'unknown' || JSON.stringify(from) === JSON.stringify(into.stability)) return;
  if (into.stability.kind === 'unknown') {
    into.stability = from;
    return;
  }
  resolveError(
    `mismatch in stability from '${debugStability(from)}' to '${debugStability(into.stability)}'`,
    span,
  );
}

/** A stability as Rust's `Debug` prints it, for the mismatch message. */
function debugStability(s: Stability): string {
  const version = (v: string): string => {
    const m = /^(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?(?:\+(.*))?$/.exec(v);
    if (m === null) return v;
    const pre = m[4] === undefined ? '' : `, pre: Prerelease("${m[4]}")`;
    const build = m[5] === undefined ? '' : `, build: BuildMetadata("${m[5]}")`;
    return `Version { major: ${m[1]}, minor: ${m[2]}, patch: ${m[3]}${pre}${build} }`;
  };
  const dep =
    s.kind !== 'unknown' && s.deprecated !== undefined ? `Some(${version(s.deprecated)})` : 'None';
  if (s.kind === 'stable') return `Stable { since: ${version(s.since)}, deprecated: ${dep} }`;
  if (s.kind === 'unstable') return `Unstable { feature: "${s.feature}", deprecated: ${dep} }`;
  return 'Unknown';
}

class Cloner {
  private readonly types = new Map<TypeId, TypeId>();
  private readonly renames = new Map<TypeId, string>();

  constructor(
    private readonly ctx: PackageContext,
    private readonly from: WorldId,
    private readonly into: WorldId,
  ) {}

  entry(entry: Entry, rename: (n: string) => string): Entry {
    const name = (entry.key as { name: string }).name;
    const item = entry.item;
    if (item.kind === 'type') {
      const newName = rename(name);
      this.renames.set(item.id, newName);
      const id = this.typeId(item.id);
      return { key: { kind: 'name', name: newName }, item: { kind: 'type', id } };
    }
    if (item.kind === 'function') {
      const func = this.func(item.func, rename(name));
      return { key: { kind: 'name', name: func.name }, item: { kind: 'function', func } };
    }
    return { key: { kind: 'name', name: rename(name) }, item };
  }

  private func(f: Function, name: string): Function {
    const kind = { ...f.kind };
    let fname = name;
    if ('resource' in kind) {
      const old = getType(this.ctx.resolve, kind.resource).name ?? '';
      kind.resource = this.typeId(kind.resource);
      const neu = getType(this.ctx.resolve, kind.resource).name ?? '';
      fname = f.name.replace(`]${old}`, `]${neu}`);
    }
    return {
      ...f,
      name: fname,
      kind,
      params: f.params.map((p) => ({ name: p.name, type: this.type(p.type) })),
      ...(f.result === undefined ? {} : { result: this.type(f.result) }),
    };
  }

  private type(t: Type): Type {
    return isTypeId(t) ? this.typeId(t) : t;
  }

  private type_(t: Type | undefined): Type | undefined {
    return t === undefined ? undefined : this.type(t);
  }

  /** The clone of `id` if it (or what it refers to) belongs to the source world, else `id`. */
  private typeId(id: TypeId): TypeId {
    const done = this.types.get(id);
    if (done !== undefined) return done;
    const def = getType(this.ctx.resolve, id);
    const owned = def.owner.kind === 'world' && def.owner.id === this.from;
    if (!owned && def.owner.kind !== 'none') return id;
    const kind = this.kind(def.kind);
    if (!owned && JSON.stringify(kind) === JSON.stringify(def.kind)) return id;
    const clone = addType(this.ctx.resolve, {
      ...def,
      ...(def.name === undefined ? {} : { name: this.renames.get(id) ?? def.name }),
      kind,
      owner: owned ? { kind: 'world', id: this.into } : def.owner,
    });
    this.types.set(id, clone);
    return clone;
  }

  private kind(k: TypeDefKind): TypeDefKind {
    switch (k.tag) {
      case 'record':
        return { ...k, fields: k.fields.map((f) => ({ ...f, type: this.type(f.type) })) };
      case 'variant':
        return {
          ...k,
          cases: k.cases.map((c) => ({
            ...c,
            ...(c.type === undefined ? {} : { type: this.type(c.type) }),
          })),
        };
      case 'tuple':
        return { ...k, types: k.types.map((t) => this.type(t)) };
      case 'option':
      case 'list':
      case 'fixed-length-list':
      case 'type':
        return { ...k, type: this.type(k.type) };
      case 'future':
      case 'stream':
        return k.type === undefined ? k : { ...k, type: this.type(k.type) };
      case 'result': {
        const ok = this.type_(k.ok);
        const err = this.type_(k.err);
        return {
          tag: 'result',
          ...(ok === undefined ? {} : { ok }),
          ...(err === undefined ? {} : { err }),
        };
      }
      case 'map':
        return { ...k, key: this.type(k.key), value: this.type(k.value) };
      case 'handle':
        return { ...k, resource: this.typeId(k.resource) };
      case 'resource':
      case 'flags':
      case 'enum':
      case 'unknown':
        return k;
    }
  }
}
