/**
 * Canonicalises wit-parser Resolve JSON so two resolves compare independently of arena allocation
 * order: ids are renumbered in the order a fixed walk (packages → interfaces → types → functions →
 * worlds) first reaches them; entries never reached keep their relative order after the others.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export function canonicalWitJson(input: Json): Json {
  const root = input as Obj;
  const arenas = ['types', 'interfaces', 'worlds', 'packages'] as const;
  const order: Record<string, number[]> = { types: [], interfaces: [], worlds: [], packages: [] };
  const seen: Record<string, Set<number>> = {
    types: new Set(),
    interfaces: new Set(),
    worlds: new Set(),
    packages: new Set(),
  };
  const arr = (k: string): Obj[] => root[k] as Obj[];
  const visitType = (t: Json): void => {
    if (typeof t !== 'number' || seen.types!.has(t)) return;
    seen.types!.add(t);
    order.types!.push(t);
    walkRefs(arr('types')[t]!.kind, visitType);
  };
  const visitFunc = (f: Obj): void => {
    for (const p of f.params as Obj[]) visitType(p.type!);
    if (f.result !== undefined) visitType(f.result);
    const kind = f.kind;
    if (kind !== null && typeof kind === 'object')
      for (const v of Object.values(kind)) visitType(v);
  };
  const visitIface = (i: number): void => {
    if (seen.interfaces!.has(i)) return;
    seen.interfaces!.add(i);
    order.interfaces!.push(i);
    const iface = arr('interfaces')[i]!;
    for (const t of Object.values(iface.types as Obj)) visitType(t);
    for (const f of Object.values(iface.functions as Obj)) visitFunc(f as Obj);
  };
  const visitWorld = (w: number): void => {
    if (seen.worlds!.has(w)) return;
    seen.worlds!.add(w);
    order.worlds!.push(w);
    const world = arr('worlds')[w]!;
    for (const dir of ['imports', 'exports']) {
      for (const item of Object.values(world[dir] as Obj) as Obj[]) {
        if (item.interface !== undefined) visitIface((item.interface as Obj).id as number);
        if (item.type !== undefined) visitType(item.type);
        if (item.function !== undefined) visitFunc(item.function as Obj);
      }
    }
  };
  arr('packages').forEach((p, i) => {
    order.packages!.push(i);
    seen.packages!.add(i);
    for (const id of Object.values(p.interfaces as Obj)) visitIface(id as number);
    for (const id of Object.values(p.worlds as Obj)) visitWorld(id as number);
  });
  const maps: Record<string, Map<number, number>> = {};
  for (const a of arenas) {
    const all = arr(a).map((_, i) => i);
    const full = [...order[a]!, ...all.filter((i) => !seen[a]!.has(i))];
    maps[a] = new Map(full.map((old, neu) => [old, neu]));
    order[a] = full;
  }
  const t = (v: Json): Json => (typeof v === 'number' ? maps.types!.get(v)! : v);
  const i = (v: Json): number => maps.interfaces!.get(v as number)!;
  const func = (f: Obj): Obj => {
    const kind =
      f.kind !== null && typeof f.kind === 'object'
        ? Object.fromEntries(Object.entries(f.kind).map(([k, v]) => [k, t(v)]))
        : f.kind!;
    return {
      ...f,
      kind,
      params: (f.params as Obj[]).map((p) => ({ ...p, type: t(p.type!) })),
      ...(f.result !== undefined ? { result: t(f.result) } : {}),
    };
  };
  const owner = (o: Json): Json => {
    if (o === null) return null;
    const [k, v] = Object.entries(o as Obj)[0]!;
    return { [k]: k === 'interface' ? i(v) : maps.worlds!.get(v as number)! };
  };
  const items = (m: Obj): Obj =>
    Object.fromEntries<Json>(
      Object.entries(m).map(([k, v]) => {
        const key = k.startsWith('interface-') ? `interface-${String(i(Number(k.slice(10))))}` : k;
        const item = v as Obj;
        if (item.interface !== undefined)
          return [
            key,
            { interface: { ...(item.interface as Obj), id: i((item.interface as Obj).id!) } },
          ];
        if (item.type !== undefined) return [key, { type: t(item.type) }];
        return [key, { function: func(item.function as Obj) }];
      }),
    );
  return {
    worlds: order.worlds!.map((w) => {
      const world = arr('worlds')[w]!;
      return {
        ...world,
        imports: items(world.imports as Obj),
        exports: items(world.exports as Obj),
      };
    }),
    interfaces: order.interfaces!.map((n) => {
      const iface = arr('interfaces')[n]!;
      return {
        ...iface,
        types: Object.fromEntries(Object.entries(iface.types as Obj).map(([k, v]) => [k, t(v)])),
        functions: Object.fromEntries(
          Object.entries(iface.functions as Obj).map(([k, v]) => [k, func(v as Obj)]),
        ),
      };
    }),
    types: order.types!.map((n) => {
      const ty = arr('types')[n]!;
      return { ...ty, kind: mapRefs(ty.kind!, t), owner: owner(ty.owner ?? null) };
    }),
    packages: arr('packages').map((p) => ({
      ...p,
      interfaces: Object.fromEntries(
        Object.entries(p.interfaces as Obj).map(([k, v]) => [k, i(v)]),
      ),
      worlds: Object.fromEntries(
        Object.entries(p.worlds as Obj).map(([k, v]) => [k, maps.worlds!.get(v as number)!]),
      ),
    })),
  };
}

/** Calls `f` on every type reference inside a type definition kind. */
function walkRefs(kind: Json | undefined, f: (t: Json) => void): void {
  mapRefs(kind ?? null, (t) => {
    f(t);
    return t;
  });
}

function mapRefs(kind: Json, f: (t: Json) => Json): Json {
  if (typeof kind === 'string' || kind === null) return kind;
  const [tag, body] = Object.entries(kind as Obj)[0]!;
  const m = (v: Json): Json => (v === null ? null : f(v));
  switch (tag) {
    case 'record':
      return {
        record: {
          fields: ((body as Obj).fields as Obj[]).map((x) => ({ ...x, type: m(x.type!) })),
        },
      };
    case 'variant':
      return {
        variant: {
          cases: ((body as Obj).cases as Obj[]).map((x) => ({ ...x, type: m(x.type ?? null) })),
        },
      };
    case 'tuple':
      return { tuple: { types: ((body as Obj).types as Json[]).map(m) } };
    case 'handle': {
      const [h, r] = Object.entries(body as Obj)[0]!;
      return { handle: { [h]: m(r) } };
    }
    case 'result':
      return { result: { ok: m((body as Obj).ok ?? null), err: m((body as Obj).err ?? null) } };
    case 'fixed-length-list':
      return { [tag]: [m((body as Json[])[0]!), (body as Json[])[1]!] };
    case 'map':
      return { map: (body as Json[]).map(m) };
    case 'flags':
    case 'enum':
      return kind;
    default:
      return { [tag]: m(body) };
  }
}
