/**
 * wasmparser's `prepare_instance_import`/`prepare_instance_export`: when a component type imports
 * or exports an instance type that defines resources (`(export "r" (type (sub resource)))`), those
 * resources are replaced by fresh ones, and every type of the instance that reaches them is
 * substituted. So one instance type imported twice yields two distinct sets of resource-dependent
 * types, while the types that do not involve those resources keep their identity.
 */
import { copyInfo } from './type-info.js';
import type { WDefined, WEntity, WExtern, WInstance, WType, WValType } from './wasm-types.js';
import { isDefined, peel } from './wasm-types.js';

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
      const params = t.params.map(([n, p]): [string, WValType] => [n, this.val(p)]);
      const result = t.result === undefined ? undefined : this.val(t.result);
      if (params.some(([, p], i) => p !== t.params[i]?.[1]) || result !== t.result) {
        out = { ...t, params, result };
      }
    } else if (isDefined(t)) out = this.defined(t);
    if (out !== t) copyInfo(t, out);
    this.memo.set(t, out);
    return out;
  }

  private val(t: WValType): WValType {
    return typeof t === 'string' ? t : this.type(t);
  }

  private opt(t: WValType | undefined): WValType | undefined {
    return t === undefined ? undefined : this.val(t);
  }

  private defined(t: WDefined): WDefined {
    const same = (a: unknown[], b: unknown[]): boolean => a.every((x, i) => x === b[i]);
    switch (t.k) {
      case 'record': {
        const fields = t.fields.map(([n, f]): [string, WValType] => [n, this.val(f)]);
        return same(
          fields.map((f) => f[1]),
          t.fields.map((f) => f[1]),
        )
          ? t
          : { ...t, fields };
      }
      case 'variant': {
        const cases = t.cases.map(([n, c]): [string, WValType | undefined] => [n, this.opt(c)]);
        return same(
          cases.map((c) => c[1]),
          t.cases.map((c) => c[1]),
        )
          ? t
          : { ...t, cases };
      }
      case 'tuple': {
        const types = t.types.map((x) => this.val(x));
        return same(types, t.types) ? t : { ...t, types };
      }
      case 'result': {
        const ok = this.opt(t.ok);
        const err = this.opt(t.err);
        return ok === t.ok && err === t.err ? t : { ...t, ok, err };
      }
      case 'map': {
        const key = this.val(t.key);
        const value = this.val(t.value);
        return key === t.key && value === t.value ? t : { ...t, key, value };
      }
      case 'own':
      case 'borrow': {
        const resource = this.type(t.resource);
        return resource === t.resource ? t : { ...t, resource };
      }
      case 'list':
      case 'fixed-list':
      case 'option': {
        const type = this.val(t.type);
        return type === t.type ? t : { ...t, type };
      }
      case 'future':
      case 'stream': {
        const type = this.opt(t.type);
        return type === t.type ? t : { ...t, type };
      }
      case 'prim':
      case 'enum':
      case 'flags':
        return t;
    }
  }

  entity(e: WEntity): WEntity {
    if (e.k === 'type')
      return { ...e, referenced: this.type(e.referenced), created: this.type(e.created) };
    if (e.k === 'func') {
      const type = this.type(e.type);
      return type.k === 'func' ? { ...e, type } : e;
    }
    return e;
  }
}

/** The instance type as a component type imports or exports it: with fresh resources. */
export function freshenInstance(instance: WInstance): WInstance {
  const defined = instance.exports.flatMap(({ entity }) =>
    entity.k === 'type' && entity.created === entity.referenced && entity.created.k === 'resource'
      ? [entity.created]
      : [],
  );
  if (defined.length === 0) return instance;
  const subst = new Substitution(defined);
  const renamed = new Map<WExtern, WExtern>();
  const exports = instance.exports.map((ext) => {
    const out = { ...ext, entity: subst.entity(ext.entity) };
    renamed.set(ext, out);
    return out;
  });
  const byName = new Map([...instance.byName].map(([k, ext]) => [k, renamed.get(ext) ?? ext]));
  return { k: 'instance', exports, byName };
}
