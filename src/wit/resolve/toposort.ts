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

/** Returns node names in dependency order; `kind` words the errors (`type`, `interface or world`). */
export function toposort(kind: string, nodes: TopoNode[]): string[] {
  const index = new Map(nodes.map((n, i) => [n.name, i]));
  const remaining = nodes.map((n) => n.deps.length);
  const reverse: number[][] = nodes.map(() => []);
  for (const [i, node] of nodes.entries()) {
    for (const dep of node.deps) {
      const j = index.get(dep.name);
      if (j === undefined) resolveError(`${kind} \`${dep.name}\` does not exist`, dep.span);
      reverse[j]!.push(i);
    }
  }
  // A binary heap would do; inputs are small, so a sorted ready-list keeps this simple.
  const ready: number[] = [];
  for (const [i, count] of remaining.entries()) if (count === 0) ready.push(i);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push(nodes[i]!.name);
    for (const j of reverse[i]!) {
      remaining[j]!--;
      if (remaining[j] === 0) ready.push(j);
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.find((_, i) => remaining[i]! > 0)!;
    const self = stuck.deps.find((d) => d.name === stuck.name);
    resolveError(`${kind} \`${stuck.name}\` depends on itself`, (self ?? stuck).span);
  }
  return order;
}
