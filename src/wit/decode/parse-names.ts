/**
 * Names inside component types, checked the way wasmparser checks them: kebab-case labels that
 * must not collide (ignoring ASCII case) within one record, variant, flags, enum or parameter
 * list; extern names with their `0x02` options (`implements`, `versionsuffix`, `external-id`);
 * and the function type a `[constructor]` or `[method]` name requires.
 */
import type { Reader } from '../binary/reader.js';
import { isLabel, isSemver, parseComponentName, type ComponentName } from './names.js';
import type { WExtern, WExternName, WFunc, WType, WValType } from './wasm-types.js';
import { peel } from './wasm-types.js';

/**
 * The labels of one list so far (lowercased), for wasmparser's case-insensitive uniqueness rule:
 * a scan while the list is short (most are a handful of names), a set past that.
 */
export class LabelSet {
  private readonly keys: string[] = [];
  private set: Set<string> | undefined;

  /** Adds `key`; false when it is already there. */
  add(key: string): boolean {
    if (this.set !== undefined) {
      if (this.set.has(key)) return false;
      this.set.add(key);
      return true;
    }
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return false;
    keys.push(key);
    if (keys.length > 16) this.set = new Set(keys);
    return true;
  }
}

/** A {@link LabelSet} for a list of `n` labels; none is needed for a list of one. */
export function labelSet(n: number): LabelSet | undefined {
  return n > 1 ? new LabelSet() : undefined;
}

/** What a label names, for messages: `what` (`record field`) and `name` (`a record field name`). */
export interface LabelKind {
  what: string;
  name: string;
}

export function labelKind(what: string): LabelKind {
  return { what, name: `a ${what} name` };
}

/**
 * Reads a kebab-case label, rejecting one that equals (ignoring ASCII case, as wasmparser compares
 * names) a label already in `seen`.
 */
export function readLabel(r: Reader, kind: LabelKind, seen: LabelSet | undefined): string {
  const at = r.pos;
  const label = r.string(kind.name);
  if (!isLabel(label)) r.fail(`${kind.what} name \`${label}\` is not in kebab case`, at);
  if (seen !== undefined && !seen.add(label.toLowerCase()))
    r.fail(`${kind.what} name \`${label}\` conflicts with a previous name`, at);
  return label;
}

/**
 * Reads an extern name: `0x00 name`, legacy `0x01 name`, or `0x02 name vec(option)`. `known` holds
 * the names of this input classified so far (a WIT package repeats its names many times).
 */
export function readExternName(r: Reader, known: Map<string, ComponentName>): WExternName {
  const at = r.pos;
  const form = r.u8('an extern name');
  if (form > 2) r.fail(`invalid extern name form 0x${form.toString(16)}`, at);
  const nameAt = r.pos;
  const name = r.string('an extern name');
  let parsed = known.get(name);
  if (parsed === undefined) {
    parsed = parseComponentName(name);
    if (parsed === undefined) return r.fail(`\`${name}\` is not a valid extern name`, nameAt);
    known.set(name, parsed);
  }
  const out: WExternName = {
    name,
    parsed,
    implements: undefined,
    versionSuffix: undefined,
    externalId: undefined,
  };
  if (form !== 2) return out;
  const n = r.count('extern name options');
  for (let i = 0; i < n; i++) {
    const optAt = r.pos;
    const tag = r.u8('an extern name option');
    const value = r.string('an extern name option');
    const key =
      tag === 0 ? 'implements' : tag === 1 ? 'versionSuffix' : tag === 2 ? 'externalId' : undefined;
    if (key === undefined) r.fail(`invalid extern name option 0x${tag.toString(16)}`, optAt);
    if (out[key] !== undefined) r.fail(`duplicate extern name option \`${key}\``, optAt);
    out[key] = value;
  }
  return out;
}

/**
 * wasmparser's checks of the `0x02` name options against the item: `implements` only on a plain
 * label naming an instance, and its value an interface id; `versionsuffix` only on an instance;
 * an interface id's version, with the suffix appended, must be semver.
 */
