/**
 * A WIT package as a binary component (wit-component's `encode`, encoding/wit.rs): for each
 * interface a component type importing the instances (types only) of the interfaces it depends on
 * and exporting its own instance as `ns:pkg/iface@ver`; for each world a component type wrapping
 * the world's component type exported as `ns:pkg/world@ver`; then the `package-docs` and
 * `producers` custom sections. Each type/export pair is its own pair of sections.
 */
import { ByteWriter } from '../binary/writer.js';
import { WitDepsError } from '../../errors.js';
import { witError } from '../error-text.js';
import {
  formatPackageName,
  getPackage,
  getWorld,
  type InterfaceId,
  type Package,
  type PackageId,
  type Resolve,
  type WorldId,
  type WorldItem,
  type WorldKey,
} from '../model.js';
import { interfaceDirectDeps, interfaceIdName } from '../resolve/elaborate.js';
import { packageDocsJson } from './metadata.js';
import { externName, plainName, TypeScopeBuilder } from './scope.js';
import { InterfaceEncoder } from './valtype.js';

export interface EncodeOptions {
  /** The version named in the producers section (`processed-by wit-deps <version>`). */
  producersVersion: string;
}

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];

/** Encodes package `pkgId` of `resolve` as a binary WIT package. */
export function encodeWitPackage(
  resolve: Resolve,
  pkgId: PackageId,
  options: EncodeOptions,
): Uint8Array {
  try {
    return encode(resolve, pkgId, options);
  } catch (err) {
    if (err instanceof WitDepsError) throw err;
    throw witError('encode-failed', { reason: (err as Error).message }, { cause: err });
  }
}

/**
 * A package with no interface and no world would encode as a component that exports nothing,
 * which our decoder (`wit print`, `install`) does not take for a WIT package: refused here.
 */
function assertNotEmpty(resolve: Resolve, pkg: Package): void {
  if (pkg.interfaces.size > 0 || pkg.worlds.size > 0) return;
  const name = formatPackageName(pkg.name);
  throw witError('empty-package', { package: name, allFeatures: resolve.allFeatures });
}

function encode(resolve: Resolve, pkgId: PackageId, options: EncodeOptions): Uint8Array {
  const pkg = getPackage(resolve, pkgId);
  assertNotEmpty(resolve, pkg);
  const out = new ByteWriter().bytes(Uint8Array.from(HEADER));
  let typeIndex = 0;
  const emit = (name: string, ty: TypeScopeBuilder): void => {
    const types = new ByteWriter().u32(1);
    ty.encode(types);
    out.section(7, types.finish());
    const exp = new ByteWriter()
      .u32(1)
      .byte(0x00)
      .string(name)
      .byte(0x03)
      .u32(typeIndex)
      .byte(0x00);
    out.section(11, exp.finish());
    typeIndex += 2;
  };
  for (const [name, id] of pkg.interfaces) emit(name, encodeInterface(resolve, id));
  for (const [name, id] of pkg.worlds) {
    const world = encodeWorld(resolve, id);
    const wrapper = new TypeScopeBuilder('component');
    wrapper.defineType((w) => world.encode(w));
    const v = pkg.name.version === undefined ? '' : `@${pkg.name.version}`;
    const full = `${pkg.name.namespace}:${pkg.name.name}/${name}${v}`;
    wrapper.extern('export', plainName(full), (w) => w.byte(0x04).u32(0), false);
    emit(name, wrapper);
  }
  out.section(0, custom('package-docs', packageDocsJson(resolve, pkgId)));
  out.section(0, custom('producers', producers(options.producersVersion)));
  return out.finish();
}

function custom(name: string, data: Uint8Array): Uint8Array {
  return new ByteWriter().string(name).bytes(data).finish();
}

function producers(version: string): Uint8Array {
  return new ByteWriter()
    .u32(1)
    .string('processed-by')
    .u32(1)
    .string('wit-deps')
    .string(version)
    .finish();
}

/** `id` and the interfaces it depends on, dependencies first (iterative: chains may be long). */
function liveInterfaces(resolve: Resolve, id: InterfaceId): InterfaceId[] {
  const out: InterfaceId[] = [];
  const seen = new Set<InterfaceId>([id]);
  const stack: { id: InterfaceId; deps: InterfaceId[]; next: number }[] = [
    { id, deps: [...interfaceDirectDeps(resolve, id)], next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const dep = top.deps[top.next++];
    if (dep === undefined) {
      out.push(top.id);
      stack.pop();
    } else if (!seen.has(dep)) {
      seen.add(dep);
      stack.push({ id: dep, deps: [...interfaceDirectDeps(resolve, dep)], next: 0 });
    }
  }
  return out;
}

function encodeInterface(resolve: Resolve, id: InterfaceId): TypeScopeBuilder {
  const live = liveInterfaces(resolve, id);
  const enc = new InterfaceEncoder(resolve);
  for (const iface of live) {
    enc.iface = iface;
    const main = iface === id;
    const idx = enc.encodeInstance(iface, main);
    enc.outer.extern(
      main ? 'export' : 'import',
      plainName(interfaceIdName(resolve, iface)),
      (w) => w.byte(0x05).u32(idx),
      false,
    );
  }
  return enc.outer;
}

function worldName(resolve: Resolve, key: WorldKey, item: WorldItem): (w: ByteWriter) => void {
  const externalId =
    item.kind === 'interface'
      ? item.externalId
      : item.kind === 'function'
        ? item.func.externalId
        : undefined;
  if (key.kind === 'interface') {
    return externName(interfaceIdName(resolve, key.id), undefined, externalId);
  }
  const named = item.kind === 'interface' && resolve.interfaces[item.id]?.name !== undefined;
  const implementsId = named ? interfaceIdName(resolve, item.id) : undefined;
  return externName(key.name, implementsId, externalId);
}

function encodeWorld(resolve: Resolve, id: WorldId): TypeScopeBuilder {
  const world = getWorld(resolve, id);
  const enc = new InterfaceEncoder(resolve);
  for (const [dir, map] of [
    ['import', world.imports],
    ['export', world.exports],
  ] as const) {
    for (const { key, item } of map.values()) {
      if (item.kind === 'interface') {
        enc.iface = item.id;
        const idx = enc.encodeInstance(item.id, true);
        enc.outer.extern(dir, worldName(resolve, key, item), (w) => w.byte(0x05).u32(idx), false);
      } else if (item.kind === 'function') {
        enc.iface = undefined;
        const idx = enc.funcType(item.func);
        enc.outer.extern(dir, worldName(resolve, key, item), (w) => w.byte(0x01).u32(idx), false);
      } else {
        enc.iface = undefined;
        enc.importTypes = true;
        enc.valtype(item.id);
        enc.importTypes = false;
      }
    }
  }
  return enc.outer;
}
