/**
 * Kahn's topological sort with wit-parser's tie-break (`ast/toposort.rs`): among the nodes whose
 * dependencies are all emitted, the one earliest in source order comes first.
 */
import { resolveError, type Span } from '../diagnostics.js';

export interface TopoNode {
  name: string;
  span: Span;
  deps: { name: string; span: Span }[];
}

/**
 * Returns node names in dependency order; `kind` words the errors (`type`, `interface or world`),
 * `hint` may add a line to the error for a name that does not exist.
 */
export function toposort(
  kind: string,
  nodes: TopoNode[],
  hint: (name: string) => string | undefined = () => undefined,
): string[] {
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  const remaining = nodes.map((n) => n.deps.length);
  const reverse: number[][] = nodes.map(() => []);
  for (const [i, node] of nodes.entries()) {
    for (const dep of node.deps) {
      const j = index.get(dep.name);
      if (j === undefined) {
        const extra = hint(dep.name);
        const more = extra === undefined ? '' : `\n${extra}`;
        resolveError(`${kind} \`${dep.name}\` does not exist${more}`, dep.span);
      }
      reverse[j]!.push(i);
    }
  }
  // The ready nodes live in a binary min-heap of source indices: popping the smallest gives
  // wit-parser's tie-break in O(log n) (re-sorting a ready list per step was quadratic).
  const ready = new MinHeap();
  for (const [i, count] of remaining.entries()) if (count === 0) ready.push(i);
  const order: string[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(nodes[i]!.name);
    for (const j of reverse[i]!) {
      remaining[j]!--;
      if (remaining[j] === 0) ready.push(j);
    }
  }
  if (order.length !== nodes.length) {
    // As wit-parser: the first node left over names its first dependency that is left over too.
    const done = new Set(order);
    const stuck = nodes.find((n) => !done.has(n.name))!;
    const dep = stuck.deps.find((d) => !done.has(d.name)) ?? { name: stuck.name, span: stuck.span };
    resolveError(`${kind} \`${dep.name}\` depends on itself`, dep.span);
  }
  return order;
}

/** A binary min-heap of non-negative integers. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const a = this.items;
    let i = a.push(value) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= value) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = value;
  }

  /** Removes and returns the smallest value; the heap must not be empty. */
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= a.length) break;
      const right = left + 1;
      const child = right < a.length && a[right]! < a[left]! ? right : left;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
