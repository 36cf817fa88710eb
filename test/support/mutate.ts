/**
 * Seeded mutations of binary inputs for fuzzing: mulberry32 as the PRNG, and a handful of
 * mutation strategies that hit a binary decoder where it hurts (bit flips, random bytes, LEB128
 * continuation runs, inserted and deleted spans, duplicated spans, truncation).
 */

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [
  0x00, 0x01, 0x02, 0x03, 0x40, 0x7f, 0x80, 0xff, 0x41, 0x42, 0x6a, 0x69, 0x63, 0x67,
];

/** One mutated copy of `input`; the strategy is picked by `rand`. */
export function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const int = (n: number): number => Math.floor(rand() * n);
  const out = Uint8Array.from(input);
  const at = 8 + int(Math.max(1, input.length - 8));
  switch (int(7)) {
    case 0: {
      const flips = 1 + int(4);
      for (let i = 0; i < flips; i++) {
        const p = int(out.length);
        out[p] = (out[p] ?? 0) ^ (1 << int(8));
      }
      return out;
    }
    case 1:
      out[at] = INTERESTING[int(INTERESTING.length)] ?? 0;
      return out;
    case 2:
      for (let i = 0; i < 1 + int(5) && at + i < out.length; i++) out[at + i] = 0xff;
      return out;
    case 3:
      return out.subarray(0, int(out.length));
    case 4:
      return concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + int(16))));
    case 5: {
      const extra = Uint8Array.from({ length: 1 + int(8) }, () => int(256));
      return concat(out.subarray(0, at), extra, out.subarray(at));
    }
    default: {
      const from = int(out.length);
      return concat(out.subarray(0, at), out.subarray(from, from + 1 + int(32)), out.subarray(at));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
