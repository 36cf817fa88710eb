// The reference implementation for differential checks: wasm-tools built to Wasm, as shipped in
// `@bytecodealliance/jco-transpile` (installed OUTSIDE the project: JCO_DIR, default /tmp/jco).
//   * `unpackWit(bytes)` (js-component-bindgen-component) decodes a binary WIT package and prints it;
//   * `tools.componentEmbed({ witSource | witPath, dummy: true, world })` (wasm-tools) parses and
//     resolves WIT text, then encodes the chosen world into a `component-type` custom section.
// Its errors carry the message only (Display of the error), not the `--> file:line:col` snippet.
// Where it is: `--jco=DIR` on the command line, else `$JCO_DIR`, else /tmp/jco.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The folder jco-transpile is installed in (`npm i --prefix DIR`). */
export function jcoDir() {
  const arg = process.argv.find((a) => a.startsWith('--jco='));
  return arg?.slice('--jco='.length) ?? process.env.JCO_DIR ?? '/tmp/jco';
}

/** How to install the reference, for the message printed when it is absent. */
export const REFERENCE_INSTALL =
  '`npm i --prefix /tmp/jco @bytecodealliance/jco-transpile` (outside the project; ' +
  'another folder: --jco=DIR or JCO_DIR=DIR)';

const bindgenPath = (dir) =>
  join(
    dir,
    'node_modules/@bytecodealliance/jco-transpile/vendor/js-component-bindgen-component.js',
  );

/**
 * `unpackWit` alone (no wasm-tools instance): bytes → Map of path (`package.wit`,
 * `deps/<dir>/package.wit`) to text; undefined when jco-transpile is not installed in `dir`.
 */
export async function loadUnpack(dir) {
  if (!existsSync(bindgenPath(dir))) return undefined;
  const bindgen = await import(pathToFileURL(bindgenPath(dir)).href);
  await bindgen.$init;
  const text = (t) => (typeof t === 'string' ? t : new TextDecoder().decode(t));
  return (bytes) => {
    const files = bindgen.unpackWit(undefined, bytes);
    return new Map([...(files instanceof Map ? files : files)].map(([p, t]) => [p, text(t)]));
  };
}

