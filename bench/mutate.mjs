// Seeded input mutations shared by the bench drivers (wit-fuzz.mjs, wit-diff.mjs).

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const INTERESTING = [
  0x00, 0x01, 0x02, 0x03, 0x40, 0x7f, 0x80, 0xff, 0x41, 0x42, 0x6a, 0x69, 0x63, 0x67,
];

/** One to three rounds of bit flips, byte sets, truncation, deletion, insertion, duplication. */
export function mutate(input, rand) {
  const int = (n) => Math.floor(rand() * n);
  let cur = Uint8Array.from(input);
  const rounds = 1 + int(3);
  for (let r = 0; r < rounds; r++) {
    const at = 8 + int(Math.max(1, cur.length - 8));
    switch (int(7)) {
      case 0:
        cur[int(cur.length)] ^= 1 << int(8);
        break;
      case 1:
        cur[at] = INTERESTING[int(INTERESTING.length)];
        break;
      case 2:
        for (let i = 0; i < 1 + int(5) && at + i < cur.length; i++) cur[at + i] = 0xff;
        break;
      case 3:
        cur = cur.slice(0, int(cur.length));
        break;
      case 4:
        cur = concat(cur.subarray(0, at), cur.subarray(Math.min(cur.length, at + 1 + int(16))));
        break;
      case 5:
        cur = concat(
          cur.subarray(0, at),
          Uint8Array.from({ length: 1 + int(8) }, () => int(256)),
          cur.subarray(at),
        );
        break;
      default: {
        const from = int(cur.length);
        cur = concat(cur.subarray(0, at), cur.subarray(from, from + 1 + int(32)), cur.subarray(at));
      }
    }
  }
  return cur;
}

/** The old wit-diff mutation: one or two byte flips or sets past the header. */
export function flip(input, rand) {
  const out = Uint8Array.from(input);
  const flips = 1 + Math.floor(rand() * 2);
  for (let f = 0; f < flips; f++) {
    const at = 8 + Math.floor(rand() * (out.length - 8));
    out[at] = rand() < 0.5 ? out[at] ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
  }
  return out;
}
