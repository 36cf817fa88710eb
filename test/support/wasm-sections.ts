/** Splits a component binary into sections so tests can set the `producers` section aside. */
export interface Section {
  id: number;
  name?: string;
  bytes: Uint8Array;
}

function leb(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [result, pos];
  }
}

export function sections(bytes: Uint8Array): Section[] {
  const out: Section[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    const [size, start] = leb(bytes, pos + 1);
    const body = bytes.subarray(start, start + size);
    const section: Section = { id, bytes: bytes.subarray(pos, start + size) };
    if (id === 0) {
      const [len, at] = leb(body, 0);
      section.name = new TextDecoder().decode(body.subarray(at, at + len));
    }
    out.push(section);
    pos = start + size;
  }
  return out;
}

/** The binary without its producers section, as hex, for readable diffs. */
export function withoutProducers(bytes: Uint8Array): string[] {
  return [
    Buffer.from(bytes.subarray(0, 8)).toString('hex'),
    ...sections(bytes)
      .filter((s) => s.name !== 'producers')
      .map((s) => Buffer.from(s.bytes).toString('hex')),
  ];
}