/** A script `node <script> <file.wasm>` that prints the main package with `unpackWit`. */
export function unpackScript(dir) {
  if (!existsSync(bindgenPath(dir))) return undefined;
  const script = join(mkdtempSync(join(tmpdir(), 'wit-bench-')), 'jco-unpack.mjs');
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
import * as m from ${JSON.stringify(bindgenPath(dir))};
if (m.$init) await m.$init;
const files = new Map(m.unpackWit(undefined, readFileSync(process.argv[2])));
const text = files.get('package.wit');
process.stdout.write(typeof text === 'string' ? text : new TextDecoder().decode(text));
`,
  );
  return script;
}

const JCO = join(jcoDir(), 'node_modules/@bytecodealliance');
const VENDOR = join(JCO, 'jco-transpile/vendor');
const BINDGEN = join(VENDOR, 'js-component-bindgen-component.js');
const TOOLS = join(VENDOR, 'wasm-tools.js');
const SHIM_FS = join(JCO, 'preview2-shim/dist/nodejs/filesystem.js');

/** Loads the reference, or returns undefined (with the reason printed) when it is not installed. */
export async function loadReference() {
  if (!existsSync(BINDGEN) || !existsSync(TOOLS)) {
    console.log(`jco-transpile not found under ${VENDOR}; install it outside the project first:`);
    console.log('  mkdir -p /tmp/jco && cd /tmp/jco && npm i @bytecodealliance/jco-transpile');
    return undefined;
  }
  if (existsSync(SHIM_FS)) (await import(pathToFileURL(SHIM_FS).href))._setPreopens({ '/': '/' });
  const ref = { generation: 0, version: await jcoVersion() };
  await reload(ref);
  return ref;
}

async function jcoVersion() {
  const pkg = await import(pathToFileURL(join(VENDOR, '../package.json')).href, {
    with: { type: 'json' },
  });
  return pkg.default.version;
}

// A Rust panic poisons a Wasm instance: a fresh module instance is loaded after each trap.
async function reload(ref) {
  const g = ref.generation++;
  ref.bindgen = await import(`${pathToFileURL(BINDGEN).href}?g=${g}`);
  ref.tools = (await import(`${pathToFileURL(TOOLS).href}?g=${g}`)).tools;
  await ref.bindgen.$init;
  await (
    await import(`${pathToFileURL(TOOLS).href}?g=${g}`)
  ).$init;
}

async function call(ref, fn) {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError || String(error).includes('RuntimeError')) {
      await reload(ref);
      return { ok: false, error: `panic: ${String(error)}`, panic: true };
    }
    const payload = error?.payload;
    if (typeof payload === 'string') return { ok: false, error: payload };
    if (payload?.tag !== undefined) return { ok: false, error: `${payload.tag}: ${payload.val}` };
    return { ok: false, error: String(error) };
  }
}

/** The main package of a binary WIT package as `wasm-tools component wit` prints it. */
export async function referenceUnpack(ref, bytes) {
  const r = await call(ref, () => ref.bindgen.unpackWit(undefined, bytes));
  if (!r.ok) return r;
  const map = r.value instanceof Map ? r.value : new Map(r.value);
  const text = map.get('package.wit');
  return { ok: true, text: typeof text === 'string' ? text : new TextDecoder().decode(text) };
}

/**
 * Parses and resolves WIT (`{ source }` text or `{ path }` folder) and encodes `world`. Returns
 * `{ ok, worldType }` (the world's component type bytes) or `{ ok: false, error }`. A package
 * with no world (or several, none chosen) counts as accepted, with no world type.
 */
export async function referenceParse(ref, input, world, features) {
  const opts = { dummy: true, features: { tag: 'list', val: features } };
  if (input.source !== undefined) opts.witSource = input.source;
  else opts.witPath = input.path;
  // `%` lets a world named like a keyword (`%future`) through the world specifier parser
  if (world !== undefined) opts.world = `%${world}`;
  const r = await call(ref, () => ref.tools.componentEmbed(opts));
  if (!r.ok) {
    if (/contains no worlds|multiple worlds in/.test(r.error)) return { ok: true };
    return r;
  }
  return { ok: true, worldType: worldTypeOf(r.value) };
}

// ---- locating the world type inside the embedded `component-type` custom section ----

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, at];
  }
}

function sections(bytes, from, to) {
  const out = [];
  for (let at = from; at < to;) {
    const id = bytes[at];
    const [size, body] = leb(bytes, at + 1);
    out.push({ id, start: body, end: body + size });
    at = body + size;
  }
  return out;
}

/**
 * The payload of the `component-type*` section is a component whose type section holds one
 * component type: `(type (component (type <world>) (export "ns:pkg/w" (component 0))))`. The
 * bytes of `<world>` are exactly what wit-component's `encode_world` writes, which is also how
 * the world appears in a binary WIT package.
 */
function worldTypeOf(module) {
  for (const s of sections(module, 8, module.length)) {
    if (s.id !== 0) continue;
    const [len, nameAt] = leb(module, s.start);
    const name = new TextDecoder().decode(module.subarray(nameAt, nameAt + len));
    if (!name.startsWith('component-type')) continue;
    const comp = module.subarray(nameAt + len, s.end);
    const types = sections(comp, 8, comp.length).find((t) => t.id === 7);
    // count=1, 0x41 component, 2 declarations, 0x01 type declaration: then the world type
    const start = types.start + 4;
    let end = types.end - 2; // `04 00`: (component 0)
    while (comp[end - 1] !== 0x00 || comp[end - 2] !== 0x04) end--; // back over the name
    return comp.slice(start, end - 2);
  }
  return undefined;
}
