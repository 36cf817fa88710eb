/**
 * The resolved model as wit-parser's serde JSON (`serde_json::to_string_pretty(&resolve)`), the
 * shape of the corpus `.wit.json` files: arena arrays, ids as numbers, primitives as names,
 * empty docs and unknown stability left out. Used by the conformance tests and for debugging.
 */
import type {
  Docs,
  Function,
  Resolve,
  Stability,
  Type,
  TypeDefKind,
  TypeOwner,
  WorldItem,
} from '../model.js';
import { formatPackageName } from '../model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** wit-parser's JSON form of `resolve`. */
export function resolveToJson(resolve: Resolve): Json {
  return {
    worlds: resolve.worlds.map((w) => ({
      name: w.name,
      imports: items(w.imports),
      exports: items(w.exports),
      ...(w.package === undefined ? {} : { package: w.package }),
      ...docs(w.docs),
      ...stability(w.stability),
    })),
    interfaces: resolve.interfaces.map((i) => ({
      name: i.name ?? null,
      types: Object.fromEntries(i.types),
      functions: Object.fromEntries([...i.functions].map(([k, f]) => [k, func(f)])),
      ...docs(i.docs),
      ...stability(i.stability),
      ...(i.package === undefined ? {} : { package: i.package }),
    })),
    types: resolve.types.map((t) => ({
      name: t.name ?? null,
      kind: kind(t.kind),
      owner: owner(t.owner),
      ...docs(t.docs),
      ...stability(t.stability),
    })),
    packages: resolve.packages.map((p) => ({
      name: formatPackageName(p.name),
      ...docs(p.docs),
      interfaces: Object.fromEntries(p.interfaces),
      worlds: Object.fromEntries(p.worlds),
    })),
  };
}

function items(
  map: Map<string, { key: { kind: string; name?: string; id?: number }; item: WorldItem }>,
): Json {
  const out: Record<string, Json> = {};
  for (const { key, item } of map.values()) {
    const name = key.kind === 'name' ? key.name! : `interface-${key.id!}`;
    out[name] = worldItem(item);
  }
  return out;
}

function worldItem(item: WorldItem): Json {
  switch (item.kind) {
    case 'interface':
      return { interface: { id: item.id, ...stability(item.stability) } };
    case 'function':
      return { function: func(item.func) };
    case 'type':
      return { type: item.id };
  }
}

function func(f: Function): Json {
  const kind: Json =
    f.kind.tag === 'freestanding' || f.kind.tag === 'async-freestanding'
      ? f.kind.tag
      : { [f.kind.tag]: f.kind.resource };
  return {
    name: f.name,
    kind,
    params: f.params.map((p) => ({ name: p.name, type: ty(p.type) })),
    ...(f.result === undefined ? {} : { result: ty(f.result) }),
    ...docs(f.docs),
    ...stability(f.stability),
  };
}

function ty(t: Type | undefined): Json {
  return t === undefined ? null : t;
}

function kind(k: TypeDefKind): Json {
  switch (k.tag) {
    case 'resource':
      return 'resource';
    case 'unknown':
      return 'unknown';
    case 'record':
      return {
        record: { fields: k.fields.map((f) => ({ name: f.name, type: f.type, ...docs(f.docs) })) },
      };
    case 'variant':
      return {
        variant: {
          cases: k.cases.map((c) => ({ name: c.name, type: ty(c.type), ...docs(c.docs) })),
        },
      };
    case 'enum':
      return { enum: { cases: k.cases.map((c) => ({ name: c.name, ...docs(c.docs) })) } };
    case 'flags':
      return { flags: { flags: k.flags.map((c) => ({ name: c.name, ...docs(c.docs) })) } };
    case 'handle':
      return { handle: { [k.handle]: k.resource } };
    case 'tuple':
      return { tuple: { types: k.types } };
    case 'option':
      return { option: k.type };
    case 'result':
      return { result: { ok: ty(k.ok), err: ty(k.err) } };
    case 'list':
      return { list: k.type };
    case 'fixed-length-list':
      return { 'fixed-length-list': [k.type, k.length] };
    case 'map':
      return { map: [k.key, k.value] };
    case 'future':
      return { future: ty(k.type) };
    case 'stream':
      return { stream: ty(k.type) };
    case 'type':
      return { type: k.type };
  }
}

function owner(o: TypeOwner): Json {
  return o.kind === 'none' ? null : { [o.kind]: o.id };
}

function docs(d: Docs): Record<string, Json> {
  return d.contents === undefined ? {} : { docs: { contents: d.contents } };
}

function stability(s: Stability): Record<string, Json> {
  if (s.kind === 'unknown') return {};
  const dep = s.deprecated === undefined ? {} : { deprecated: s.deprecated };
  return s.kind === 'stable'
    ? { stability: { stable: { since: s.since, ...dep } } }
    : { stability: { unstable: { feature: s.feature, ...dep } } };
}
