/**
 * Decodes a binary WIT package into a {@link Resolve} (wit-parser's `decode` for WIT packages).
 *
 * 1. `readComponent` parses the sections into wasm type objects.
 * 2. Classification (`is_wit_package`): every top-level extern is an exported component type. The
 *    first export's name says the encoding: a plain label is the current per-item encoding (v2),
 *    one `ns:pkg/wit` export is the legacy single-export encoding (v1).
 * 3. Items decode in order (interfaces through their dependency imports, worlds through their
 *    imports and exports); all items must agree on the package name.
 * 4. `finish`: foreign packages are inserted in dependency order, the main package last (merged
 *    into a foreign package of the same name if one was created), then `package-docs` applies.
 */
import { witError } from '../error-text.js';
import type { DecodeLimits } from '../binary/reader.js';
import type { InterfaceId, PackageId, PackageName, Resolve } from '../model.js';
import { addPackage, formatPackageName, getInterface, getPackage, getWorld } from '../model.js';
import { readComponent, type ComponentInfo, type TopExport } from './component.js';
import { ItemDecoder, type PendingPackage } from './items.js';
import { injectPackageDocs } from './metadata.js';
import { parseComponentName, toPackageName } from './names.js';
import { DecodeState } from './types.js';

export interface DecodedPackage {
  resolve: Resolve;
  package: PackageId;
}

function packageNameOf(
  state: DecodeState,
  name: string,
  versionSuffix: string | undefined,
): PackageName {
  const parsed = parseComponentName(name);
  if (parsed?.kind !== 'interface') return state.fail(`expected \`${name}\` to be fully qualified`);
  return toPackageName(parsed, versionSuffix) ?? state.fail(`invalid version in \`${name}\``);
}

function decodeV2(items: ItemDecoder, exports: TopExport[]): PendingPackage {
  const state = items.state;
  let pkg: PendingPackage | undefined;
  for (const top of exports) {
    state.at = top.offset;
    const [inner, ...rest] = top.type.exports;
    if (inner === undefined || rest.length > 0) {
      return state.fail(`expected a single export, but found ${top.type.exports.length} instead`);
    }
    const name = packageNameOf(state, inner.name, inner.versionSuffix);
    if (pkg === undefined) pkg = { name, interfaces: new Map(), worlds: new Map() };
    else if (formatPackageName(pkg.name) !== formatPackageName(name)) {
      state.fail('item defined with mismatched package name');
    }
    if (inner.entity.k === 'component') items.registerWorld(inner, inner.entity.type, pkg);
    else if (inner.entity.k === 'instance') {
      for (const imp of top.type.imports) {
        state.at = imp.offset;
        items.registerImport(imp.name, imp);
      }
      state.at = inner.offset;
      items.registerInterface(inner.name, inner, pkg);
    } else state.fail(`export \`${inner.name}\` is not an instance or component`);
  }
  return pkg ?? state.fail('no exported component type found');
}

function decodeV1(items: ItemDecoder, exports: TopExport[]): PendingPackage {
  const state = items.state;
  const [top, ...rest] = exports;
  if (top === undefined || rest.length > 0)
    return state.fail('more than one top-level exported component type found');
  state.at = top.offset;
  const pkg: PendingPackage = {
    name: packageNameOf(state, top.name, top.versionSuffix),
    interfaces: new Map(),
    worlds: new Map(),
  };
  for (const imp of top.type.imports) {
    state.at = imp.offset;
    items.registerImport(imp.name, imp);
  }
  for (const ext of top.type.exports) {
    state.at = ext.offset;
    if (ext.entity.k === 'instance') items.registerInterface(ext.name, ext, pkg);
    else if (ext.entity.k === 'component') items.registerWorld(ext, ext.entity.type, pkg);
    else state.fail(`component export \`${ext.name}\` is not an instance or component`);
  }
  return pkg;
}

function interfaceDeps(state: DecodeState, id: InterfaceId): InterfaceId[] {
  const out: InterfaceId[] = [];
  for (const type of getInterface(state.resolve, id).types.values()) {
    const dep = state.typeInterfaceDep(type);
    if (dep !== undefined) out.push(dep as InterfaceId);
  }
  return out;
}

