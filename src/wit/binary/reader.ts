/**
 * A bounded reader over the bytes of a WebAssembly component binary.
 *
 * Reads the primitive encodings of the component model binary format
 * (https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md): unsigned LEB128
 * `u32`/`u64`, the signed `s33` used for value-type indices, length-prefixed UTF-8 strings and
 * vectors. Every read checks the end of its bounds first, so malformed input fails with a
 * {@link WitDepsError} `ERR_WIT_DECODE` that names the byte offset and what was expected, never with a
 * `RangeError`. Vector counts and nesting depth are checked against {@link DecodeLimits}
 * (`ERR_LIMIT_EXCEEDED`), so a lying length prefix never allocates beyond the input.
 */
import type { WitDepsError } from '../../errors.js';
import { witError } from '../error-text.js';

/** Limits applied while decoding untrusted binaries. */
export interface DecodeLimits {
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** Largest element count of any one vector (fields, cases, declarations, ...). */
  maxVecLength: number;
  /** Deepest nesting of component/instance types, and of type references while converting. */
  maxDepth: number;
  /** Most type definitions (wasm-level and resolved) one input may create. */
  maxTypes: number;
}

export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxVecLength: 100_000,
  maxDepth: 100,
  maxTypes: 1_000_000,
});

/** A decode failure at `offset`: "<what> at byte <offset>". */
export function decodeError(offset: number, message: string): WitDepsError {
  return witError('binary-malformed', { offset, problem: message });
}

/** A limit failure at `offset`. */
export function limitError(offset: number, message: string): WitDepsError {
  return witError('binary-too-large', { offset, problem: message });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Slots of the table of recently read short names (a power of two). */
const NAME_SLOTS = 1024;
/** Names up to this many bytes go through the table. */
const SHORT_NAME = 64;

/** Reads a window `[pos, end)` of `bytes`; offsets reported are absolute in the file. */
export class Reader {
  pos: number;
  readonly end: number;
  /**
   * The short ASCII names read so far, by a hash of their bytes, shared by the sub-readers of one
   * input: a WIT package repeats the same names many times (every world re-declares the
   * interfaces it imports), and handing back the same string object also spares the maps that
   * key on it from hashing it again.
   */
  private readonly names: (string | undefined)[];

  constructor(
    readonly bytes: Uint8Array,
    readonly limits: DecodeLimits,
    start = 0,
    end = bytes.length,
    names?: (string | undefined)[],
  ) {
    this.pos = start;
    this.end = end;
    this.names = names ?? new Array<string | undefined>(NAME_SLOTS).fill(undefined);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, offset = this.pos): never {
    throw decodeError(offset, message);
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) this.fail(`unexpected end of input, expected ${what}`);
  }

  u8(what = 'a byte'): number {
    this.need(1, what);
    return this.bytes[this.pos++] as number;
  }

  peek(what = 'a byte'): number {
    this.need(1, what);
    return this.bytes[this.pos] as number;
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32. */
  u32(what = 'a u32'): number {
    const pos = this.pos;
    if (pos < this.end) {
      const byte = this.bytes[pos] as number;
      if (byte < 0x80) {
        this.pos = pos + 1;
        return byte;
      }
    }
    return this.u32Long(what);
  }

  private u32Long(what: string): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8(what);
      if (i === 4 && byte > 0x0f)
        this.fail(`expected ${what}, found an integer that is too large`, start);
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
    return this.fail(`expected ${what}, found an integer representation that is too long`, start);
  }

  /** Signed LEB128 of at most 33 bits (5 bytes), as used for value-type indices. */
  s33(what = 'an s33'): number {
    const pos = this.pos;
    if (pos < this.end) {
      const byte = this.bytes[pos] as number;
      if (byte < 0x80) {
        this.pos = pos + 1;
        return (byte & 0x40) === 0 ? byte : byte - 0x80;
      }
    }
    return this.s33Long(what);
  }

  private s33Long(what: string): number {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++) {
      const byte = this.u8(what);
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) {
        if (i === 4) {
          const high = byte & 0x70;
          if (high !== 0 && high !== 0x70)
            this.fail(`expected ${what}, found an integer that is too large`, start);
        }
        if ((byte & 0x40) !== 0) result -= scale;
        return result;
      }
    }
    return this.fail(`expected ${what}, found an integer representation that is too long`, start);
  }

  /** A vector length, checked against the limit and against the bytes left (each element ≥ 1 byte). */
  count(what: string): number {
    const at = this.pos;
    const n = this.u32('a vector length');
    if (n > this.limits.maxVecLength) {
      throw limitError(
        at,
        `${what} has ${n} elements, more than the limit of ${this.limits.maxVecLength}`,
      );
    }
    if (n > this.end - this.pos)
      this.fail(`${what} has ${n} elements but only ${this.end - this.pos} bytes remain`, at);
    return n;
  }

  /** A length-prefixed UTF-8 string. */
  string(what = 'a string'): string {
    const at = this.pos;
    const len = this.u32('a string length');
    if (len > this.end - this.pos)
      this.fail(`unexpected end of input, expected ${what} of ${len} bytes`, at);
    const start = this.pos;
    this.pos += len;
    if (len <= SHORT_NAME) return this.shortName(start, len, what, at);
    return this.decodeUtf8(start, len, what, at);
  }

  /** A short name: from the table when the same bytes were read before, else decoded. */
  private shortName(start: number, len: number, what: string, at: number): string {
    const bytes = this.bytes;
    let hash = len;
    for (let i = start; i < start + len; i++)
      hash = (Math.imul(hash, 31) + (bytes[i] as number)) | 0;
    const slot = hash & (NAME_SLOTS - 1);
    const known = this.names[slot];
    if (known !== undefined && known.length === len) {
      let i = 0;
      while (i < len && known.charCodeAt(i) === bytes[start + i]) i++;
      if (i === len) return known;
    }
    let text = '';
    for (let i = start; i < start + len; i++) {
      const byte = bytes[i] as number;
      if (byte >= 0x80) return this.decodeUtf8(start, len, what, at);
      text += String.fromCharCode(byte);
    }
    this.names[slot] = text;
    return text;
  }

  private decodeUtf8(start: number, len: number, what: string, at: number): string {
    try {
      return utf8.decode(this.bytes.subarray(start, start + len));
    } catch {
      return this.fail(`invalid UTF-8 in ${what}`, at);
    }
  }

  /** A sub-reader over the next `len` bytes; this reader skips past them. */
  sub(len: number, what: string): Reader {
    if (len > this.end - this.pos) {
      this.fail(
        `unexpected end of input, expected ${what} of ${len} bytes but ${this.end - this.pos} remain`,
      );
    }
    const r = new Reader(this.bytes, this.limits, this.pos, this.pos + len, this.names);
    this.pos += len;
    return r;
  }

  /** Fails unless every byte of this window was consumed. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) this.fail(`unexpected trailing bytes after ${what}`);
  }
}
