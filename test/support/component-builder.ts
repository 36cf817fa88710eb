/**
 * A tiny assembler for component binaries, for decoder tests that need inputs the corpus lacks
 * (async functions, futures, streams, maps, fixed-length lists, `@external-id`, stability, the
 * legacy encoding, malformed bytes). Each helper returns plain byte arrays following the
 * component-model binary grammar (`Binary.md`); `component()` adds the preamble.
 */

export type Bytes = number[];

export function u32(n: number): Bytes {
  const out: Bytes = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 for non-negative indices (what a value-type index uses). */
export function s33(n: number): Bytes {
  const out: Bytes = [];
  let v = n;
  for (;;) {
    const byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v === 0 && (byte & 0x40) === 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export function str(s: string): Bytes {
  const bytes = [...new TextEncoder().encode(s)];
  return [...u32(bytes.length), ...bytes];
}

export function vec(items: Bytes[]): Bytes {
  return [...u32(items.length), ...items.flat()];
}

export function section(id: number, body: Bytes): Bytes {
  return [id, ...u32(body.length), ...body];
}

export function component(...sections: Bytes[]): Uint8Array {
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, ...sections.flat()]);
}

/** Extern names: plain, or with options (0 implements, 1 versionsuffix, 2 external-id). */
export function name(s: string, opts: [number, string][] = []): Bytes {
  if (opts.length === 0) return [0x00, ...str(s)];
  return [0x02, ...str(s), ...vec(opts.map(([tag, value]) => [tag, ...str(value)]))];
}

export const P = {
  bool: 0x7f,
  u8: 0x7d,
  u32: 0x79,
  string: 0x73,
  errorContext: 0x64,
} as const;

/** A value type: a primitive code or a type index. */
export function vt(t: number | { idx: number }): Bytes {
  return typeof t === 'number' ? [t] : s33(t.idx);
}

export const def = {
  list: (t: Bytes): Bytes => [0x70, ...t],
  fixedList: (t: Bytes, n: number): Bytes => [0x67, ...t, ...u32(n)],
  map: (k: Bytes, v: Bytes): Bytes => [0x63, ...k, ...v],
  option: (t: Bytes): Bytes => [0x6b, ...t],
  result: (ok?: Bytes, err?: Bytes): Bytes => [
    0x6a,
    ...(ok ? [1, ...ok] : [0]),
    ...(err ? [1, ...err] : [0]),
  ],
  record: (fields: [string, Bytes][]): Bytes => [
    0x72,
    ...vec(fields.map(([n, t]) => [...str(n), ...t])),
  ],
  enum: (names: string[]): Bytes => [0x6d, ...vec(names.map(str))],
  own: (i: number): Bytes => [0x69, ...u32(i)],
  borrow: (i: number): Bytes => [0x68, ...u32(i)],
  future: (t?: Bytes): Bytes => [0x65, ...(t ? [1, ...t] : [0])],
  stream: (t?: Bytes): Bytes => [0x66, ...(t ? [1, ...t] : [0])],
  func: (params: [string, Bytes][], result?: Bytes, isAsync = false): Bytes => [
    isAsync ? 0x43 : 0x40,
    ...vec(params.map(([n, t]) => [...str(n), ...t])),
    ...(result ? [0x00, ...result] : [0x01, 0x00]),
  ],
  instance: (decls: Bytes[]): Bytes => [0x42, ...vec(decls)],
  component: (decls: Bytes[]): Bytes => [0x41, ...vec(decls)],
};

export const decl = {
  type: (d: Bytes): Bytes => [0x01, ...d],
  export: (n: Bytes, desc: Bytes): Bytes => [0x04, ...n, ...desc],
  import: (n: Bytes, desc: Bytes): Bytes => [0x03, ...n, ...desc],
  aliasOuter: (count: number, idx: number): Bytes => [0x02, 0x03, 0x02, ...u32(count), ...u32(idx)],
  aliasExport: (inst: number, n: string): Bytes => [0x02, 0x03, 0x00, ...u32(inst), ...str(n)],
};

export const desc = {
  eq: (i: number): Bytes => [0x03, 0x00, ...u32(i)],
  subResource: (): Bytes => [0x03, 0x01],
  func: (i: number): Bytes => [0x01, ...u32(i)],
  instance: (i: number): Bytes => [0x05, ...u32(i)],
  component: (i: number): Bytes => [0x04, ...u32(i)],
};

/** A type section holding one type. */
export function typeSection(d: Bytes): Bytes {
  return section(7, vec([d]));
}

/** An export section exporting type `idx` under `label`. */
export function exportSection(label: string, idx: number): Bytes {
  return section(11, vec([[...name(label), 0x03, ...u32(idx), 0x00]]));
}

export function customSection(sectionName: string, payload: Bytes): Bytes {
  return section(0, [...str(sectionName), ...payload]);
}

/** `package-docs` with version byte `version` and a JSON value. */
export function packageDocs(json: unknown, version = 1): Bytes {
  return customSection('package-docs', [
    version,
    ...new TextEncoder().encode(JSON.stringify(json)),
  ]);
}

/**
 * A v2 package item: `(type (component <deps...> (type <instance>) (export "<id>" (instance N))))`
 * exported as `label`. `deps` are declarations placed before the instance type; `instanceIndex`
 * is the type index of the instance type inside the component type.
 */
export function interfaceItem(
  id: string,
  instanceDecls: Bytes[],
  deps: Bytes[] = [],
  instanceIndex = 0,
): Bytes {
  return def.component([
    ...deps,
    decl.type(def.instance(instanceDecls)),
    decl.export(name(id), desc.instance(instanceIndex)),
  ]);
}

export function worldItem(id: string, worldDecls: Bytes[]): Bytes {
  return def.component([
    decl.type(def.component(worldDecls)),
    decl.export(name(id), desc.component(0)),
  ]);
}