/** Foreign package keys in dependency order (`visit_package`), iteratively. */
function foreignOrder(items: ItemDecoder): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const visit = (start: string): void => {
    const stack: { key: string; deps: InterfaceId[]; next: number }[] = [];
    const push = (key: string): void => {
      seen.add(key);
      const pkg = items.foreign.get(key);
      const deps = [...(pkg?.interfaces.values() ?? [])].flatMap((i) =>
        interfaceDeps(items.state, i),
      );
      stack.push({ key, deps, next: 0 });
    };
    push(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { key: string; deps: InterfaceId[]; next: number };
      const dep = top.deps[top.next++];
      if (dep === undefined) {
        stack.pop();
        order.push(top.key);
        done.add(top.key);
        continue;
      }
      const depKey = items.ifaceToForeign.get(dep);
      // wit-parser looks the dependency up among foreign packages only, and panics when a
      // foreign interface uses a type of the main package; that input is refused here.
      if (depKey === undefined) items.state.fail(`a foreign interface uses a package-local type`);
      if (depKey === top.key || done.has(depKey)) continue;
      // wit-parser's `visit_package` recurses without a visiting mark: a cycle between foreign
      // packages overflows its stack.
      if (seen.has(depKey)) items.state.fail(`foreign packages depend on each other in a cycle`);
      push(depKey);
    }
  };
  for (const key of items.foreign.keys()) if (!seen.has(key)) visit(key);
  return order;
}

function insertPackage(state: DecodeState, pending: PendingPackage): PackageId {
  const resolve = state.resolve;
  const id =
    resolve.packageNames.get(formatPackageName(pending.name)) ??
    addPackage(resolve, { name: pending.name, docs: {}, interfaces: new Map(), worlds: new Map() });
  const pkg = getPackage(resolve, id);
  for (const [name, iface] of pending.interfaces) {
    if (pkg.interfaces.has(name)) state.fail(`interface \`${name}\` is defined twice`);
    pkg.interfaces.set(name, iface);
    getInterface(resolve, iface).package = id;
  }
  for (const [name, worldId] of pending.worlds) {
    if (pkg.worlds.has(name)) state.fail(`world \`${name}\` is defined twice`);
    pkg.worlds.set(name, worldId);
    const world = getWorld(resolve, worldId);
    world.package = id;
    for (const { key, item } of [...world.imports.values(), ...world.exports.values()]) {
      if (key.kind !== 'name' || item.kind !== 'interface') continue;
      const iface = getInterface(resolve, item.id);
      if (iface.name === undefined) iface.package = id;
    }
  }
  return id;
}

function classify(info: ComponentInfo): 'v1' | 'v2' {
  const first = info.exports[0]?.name ?? '';
  const parsed = parseComponentName(first);
  if (parsed?.kind === 'interface' && parsed.iface === 'wit') return 'v1';
  if (parsed?.kind === 'label') return 'v2';
  throw witError('binary-is-component', { export: first });
}

/** Decodes the binary WIT package `bytes`; see {@link DecodedPackage}. */
export function decodePackage(bytes: Uint8Array, limits: DecodeLimits): DecodedPackage {
  const info = readComponent(bytes, limits);
  const version = classify(info);
  const state = new DecodeState(limits);
  const items = new ItemDecoder(state);
  const main = version === 'v1' ? decodeV1(items, info.exports) : decodeV2(items, info.exports);
  for (const key of foreignOrder(items)) {
    const pending = items.foreign.get(key);
    if (pending !== undefined) insertPackage(state, pending);
  }
  const pkgId = insertPackage(state, main);
  if (state.resolve.interfaces.some((i) => i.package === undefined))
    state.fail('an interface has no package');
  if (info.packageDocs !== undefined) {
    injectPackageDocs(state.resolve, pkgId, info.packageDocs.bytes, info.packageDocs.offset);
  }
  return { resolve: state.resolve, package: pkgId };
}
