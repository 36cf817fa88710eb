/**
 * Reads component-model type definitions (`deftype`) and the declarations inside component and
 * instance types into {@link WType} objects, keeping one index space per scope.
 *
 * Binary grammar (component-model `Binary.md`): `defvaltype` opcodes `0x73..0x7f`/`0x64`
 * primitives, `0x72` record, `0x71` variant, `0x70` list, `0x67` fixed-length list, `0x63` map,
 * `0x6f` tuple, `0x6e` flags, `0x6d` enum, `0x6b` option, `0x6a` result, `0x69` own, `0x68` borrow,
 * `0x66` stream, `0x65` future; `0x40`/`0x43` (async) func; `0x41` component; `0x42` instance.
 * Declarations: `0x01` type, `0x02` alias, `0x03` import (component types only), `0x04` export.
 * Only what a WIT package uses is accepted; anything else (core types, values, resource
 * definitions) fails with `ERR_WIT_DECODE` at its offset.
 */
import type { PrimitiveType } from '../model.js';
import type { ComponentName } from './names.js';
import { limitError, type Reader } from '../binary/reader.js';
import type {
  WComponent,
  WEntity,
  WExtern,
  WExternName,
  WFunc,
  WInstance,
  WType,
  WValType,
} from './wasm-types.js';
import { isDefined, LEAF_INFO, peel } from './wasm-types.js';
import {
  checkExternOptions,
  checkFuncName,
  newResourceNames,
  readExternName,
  labelKind,
  labelSet,
  readLabel,
  type LabelKind,
  registerResourceName,
  type ResourceNames,
} from './parse-names.js';
import { freshenInstance } from './freshen.js';
import { newNamedTypes, registerNamed } from './named-types.js';
import { containsBorrow, MAX_TYPE_DEPTH, noteDefined, noteFunc, SizeSum } from './type-info.js';

const PRIMITIVE_LIST: [number, PrimitiveType][] = [
  [0x7f, 'bool'],
  [0x7e, 's8'],
  [0x7d, 'u8'],
  [0x7c, 's16'],
  [0x7b, 'u16'],
  [0x7a, 's32'],
  [0x79, 'u32'],
  [0x78, 's64'],
  [0x77, 'u64'],
  [0x76, 'f32'],
  [0x75, 'f64'],
  [0x74, 'char'],
  [0x73, 'string'],
  [0x64, 'error-context'],
];
/** The primitive value type of each opcode byte (an array: looked up for every value type). */
const PRIMITIVES: (PrimitiveType | undefined)[] = new Array<PrimitiveType | undefined>(256).fill(
  undefined,
);
for (const [op, prim] of PRIMITIVE_LIST) PRIMITIVES[op] = prim;

/** One index space level: a component, component type or instance type. */
export interface Scope {
  parent: Scope | undefined;
  types: WType[];
  instances: WInstance[];
  depth: number;
  /** Shared across all scopes of one input: how many type objects exist. */
  budget: { types: number };
  /** Shared across all scopes of one input: the extern names classified so far. */
  names: Map<string, ComponentName>;
}

export function newScope(parent: Scope | undefined, r: Reader): Scope {
  const depth = parent === undefined ? 0 : parent.depth + 1;
  if (depth > r.limits.maxDepth) {
    throw limitError(r.pos, `types are nested more than ${r.limits.maxDepth} deep`);
  }
  return {
    parent,
    types: [],
    instances: [],
    depth,
    budget: parent?.budget ?? { types: 0 },
    names: parent?.names ?? new Map<string, ComponentName>(),
  };
}

/** Adds a type object to the scope's type index space. */
export function pushType(scope: Scope, r: Reader, type: WType): void {
  if (++scope.budget.types > r.limits.maxTypes) {
    throw limitError(r.pos, `more than ${r.limits.maxTypes} types`);
  }
  scope.types.push(type);
}

export function typeAt(scope: Scope, r: Reader, index: number, at: number): WType {
  const type = scope.types[index];
  if (type === undefined)
    return r.fail(`type index ${index} out of bounds (${scope.types.length} types)`, at);
  return type;
}

function readValType(r: Reader, scope: Scope): WValType {
  const at = r.pos;
  const prim = PRIMITIVES[r.peek('a value type')];
  if (prim !== undefined) {
    r.pos++;
    return prim;
  }
  const index = r.s33('a value type');
  if (index < 0) return r.fail(`invalid value type ${index}`, at);
  const type = typeAt(scope, r, index, at);
  if (!isDefined(peel(type))) return r.fail(`type index ${index} is not a value type`, at);
  return type;
}

