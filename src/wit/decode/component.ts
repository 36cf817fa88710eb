/**
 * Reads the top level of a component binary: the preamble, then its sections.
 *
 * A binary WIT package is a component holding only type sections (id 7), export sections (id 11)
 * and custom sections (id 0: `package-docs`, `producers`, ...). Any other section, an export of
 * something other than a component type, or no export at all means the input is a real component
 * (or a core module), which is refused with `ERR_WIT_NOT_A_PACKAGE`.
 */
import type { WitDepsError } from '../../errors.js';
import { witError } from '../error-text.js';
import { limitError, Reader, type DecodeLimits } from '../binary/reader.js';
import { newScope, pushType, readDefType, typeAt, type Scope } from './parse-types.js';
import { readExternName } from './parse-names.js';
import { SizeSum } from './type-info.js';
import type { WComponent } from './wasm-types.js';

/** One top-level export of a component type. */
export interface TopExport {
  name: string;
  versionSuffix?: string;
  type: WComponent;
  offset: number;
}

export interface ComponentInfo {
  exports: TopExport[];
  /** The payload of the `package-docs` custom section, if present. */
  packageDocs?: { bytes: Uint8Array; offset: number };
}

const COMPONENT_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const MODULE_PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function notAPackage(what: string): WitDepsError {
  return witError('binary-not-component', { what });
}

function checkPreamble(r: Reader): void {
  if (r.end - r.pos >= 8 && MODULE_PREAMBLE.every((b, i) => r.bytes[r.pos + i] === b)) {
    throw notAPackage('a core WebAssembly module');
  }
  for (const [i, expected] of COMPONENT_PREAMBLE.entries()) {
    const at = r.pos;
    const byte = r.u8('the component preamble `\\0asm` 0d 00 01 00');
    if (byte !== expected) {
      r.fail(
        i < 4
          ? 'bad magic number, expected `\\0asm`'
          : 'unsupported component version, expected 0d 00 01 00',
        at,
      );
    }
  }
}

function readTypeSection(r: Reader, scope: Scope): void {
  const n = r.count('types');
  for (let i = 0; i < n; i++) pushType(scope, r, readDefType(r, scope));
}

function readExportSection(
  r: Reader,
  scope: Scope,
  info: ComponentInfo,
  size: SizeSum,
  seen: Set<string>,
): void {
  const n = r.count('exports');
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const name = readExternName(r, scope.names);
    const sortAt = r.pos;
    const sort = r.u8('an export kind');
    if (sort !== 0x03) {
      if (sort <= 0x05) throw notAPackage('a component exporting something other than a type');
      r.fail(`invalid export kind 0x${sort.toString(16)}`, sortAt);
    }
    const idxAt = r.pos;
    const type = typeAt(scope, r, r.u32('a type index'), idxAt);
    const ascribed = r.u8('an export type ascription flag');
    if (ascribed !== 0) r.fail('type ascriptions on top-level exports are not supported', idxAt);
    if (type.k !== 'component')
      throw notAPackage('a component exporting a type that is not a component type');
    // A set, not a scan of `info.exports`: 40,000 exports must not cost 40,000² comparisons.
    if (seen.has(name.name)) r.fail(`duplicate export name \`${name.name}\``, at);
    seen.add(name.name);
    const top: TopExport = { name: name.name, type, offset: at };
    if (name.versionSuffix !== undefined) top.versionSuffix = name.versionSuffix;
    info.exports.push(top);
    size.add({ k: 'component', type }, at);
    pushType(scope, r, type);
  }
}

function readCustomSection(r: Reader, info: ComponentInfo, at: number): void {
  const name = r.string('a custom section name');
  if (name !== 'package-docs') return;
  if (info.packageDocs !== undefined) r.fail('multiple `package-docs` sections', at);
  info.packageDocs = { bytes: r.bytes.subarray(r.pos, r.end), offset: r.pos };
  r.pos = r.end;
}

/** Parses the top level of `bytes` into the exported component types and the package docs. */
export function readComponent(bytes: Uint8Array, limits: DecodeLimits): ComponentInfo {
  if (bytes.length > limits.maxBytes) {
    throw limitError(
      0,
      `input of ${bytes.length} bytes is larger than the limit of ${limits.maxBytes}`,
    );
  }
  const r = new Reader(bytes, limits);
  checkPreamble(r);
  const scope = newScope(undefined, r);
  const info: ComponentInfo = { exports: [] };
  const sizes = new SizeSum(r);
  const seen = new Set<string>();
  while (!r.done) {
    const at = r.pos;
    const id = r.u8('a section id');
    const size = r.u32('a section size');
    const body = r.sub(size, `section ${id}`);
    if (id === 0) readCustomSection(body, info, at);
    else if (id === 7) readTypeSection(body, scope);
    else if (id === 11) readExportSection(body, scope, info, sizes, seen);
    else if (id <= 13) throw notAPackage(`a component with section ${id}`);
    else r.fail(`unknown section id ${id}`, at);
    if (id !== 0) body.expectEnd(`section ${id}`);
  }
  if (info.exports.length === 0) throw notAPackage('a component without exported types');
  return info;
}
