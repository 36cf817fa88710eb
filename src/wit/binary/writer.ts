/**
 * A growable byte buffer with the WebAssembly encodings the component binary needs: unsigned
 * LEB128 (u32), signed LEB128 (s33 value-type indices), length-prefixed UTF-8 names and sections.
 */
const encoder = new TextEncoder();

export class ByteWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  get length(): number {
    return this.len;
  }

  byte(b: number): this {
    if (this.len === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  bytes(data: Uint8Array): this {
    for (const b of data) this.byte(b);
    return this;
  }

  u32(value: number): this {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? b : b | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a non-negative index (value types use s33). */
  s33(value: number): this {
    let v = value;
    for (;;) {
      const b = v & 0x7f;
      v = Math.floor(v / 128);
      const done = v === 0 && (b & 0x40) === 0;
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  string(s: string): this {
    const data = encoder.encode(s);
    this.u32(data.length);
    return this.bytes(data);
  }

  /** Appends a section: id, size, contents. */
  section(id: number, contents: Uint8Array): this {
    this.byte(id);
    this.u32(contents.length);
    return this.bytes(contents);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
