/**
 * The `package-docs` custom section: one version byte (0 or 1) then JSON carrying the docs and
 * stability (`@since`, `@unstable`, `@deprecated`) of the main package's items (wit-parser's
 * `metadata.rs`). Unknown keys are errors, as serde's `deny_unknown_fields` makes them upstream.
 * In version 0 a function's entry is a bare docs string; version 1 writes `{docs, stability}`.
 */
import type {
  Docs,
  Function,
  InterfaceId,
  PackageId,
  Resolve,
  Stability,
  TypeId,
  World,
  WorldItem,
} from '../model.js';
import { getInterface, getPackage, getType, getWorld } from '../model.js';
import { decodeError } from '../binary/reader.js';
import { isSemver } from './names.js';

type Json = Record<string, unknown>;

class MetadataReader {
  constructor(readonly offset: number) {}

  fail(message: string): never {
    throw decodeError(this.offset, `invalid \`package-docs\` section: ${message}`);
  }

  object(value: unknown, what: string, keys: readonly string[]): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${what} is not an object`);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) this.fail(`unknown field \`${key}\` in ${what}`);
    }
    return value as Json;
  }

  map(value: unknown, what: string): [string, unknown][] {
    if (value === undefined) return [];
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${what} is not a map`);
    return Object.entries(value);
  }

  docs(value: unknown, what: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(`${what} docs are not a string`);
    return value;
  }

  version(value: unknown, what: string): string {
    if (typeof value !== 'string' || !isSemver(value)) this.fail(`${what} is not a semver version`);
    return value;
  }

  stability(value: unknown, what: string): Stability {
    if (value === undefined || value === 'unknown') return { kind: 'unknown' };
    const outer = this.object(value, `${what} stability`, ['stable', 'unstable']);
    const entries = Object.entries(outer);
    const [tag, body] = entries[0] ?? this.fail(`${what} stability is empty`);
    if (entries.length !== 1) this.fail(`${what} stability has several variants`);
    // serde's `Stability` does not deny unknown fields: an extra field in the body is ignored.
    const fields = this.object(body, `${what} stability`, Object.keys(body ?? {}));
    const deprecated =
      fields['deprecated'] === undefined
        ? {}
        : { deprecated: this.version(fields['deprecated'], 'deprecated') };
    if (tag === 'stable')
      return { kind: 'stable', since: this.version(fields['since'], 'since'), ...deprecated };
    const feature = fields['feature'];
    if (typeof feature !== 'string') this.fail(`${what} stability feature is not a string`);
    return { kind: 'unstable', feature, ...deprecated };
  }
}

function setDocs(docs: Docs, contents: string | undefined): void {
  if (contents !== undefined) docs.contents = contents;
}

function injectType(m: MetadataReader, resolve: Resolve, id: TypeId, value: unknown): void {
  const data = m.object(value, 'type metadata', ['docs', 'stability', 'items']);
  const def = getType(resolve, id);
  const items = m.map(data['items'], 'type items');
  if (items.length > 0) {
    const kind = def.kind;
    const list =
      kind.tag === 'record'
        ? kind.fields
        : kind.tag === 'flags'
          ? kind.flags
          : kind.tag === 'variant' || kind.tag === 'enum'
            ? kind.cases
            : undefined;
    if (list === undefined) m.fail(`got items for type \`${def.name ?? ''}\` which has none`);
    let unused = items.length;
    const byName = new Map(items);
    for (const item of list) {
      if (!byName.has(item.name)) continue;
      item.docs = {
        contents: m.docs(byName.get(item.name), 'item') ?? m.fail('item docs are null'),
      };
      unused--;
    }
    if (unused > 0) m.fail(`not all items match the items of type \`${def.name ?? ''}\``);
  }
  setDocs(def.docs, m.docs(data['docs'], 'type'));
  def.stability = m.stability(data['stability'], 'type');
}

function injectFunction(m: MetadataReader, func: Function, value: unknown): void {
  if (typeof value === 'string' || value === null) {
    const docs = m.docs(value, 'function');
    func.docs = docs === undefined ? {} : { contents: docs };
    return;
  }
  const data = m.object(value, 'function metadata', ['docs', 'stability']);
  const docs = m.docs(data['docs'], 'function');
  func.docs = docs === undefined ? {} : { contents: docs };
  func.stability = m.stability(data['stability'], 'function');
}

function injectInterface(
  m: MetadataReader,
  resolve: Resolve,
  id: InterfaceId,
  value: unknown,
): void {
  const data = m.object(value, 'interface metadata', ['docs', 'stability', 'funcs', 'types']);
  const iface = getInterface(resolve, id);
  for (const [name, t] of m.map(data['types'], 'types')) {
    injectType(m, resolve, iface.types.get(name) ?? m.fail(`missing type \`${name}\``), t);
  }
  for (const [name, f] of m.map(data['funcs'], 'funcs')) {
    injectFunction(m, iface.functions.get(name) ?? m.fail(`missing func \`${name}\``), f);
  }
  setDocs(iface.docs, m.docs(data['docs'], 'interface'));
  iface.stability = m.stability(data['stability'], 'interface');
}

