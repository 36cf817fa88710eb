/**
 * Names inside component types, checked the way wasmparser checks them: kebab-case labels that
 * must not collide (ignoring ASCII case) within one record, variant, flags, enum or parameter
 * list; extern names with their `0x02` options (`implements`, `versionsuffix`, `external-id`);
 * and the function type a `[constructor]` or `[method]` name requires.
 */
import type { Reader } from '../binary/reader.js';
import { isLabel, parseComponentName } from './names.js';
import type { WExtern, WFunc, WValType } from './wasm-types.js';
import { peel } from './wasm-types.js';

/**
 * Reads a kebab-case label, rejecting one that equals (ignoring ASCII case, as wasmparser compares
 * names) a label already in `seen`.
 */
export function readLabel(r: Reader, what: string, seen: Set<string>): string {
  const at = r.pos;
  const label = r.string(`a ${what} name`);
  if (!isLabel(label)) r.fail(`${what} name \`${label}\` is not in kebab case`, at);
  const key = label.toLowerCase();
  if (seen.has(key)) r.fail(`${what} name \`${label}\` conflicts with a previous name`, at);
  seen.add(key);
  return label;
}

/** Reads an extern name: `0x00 name`, legacy `0x01 name`, or `0x02 name vec(option)`. */
export function readExternName(r: Reader): Omit<WExtern, 'entity' | 'offset'> {
  const at = r.pos;
  const form = r.u8('an extern name');
  if (form > 2) r.fail(`invalid extern name form 0x${form.toString(16)}`, at);
  const nameAt = r.pos;
  const out: Omit<WExtern, 'entity' | 'offset'> = { name: r.string('an extern name') };
  if (parseComponentName(out.name) === undefined) {
    r.fail(`\`${out.name}\` is not a valid extern name`, nameAt);
  }
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

/** wasmparser's shape checks of `[constructor]` and `[method]` function types. */
export function checkFuncName(r: Reader, name: string, func: WFunc, at: number): void {
  const kind = parseComponentName(name)?.kind;
  const isHandle = (t: WValType | undefined, k: 'own' | 'borrow'): boolean =>
    t !== undefined && typeof t !== 'string' && peel(t).k === k;
  if (kind === 'constructor') {
    if (func.async) r.fail('constructor function cannot be async', at);
    const result =
      func.result === undefined || typeof func.result === 'string' ? undefined : peel(func.result);
    const ok = result?.k === 'own' || (result?.k === 'result' && isHandle(result.ok, 'own'));
    if (!ok) r.fail(`\`${name}\` should return \`(own $T)\` or \`(result (own $T))\``, at);
  } else if (kind === 'method') {
    const [first] = func.params;
    if (first?.[0] !== 'self')
      r.fail(`\`${name}\` should have a first argument called \`self\``, at);
    if (!isHandle(first[1], 'borrow'))
      r.fail(`\`${name}\` should take a first argument of \`(borrow $T)\``, at);
  }
}