export function checkExternOptions(r: Reader, ext: WExtern): void {
  const parsed = ext.parsed;
  if (ext.implements !== undefined) {
    if (parsed.kind !== 'label')
      r.fail(`name \`${ext.name}\` is not valid with \`implements\``, ext.offset);
    if (ext.entity.k !== 'instance') r.fail('only instances can have an `implements`', ext.offset);
    if (parseComponentName(ext.implements)?.kind !== 'interface')
      r.fail(`name \`${ext.implements}\` must be an interface`, ext.offset);
  }
  if (ext.versionSuffix !== undefined && ext.entity.k !== 'instance')
    r.fail('only instances can have an `versionsuffix`', ext.offset);
  // wasmparser defers the semver check of an interface id's version to here.
  if (parsed.kind === 'interface' && parsed.version !== undefined) {
    if (!isSemver(parsed.version + (ext.versionSuffix ?? '')))
      r.fail(`invalid interface version in \`${ext.name}\``, ext.offset);
  }
}

/**
 * The resources one scope's imports (or exports) have named so far, wasmparser's
 * `ComponentNameContext`: the type created by a resource import or export, and its name.
 */
export interface ResourceNames {
  byType: Map<WType, string>;
  names: Set<string>;
}

export function newResourceNames(): ResourceNames {
  return { byType: new Map(), names: new Set() };
}

/** Records an import or export of a resource type (`created` is what it adds to the index space). */
export function registerResourceName(names: ResourceNames, name: string, created: WType): void {
  if (peel(created).k !== 'resource') return;
  names.byType.set(created, name);
  names.names.add(name);
}

function handle(t: WValType | undefined, k: 'own' | 'borrow'): WType | undefined {
  if (t === undefined || typeof t === 'string') return undefined;
  const base = peel(t);
  return base.k === k ? base.resource : undefined;
}

/** The resource a constructor returns: `(own $T)` or `(result (own $T))`. */
function constructed(func: WFunc): WType | undefined {
  if (func.result === undefined || typeof func.result === 'string') return undefined;
  const result = peel(func.result);
  return result.k === 'result' ? handle(result.ok, 'own') : handle(func.result, 'own');
}

function checkResourceName(
  r: Reader,
  names: ResourceNames,
  resource: WType,
  expected: string,
  at: number,
): void {
  const actual = names.byType.get(resource);
  if (actual === undefined)
    r.fail('resource used in function does not have a name in this context', at);
  if (actual !== expected)
    r.fail(`function does not match expected resource name \`${actual}\``, at);
}

/**
 * wasmparser's checks of `[constructor]r`, `[method]r.f` and `[static]r.f` functions: the shape
 * of the function type, and that the resource it names is the one called `r` in `names`.
 */
export function checkFuncName(
  r: Reader,
  { name, parsed }: WExternName,
  func: WFunc,
  at: number,
  names: ResourceNames,
): void {
  if (parsed.kind === 'constructor') {
    if (func.async) r.fail('constructor function cannot be async', at);
    const resource = constructed(func);
    if (resource === undefined)
      r.fail(`\`${name}\` should return \`(own $T)\` or \`(result (own $T))\``, at);
    checkResourceName(r, names, resource, parsed.resource, at);
  } else if (parsed.kind === 'method') {
    const [first] = func.params;
    if (first?.[0] !== 'self')
      r.fail(`\`${name}\` should have a first argument called \`self\``, at);
    const resource = handle(first[1], 'borrow');
    if (resource === undefined)
      r.fail(`\`${name}\` should take a first argument of \`(borrow $T)\``, at);
    checkResourceName(r, names, resource, parsed.resource, at);
  } else if (parsed.kind === 'static' && !names.names.has(parsed.resource)) {
    r.fail(`\`${name}\`: static resource name is not known in this context`, at);
  }
}
