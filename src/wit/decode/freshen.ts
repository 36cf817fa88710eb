/**
 * wasmparser's `prepare_instance_import`/`prepare_instance_export`: when a component type imports
 * or exports an instance type that defines resources (`(export "r" (type (sub resource)))`), those
 * resources are replaced by fresh ones, and every type of the instance that reaches them is
 * substituted. So one instance type imported twice yields two distinct sets of resource-dependent
 * types, while the types that do not involve those resources keep their identity.
 */
import type { WDefined, WEntity, WExtern, WInstance, WType, WValType } from './wasm-types.js';
import { isDefined, LEAF_INFO, peel } from './wasm-types.js';

class Substitution {
  private readonly memo = new Map<WType, WType>();

  constructor(defined: WType[]) {
    for (const resource of defined) this.memo.set(resource, { k: 'resource' });
  }

  type(t: WType): WType {
    const known = this.memo.get(t);
    if (known !== undefined) return known;
    let out = t;
    if (t.k === 'alias') {
      // An alias chain can be long; it only changes when its base does, and then it lies inside
      // this instance, whose earlier exports are already substituted.
      if (this.type(t.base) !== t.base) {
        const target = this.type(t.target);
        out = { k: 'alias', target, base: peel(target) };
      }
    } else if (t.k === 'func') {
      const params = this.pairs(t.params);
      const result = t.result === undefined ? undefined : this.val(t.result);
      if (params !== t.params || result !== t.result) {
        out = { k: 'func', async: t.async, params, result, info: t.info };
      }
    } else if (isDefined(t)) out = this.defined(t);
    this.memo.set(t, out);
    return out;
  }

  private val(t: WValType): WValType {
    return typeof t === 'string' ? t : this.type(t);
  }

  private opt(t: WValType | undefined): WValType | undefined {
    return t === undefined ? undefined : this.val(t);
  }

  /** `list` with its types substituted, or `list` itself when none changes. */
  private pairs<T extends WValType | undefined>(list: [string, T][]): [string, T][] {
    let out: [string, T][] | undefined;
    for (let i = 0; i < list.length; i++) {
      const [name, t] = list[i] as [string, T];
      const u = this.opt(t) as T;
      if (u !== t && out === undefined) out = list.slice(0, i);
      if (out !== undefined) out.push([name, u]);
    }
    return out ?? list;
  }

  private defined(t: WDefined): WDefined {
    switch (t.k) {
      case 'record': {
        const fields = this.pairs(t.fields);
        return fields === t.fields ? t : { k: 'record', fields, info: t.info };
      }
      case 'variant': {
        const cases = this.pairs(t.cases);
        return cases === t.cases ? t : { k: 'variant', cases, info: t.info };
      }
      case 'tuple': {
        const types = t.types.map((x) => this.val(x));
        return types.every((x, i) => x === t.types[i]) ? t : { k: 'tuple', types, info: t.info };
      }
      case 'result': {
        const ok = this.opt(t.ok);
        const err = this.opt(t.err);
        return ok === t.ok && err === t.err ? t : { k: 'result', ok, err, info: t.info };
      }
      case 'map': {
        const key = this.val(t.key);
        const value = this.val(t.value);
        return key === t.key && value === t.value ? t : { k: 'map', key, value, info: t.info };
      }
      case 'own':
      case 'borrow': {
        const resource = this.type(t.resource);
        return resource === t.resource ? t : { k: t.k, resource, info: t.info };
      }
      case 'fixed-list': {
        const type = this.val(t.type);
        return type === t.type ? t : { k: 'fixed-list', type, length: t.length, info: t.info };
      }
      case 'list': {
        const type = this.val(t.type);
        return type === t.type ? t : { k: 'list', type, info: t.info };
      }
      case 'option': {
        const type = this.val(t.type);
        return type === t.type ? t : { k: 'option', type, info: t.info };
      }
      case 'future': {
        const type = this.opt(t.type);
        return type === t.type ? t : { k: 'future', type, info: t.info };
      }
      case 'stream': {
        const type = this.opt(t.type);
        return type === t.type ? t : { k: 'stream', type, info: t.info };
      }
      case 'prim':
      case 'enum':
      case 'flags':
        return t;
    }
  }

  entity(e: WEntity): WEntity {
    if (e.k === 'type')
      return { k: 'type', referenced: this.type(e.referenced), created: this.type(e.created) };
    if (e.k === 'func') {
      const type = this.type(e.type);
      return type === e.type || type.k !== 'func' ? e : { k: 'func', type };
    }
    return e;
  }
}

/** Whether an export of `instance` defines a resource (`(export "r" (type (sub resource)))`). */
function definesResource(instance: WInstance): boolean {
  for (const { entity } of instance.exports) {
    if (
      entity.k === 'type' &&
      entity.created === entity.referenced &&
      entity.created.k === 'resource'
    )
      return true;
  }
  return false;
}

/**
 * Instance types whose own types have been handed out once. The first import or export of an
 * instance type may keep its types: they were created inside the instance type's own scope, so
 * nothing else has been given them yet and the ones handed out are still distinct from any later
 * substitution. Only later uses are substituted (most instance types are used once).
 */
const handedOut = new WeakSet<WInstance>();

/** The instance type as a component type imports or exports it: with fresh resources. */
export function freshenInstance(instance: WInstance): WInstance {
  if (!definesResource(instance)) return instance;
  // A new object either way: a freshened instance does not carry the type-info of its type.
  if (!handedOut.has(instance)) {
    handedOut.add(instance);
    return { k: 'instance', exports: instance.exports, byName: instance.byName, info: LEAF_INFO };
  }
  const defined: WType[] = [];
  for (const { entity } of instance.exports) {
    if (
      entity.k === 'type' &&
      entity.created === entity.referenced &&
      entity.created.k === 'resource'
    )
      defined.push(entity.created);
  }
  const subst = new Substitution(defined);
  const renamed = new Map<WExtern, WExtern>();
  const exports = instance.exports.map((ext) => {
    const out: WExtern = {
      name: ext.name,
      parsed: ext.parsed,
      implements: ext.implements,
      versionSuffix: ext.versionSuffix,
      externalId: ext.externalId,
      entity: subst.entity(ext.entity),
      offset: ext.offset,
    };
    renamed.set(ext, out);
    return out;
  });
  const byName = new Map([...instance.byName].map(([k, ext]) => [k, renamed.get(ext) ?? ext]));
  return { k: 'instance', exports, byName, info: LEAF_INFO };
}