const WORLD_KEYS = [
  'docs',
  'stability',
  'interfaces',
  'types',
  'funcs',
  'interface_exports',
  'func_exports',
  'interface_import_stability',
  'interface_export_stability',
  'interface_import_docs',
  'interface_export_docs',
] as const;

/** `name_world_key`: the label, or `ns:pkg/iface@ver` for an interface key. */
function nameWorldKey(
  resolve: Resolve,
  key: { kind: 'name'; name: string } | { kind: 'interface'; id: InterfaceId },
): string {
  if (key.kind === 'name') return key.name;
  const iface = getInterface(resolve, key.id);
  if (iface.package === undefined) return iface.name ?? '';
  const pkg = getPackage(resolve, iface.package).name;
  const base = `${pkg.namespace}:${pkg.name}/${iface.name ?? ''}`;
  return pkg.version === undefined ? base : `${base}@${pkg.version}`;
}

function namedItem(world: World, name: string, onlyExport: boolean): WorldItem | undefined {
  if (!onlyExport) {
    const imported = world.imports.get(name)?.item;
    if (imported !== undefined) return imported;
  }
  return world.exports.get(name)?.item;
}

function injectWorldStatements(
  m: MetadataReader,
  resolve: Resolve,
  world: World,
  data: Json,
): void {
  const groups = [
    ['interface_import_stability', true, 'stability'],
    ['interface_export_stability', false, 'stability'],
    ['interface_import_docs', true, 'docs'],
    ['interface_export_docs', false, 'docs'],
  ] as const;
  const byKey = (entries: World['imports']): Map<string, WorldItem> => {
    const map = new Map<string, WorldItem>();
    for (const { key, item } of entries.values()) {
      if (item.kind === 'interface') map.set(nameWorldKey(resolve, key), item);
    }
    return map;
  };
  const imports = byKey(world.imports);
  const exports = byKey(world.exports);
  for (const [field, isImport, what] of groups) {
    for (const [name, value] of m.map(data[field], field)) {
      const item = (isImport ? imports : exports).get(name);
      if (item?.kind !== 'interface') m.fail(`missing interface \`${name}\``);
      if (what === 'stability') item.stability = m.stability(value, 'interface');
      else
        item.docs = { contents: m.docs(value, 'interface') ?? m.fail('interface docs are null') };
    }
  }
}

function injectWorld(m: MetadataReader, resolve: Resolve, world: World, value: unknown): void {
  const data = m.object(value, 'world metadata', WORLD_KEYS);
  for (const [field, onlyExport] of [
    ['interfaces', false],
    ['interface_exports', true],
  ] as const) {
    for (const [name, iface] of m.map(data[field], field)) {
      const item = namedItem(world, name, onlyExport);
      if (item?.kind !== 'interface') m.fail(`missing interface \`${name}\``);
      item.stability = m.stability(
        m.object(iface, 'interface metadata', ['docs', 'stability', 'funcs', 'types'])['stability'],
        'interface',
      );
      injectInterface(m, resolve, item.id, iface);
    }
  }
  for (const [name, t] of m.map(data['types'], 'types')) {
    const item = world.imports.get(name)?.item;
    if (item?.kind !== 'type') m.fail(`missing type \`${name}\``);
    injectType(m, resolve, item.id, t);
  }
  injectWorldStatements(m, resolve, world, data);
  for (const [field, onlyExport] of [
    ['funcs', false],
    ['func_exports', true],
  ] as const) {
    for (const [name, f] of m.map(data[field], field)) {
      const item = namedItem(world, name, onlyExport);
      if (item?.kind !== 'function') m.fail(`missing func \`${name}\``);
      injectFunction(m, item.func, f);
    }
  }
  setDocs(world.docs, m.docs(data['docs'], 'world'));
  world.stability = m.stability(data['stability'], 'world');
}

/** Parses the `package-docs` payload and applies it to package `pkgId` of `resolve`. */
export function injectPackageDocs(
  resolve: Resolve,
  pkgId: PackageId,
  bytes: Uint8Array,
  offset: number,
): void {
  const m = new MetadataReader(offset);
  const version = bytes[0];
  if (version !== 0 && version !== 1)
    m.fail(`expected version 0 or 1, got ${version ?? 'nothing'}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(1)));
  } catch {
    m.fail('the payload is not UTF-8 JSON');
  }
  const data = m.object(json, 'package metadata', ['docs', 'worlds', 'interfaces']);
  const pkg = getPackage(resolve, pkgId);
  for (const [name, w] of m.map(data['worlds'], 'worlds')) {
    const id = pkg.worlds.get(name) ?? m.fail(`missing world \`${name}\``);
    injectWorld(m, resolve, getWorld(resolve, id), w);
  }
  for (const [name, i] of m.map(data['interfaces'], 'interfaces')) {
    injectInterface(
      m,
      resolve,
      pkg.interfaces.get(name) ?? m.fail(`missing interface \`${name}\``),
      i,
    );
  }
  setDocs(pkg.docs, m.docs(data['docs'], 'package'));
}
