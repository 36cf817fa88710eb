/**
 * "Did you mean": the known package names closest to a mistyped one (`wasi:htpp` -> `wasi:http`),
 * by edit distance with adjacent transpositions counted as one edit. Pure; the candidates come
 * from what the cache has seen (`cache/store.ts`).
 */

/** Edit distance (insert, delete, substitute, swap two neighbours), capped at `max + 1`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return Math.min(prev[b.length]!, max + 1);
}

/** Up to three known names near `name` (at most 2 edits, fewer for short names), closest first. */
export function closestNames(name: string, known: Iterable<string>): string[] {
  const max = name.length <= 6 ? 1 : 2;
  const scored: [string, number][] = [];
  for (const candidate of new Set(known)) {
    if (candidate === name) continue;
    const d = editDistance(name, candidate, max);
    if (d <= max) scored.push([candidate, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
  return scored.slice(0, 3).map(([n]) => n);
}