function readOptValType(r: Reader, scope: Scope): WValType | undefined {
  const at = r.pos;
  const flag = r.u8('an optional value type');
  if (flag === 0) return undefined;
  if (flag === 1) return readValType(r, scope);
  return r.fail(`invalid optional value type flag 0x${flag.toString(16)}`, at);
}

const FLAG = labelKind('flag');
const ENUM_CASE = labelKind('enum case');
const RECORD_FIELD = labelKind('record field');
const VARIANT_CASE = labelKind('variant case');
const PARAMETER = labelKind('function parameter');

function readNames(r: Reader, what: LabelKind): string[] {
  const n = r.count(`${what.what}s`);
  const names: string[] = [];
  const seen = labelSet(n);
  for (let i = 0; i < n; i++) names.push(readLabel(r, what, seen));
  return names;
}

function readResourceRef(r: Reader, scope: Scope): WType {
  const at = r.pos;
  const index = r.u32('a resource type index');
  const type = typeAt(scope, r, index, at);
  if (peel(type).k !== 'resource') return r.fail(`type index ${index} is not a resource`, at);
  return type;
}

function readFields(r: Reader, scope: Scope): [string, WValType][] {
  const n = r.count('record fields');
  const fields: [string, WValType][] = [];
  const seen = labelSet(n);
  for (let i = 0; i < n; i++)
    fields.push([readLabel(r, RECORD_FIELD, seen), readValType(r, scope)]);
  return fields;
}

function readCases(r: Reader, scope: Scope): [string, WValType | undefined][] {
  const n = r.count('variant cases');
  const cases: [string, WValType | undefined][] = [];
  const seen = labelSet(n);
  for (let i = 0; i < n; i++) {
    const name = readLabel(r, VARIANT_CASE, seen);
    const type = readOptValType(r, scope);
    const at = r.pos;
    if (r.u8('the zero byte after a variant case') !== 0)
      r.fail('expected a zero byte after a variant case', at);
    cases.push([name, type]);
  }
  return cases;
}

function readFunc(r: Reader, scope: Scope, isAsync: boolean): WFunc {
  const n = r.count('function parameters');
  const params: [string, WValType][] = [];
  const seen = labelSet(n);
  for (let i = 0; i < n; i++) {
    params.push([readLabel(r, PARAMETER, seen), readValType(r, scope)]);
  }
  const at = r.pos;
  const tag = r.u8('a function result');
  let result: WValType | undefined;
  if (tag === 0) result = readValType(r, scope);
  else if (tag !== 1 || r.u8('a function result') !== 0) r.fail('invalid function result list', at);
  if (containsBorrow(result)) r.fail('function result cannot contain a `borrow` type', at);
  const func: WFunc = { k: 'func', async: isAsync, params, result, info: LEAF_INFO };
  noteFunc(r, func, at);
  return func;
}

/** wasmparser's shape rules for defined types (non-empty records, at most 32 flags, ...). */
function checkShape(r: Reader, type: WType, at: number): WType {
  let problem: string | undefined;
  if (type.k === 'record' && type.fields.length === 0)
    problem = 'record type must have at least one field';
  else if (type.k === 'variant' && type.cases.length === 0)
    problem = 'variant type must have at least one case';
  else if (type.k === 'tuple' && type.types.length === 0)
    problem = 'tuple type must have at least one type';
  else if (type.k === 'enum' && type.names.length === 0)
    problem = 'enum type must have at least one case';
  else if (type.k === 'flags' && type.names.length === 0)
    problem = 'flags must have at least one entry';
  else if (type.k === 'flags' && type.names.length > 32) problem = 'cannot have more than 32 flags';
  else if (type.k === 'stream' && isChar(type.type))
    problem =
      '`stream<char>` is not valid at this time, use `stream<u8>` with a defined by encoding instead for now';
  else if (type.k === 'fixed-list' && (type.length < 1 || type.length > 2 ** 30)) {
    problem = `fixed-length list of ${type.length} elements is out of bounds`;
  }
  return problem === undefined ? type : r.fail(problem, at);
}

/** `char`, written as such or as a type index that names a defined `char` (wasmparser peels it). */
function isChar(type: WValType | undefined): boolean {
  if (type === undefined || typeof type === 'string') return type === 'char';
  const base = peel(type);
  return base.k === 'prim' && base.type === 'char';
}

/** Reads one `deftype` whose opcode is the next byte. */
export function readDefType(r: Reader, scope: Scope): WType {
  const at = r.pos;
  const type = checkShape(r, readDefTypeInner(r, scope, at), at);
  if (isDefined(type) && noteDefined(r, type, at) > MAX_TYPE_DEPTH)
    r.fail('type nesting is too deep', at);
  return type;
}

