/**
 * The top-level import and export names of a Wasm component, for the `component` field of a
 * Wasm OCI artifact config (`imports: ["wasi:io/streams@0.2.3", …]`, `exports:
 * ["wasi:http/incoming-handler@0.2.3"]`), the names oci-wasm lists from a component's world.
 *
 * Only the component's own import (id 10) and export (id 11) sections are read; every other
 * section (core modules, types, canonical functions, nested components) is skipped by its size,
 * so a component whose types this toolchain cannot decode still gets its names. Names are kept in
 * section order, each once.
 */
import { DEFAULT_DECODE_LIMITS, Reader } from '../binary/reader.js';

/** What a Wasm binary is, for its artifact config. */
export type WasmKind =
  | { kind: 'component'; imports: string[]; exports: string[] }
  | { kind: 'module' }
  | { kind: 'other' };

const MAGIC = [0x00, 0x61, 0x73, 0x6d];
const COMPONENT_VERSION = [0x0d, 0x00, 0x01, 0x00];
const MODULE_VERSION = [0x01, 0x00, 0x00, 0x00];

const SECTION_IMPORT = 10;
const SECTION_EXPORT = 11;

function startsWith(bytes: Uint8Array, at: number, expected: readonly number[]): boolean {
  return expected.every((b, i) => bytes[at + i] === b);
}

/** `importname'` / `exportname'`: a 0x00 or 0x01 tag, then the name. */
function externName(r: Reader): string {
  const at = r.pos;
  const tag = r.u8('an extern name tag');
  if (tag !== 0x00 && tag !== 0x01) r.fail(`unknown extern name tag 0x${tag.toString(16)}`, at);
  return r.string('an extern name');
}

/** `sort`: one byte, or 0x00 and a core sort byte. */
function sort(r: Reader): number {
  const s = r.u8('a sort');
  if (s === 0x00) r.u8('a core sort');
  return s;
}

/** `externdesc`: skipped, but read exactly so the next entry starts in the right place. */
function externDesc(r: Reader): void {
  const at = r.pos;
  const kind = sort(r);
  if (kind === 0x02) {
    // valuebound: 0x00 valueidx | 0x01 valtype (an s33: a primitive or a type index)
    const bound = r.u8('a value bound');
    if (bound === 0x00) r.u32('a value index');
    else r.s33('a value type');
  } else if (kind === 0x03) {
    // typebound: 0x00 eq typeidx | 0x01 sub resource
    if (r.u8('a type bound') === 0x00) r.u32('a type index');
  } else if (kind <= 0x05) {
    r.u32('a type index');
  } else {
    r.fail(`unknown extern kind 0x${kind.toString(16)}`, at);
  }
}

function readImports(r: Reader, out: Set<string>): void {
  const n = r.count('imports');
  for (let i = 0; i < n; i++) {
    out.add(externName(r));
    externDesc(r);
  }
}

function readExports(r: Reader, out: Set<string>): void {
  const n = r.count('exports');
  for (let i = 0; i < n; i++) {
    out.add(externName(r));
    sort(r);
    r.u32('an export index');
    if (r.u8('an optional type ascription') === 0x01) externDesc(r);
  }
}

/** What the first 8 bytes say: a component, a core module, or neither. */
export function wasmKindOf(preamble: Uint8Array): WasmKind['kind'] {
  if (preamble.length < 8 || !startsWith(preamble, 0, MAGIC)) return 'other';
  if (startsWith(preamble, 4, MODULE_VERSION)) return 'module';
  return startsWith(preamble, 4, COMPONENT_VERSION) ? 'component' : 'other';
}

/**
 * Adds the names of one top-level section body to `imports`/`exports` when it is an import
 * (10) or export (11) section; others are ignored. `offset` is where the body starts in the file.
 */
export function addSectionNames(
  id: number,
  body: Uint8Array,
  offset: number,
  out: { imports: Set<string>; exports: Set<string> },
): void {
  if (id !== SECTION_IMPORT && id !== SECTION_EXPORT) return;
  const r = new Reader(body, { ...DEFAULT_DECODE_LIMITS, maxBytes: body.length });
  try {
    if (id === SECTION_IMPORT) readImports(r, out.imports);
    else readExports(r, out.exports);
    r.expectEnd(`section ${id}`);
  } catch (error) {
    // offsets of the body are relative: name the section's place in the file
    if (error instanceof Error) error.message += ` (in the section at byte ${offset})`;
    throw error;
  }
}

/** The import/export section ids, for readers that walk sections themselves. */
export const NAME_SECTIONS: ReadonlySet<number> = new Set([SECTION_IMPORT, SECTION_EXPORT]);

/**
 * Reads what `bytes` is: a component with its top-level import and export names, a core
 * module, or neither.
 *
 * @throws WitDepsError `ERR_WIT_DECODE` (with the byte offset) when a component's import or export
 *   section is malformed or a section runs past the end.
 */
export function componentNames(bytes: Uint8Array): WasmKind {
  const kind = wasmKindOf(bytes);
  if (kind !== 'component') return { kind };
  // only sections are skipped and names read: no allocation grows with the input
  const r = new Reader(bytes, { ...DEFAULT_DECODE_LIMITS, maxBytes: bytes.length }, 8);
  const imports = new Set<string>();
  const exports = new Set<string>();
  while (!r.done) {
    const id = r.u8('a section id');
    const size = r.u32('a section size');
    const body = r.sub(size, `section ${id}`);
    if (id === SECTION_IMPORT) readImports(body, imports);
    else if (id === SECTION_EXPORT) readExports(body, exports);
    else continue;
    body.expectEnd(`section ${id}`);
  }
  return { kind: 'component', imports: [...imports], exports: [...exports] };
}