function readDefTypeInner(r: Reader, scope: Scope, at: number): WType {
  const op = r.u8('a type definition');
  const prim = PRIMITIVES[op];
  if (prim !== undefined) return { k: 'prim', type: prim, info: LEAF_INFO };
  switch (op) {
    case 0x72:
      return { k: 'record', fields: readFields(r, scope), info: LEAF_INFO };
    case 0x71:
      return { k: 'variant', cases: readCases(r, scope), info: LEAF_INFO };
    case 0x70:
      return { k: 'list', type: readValType(r, scope), info: LEAF_INFO };
    case 0x67:
      return {
        k: 'fixed-list',
        type: readValType(r, scope),
        length: r.u32('a list length'),
        info: LEAF_INFO,
      };
    case 0x63:
      return {
        k: 'map',
        key: readValType(r, scope),
        value: readValType(r, scope),
        info: LEAF_INFO,
      };
    case 0x6f: {
      const n = r.count('tuple types');
      const types: WValType[] = [];
      for (let i = 0; i < n; i++) types.push(readValType(r, scope));
      return { k: 'tuple', types, info: LEAF_INFO };
    }
    case 0x6e:
      return { k: 'flags', names: readNames(r, FLAG), info: LEAF_INFO };
    case 0x6d:
      return { k: 'enum', names: readNames(r, ENUM_CASE), info: LEAF_INFO };
    case 0x6b:
      return { k: 'option', type: readValType(r, scope), info: LEAF_INFO };
    case 0x6a:
      return {
        k: 'result',
        ok: readOptValType(r, scope),
        err: readOptValType(r, scope),
        info: LEAF_INFO,
      };
    case 0x69:
      return { k: 'own', resource: readResourceRef(r, scope), info: LEAF_INFO };
    case 0x68:
      return { k: 'borrow', resource: readResourceRef(r, scope), info: LEAF_INFO };
    case 0x66:
      return { k: 'stream', type: readOptValType(r, scope), info: LEAF_INFO };
    case 0x65:
      return { k: 'future', type: readOptValType(r, scope), info: LEAF_INFO };
    case 0x40:
    case 0x43:
      return readFunc(r, scope, op === 0x43);
    case 0x41:
      return readDeclarations(r, newScope(scope, r), true);
    case 0x42:
      return readDeclarations(r, newScope(scope, r), false);
    default:
      return r.fail(`unsupported type definition opcode 0x${op.toString(16)}`, at);
  }
}

/** Reads an `externdesc` in `scope` and returns the entity it describes. */
export function readExternDesc(r: Reader, scope: Scope): WEntity {
  const at = r.pos;
  const sort = r.u8('an extern kind');
  const kindAt = r.pos;
  switch (sort) {
    case 0x01: {
      const type = typeAt(scope, r, r.u32('a function type index'), kindAt);
      if (type.k !== 'func') return r.fail('expected a function type', kindAt);
      return { k: 'func', type };
    }
    case 0x03: {
      const bound = r.u8('a type bound');
      if (bound === 1) {
        const resource: WType = { k: 'resource' };
        return { k: 'type', referenced: resource, created: resource };
      }
      if (bound !== 0) return r.fail(`invalid type bound 0x${bound.toString(16)}`, kindAt);
      const idxAt = r.pos;
      const referenced = typeAt(scope, r, r.u32('a type index'), idxAt);
      const base = peel(referenced);
      if (!isDefined(base) && base.k !== 'resource') {
        return r.fail('a type import or export must name a value or resource type', idxAt);
      }
      return { k: 'type', referenced, created: { k: 'alias', target: referenced, base } };
    }
    case 0x04: {
      const type = typeAt(scope, r, r.u32('a component type index'), kindAt);
      if (type.k !== 'component') return r.fail('expected a component type', kindAt);
      return { k: 'component', type };
    }
    case 0x05: {
      const type = typeAt(scope, r, r.u32('an instance type index'), kindAt);
      if (type.k !== 'instance') return r.fail('expected an instance type', kindAt);
      return { k: 'instance', type };
    }
    default:
      return r.fail(`unsupported extern kind 0x${sort.toString(16)}`, at);
  }
}

/**
 * The key under which wasmparser requires names to be unique (case-insensitively): `[method]r.f`
 * and `[static]r.f` are `r.f`; any other name is itself. (`[async]` forms are refused earlier,
 * when the name is read.)
 */
function uniquenessKey({ name, parsed }: WExternName): string {
  if (parsed.kind === 'method' || parsed.kind === 'static')
    return `${parsed.resource.toLowerCase()}.${parsed.name.toLowerCase()}`;
  return name.toLowerCase();
}

/** The second key of `[method]r.r` and `[static]r.r`: `r`, so it conflicts with the resource. */
function sameNameKey({ parsed }: WExternName): string | undefined {
  if (parsed.kind !== 'method' && parsed.kind !== 'static') return undefined;
  const resource = parsed.resource.toLowerCase();
  return resource === parsed.name.toLowerCase() ? resource : undefined;
}

/** The names of one kind (imports or exports) of a component or instance type. */
interface ExternList {
  list: WExtern[];
  /** By uniqueness key (see {@link uniquenessKey}). */
  names: Map<string, WExtern>;
  resources: ResourceNames;
}

function newExternList(): ExternList {
  return { list: [], names: new Map(), resources: newResourceNames() };
}

function addExtern(scope: Scope, r: Reader, to: ExternList, ext: WExtern): void {
  if (ext.entity.k === 'type') registerResourceName(to.resources, ext.name, ext.entity.created);
  if (ext.entity.k === 'func') checkFuncName(r, ext, ext.entity.type, ext.offset, to.resources);
  const key = uniquenessKey(ext);
  const second = sameNameKey(ext);
  const prev = to.names.get(key) ?? (second === undefined ? undefined : to.names.get(second));
  if (prev !== undefined)
    r.fail(`name \`${ext.name}\` conflicts with previous name \`${prev.name}\``, ext.offset);
  to.names.set(key, ext);
  if (second !== undefined) to.names.set(second, ext);
  to.list.push(ext);
  if (ext.entity.k === 'type') pushType(scope, r, ext.entity.created);
  else if (ext.entity.k === 'instance') scope.instances.push(ext.entity.type);
}

function readAlias(r: Reader, scope: Scope): void {
  const at = r.pos;
  const sort = r.u8('an alias sort');
  if (sort !== 0x03)
    r.fail(`unsupported alias sort 0x${sort.toString(16)}, expected a type alias`, at);
  const targetAt = r.pos;
  const target = r.u8('an alias target');
  if (target === 0x00) {
    const instIndex = r.u32('an instance index');
    const name = r.string('an export name');
    const inst = scope.instances[instIndex];
    if (inst === undefined) r.fail(`instance index ${instIndex} out of bounds`, targetAt);
    const ext = inst.byName.get(name.toLowerCase());
    if (ext?.entity.k !== 'type' || ext.name !== name)
      r.fail(`instance ${instIndex} has no type export \`${name}\``, targetAt);
    pushType(scope, r, ext.entity.created);
    return;
  }
  if (target !== 0x02) r.fail(`unsupported alias target 0x${target.toString(16)}`, targetAt);
  const count = r.u32('an outer alias count');
  const index = r.u32('an outer alias index');
  let outer: Scope | undefined = scope;
  for (let i = 0; i < count && outer !== undefined; i++) outer = outer.parent;
  if (outer === undefined) r.fail(`outer alias count ${count} is too large`, targetAt);
  pushType(scope, r, typeAt(outer, r, index, targetAt));
}

/** Reads the declarations of a component type (`isComponent`) or an instance type. */
function readDeclarations(r: Reader, scope: Scope, isComponent: boolean): WComponent | WInstance {
  const imports = newExternList();
  const exports = newExternList();
  const named = isComponent ? newNamedTypes(r.limits.maxDepth) : undefined;
  const size = new SizeSum(r);
  const n = r.count(isComponent ? 'component type declarations' : 'instance type declarations');
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const tag = r.u8('a declaration');
    if (tag === 0x01) pushType(scope, r, readDefType(r, scope));
    else if (tag === 0x02) readAlias(r, scope);
    else if (tag === 0x04 || (tag === 0x03 && isComponent)) {
      const name = readExternName(r, scope.names);
      const ext: WExtern = {
        name: name.name,
        parsed: name.parsed,
        implements: name.implements,
        versionSuffix: name.versionSuffix,
        externalId: name.externalId,
        entity: readExternDesc(r, scope),
        offset: at,
      };
      if (isComponent && ext.entity.k === 'instance')
        ext.entity.type = freshenInstance(ext.entity.type);
      checkExternOptions(r, ext);
      if (named !== undefined && !registerNamed(named, tag === 0x03, ext.entity, at)) {
        r.fail(`${ext.entity.k} not valid to be used as ${tag === 0x03 ? 'import' : 'export'}`, at);
      }
      addExtern(scope, r, tag === 0x03 ? imports : exports, ext);
      size.add(ext.entity, at);
    } else r.fail(`unsupported declaration 0x${tag.toString(16)}`, at);
  }
  return isComponent
    ? { k: 'component', imports: imports.list, exports: exports.list, info: size.info }
    : { k: 'instance', exports: exports.list, byName: exports.names, info: size.info };
}
