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
    // As wit-parser: the first node left over names its first dependency that is left over too.
    const done = new Set(order);
    const stuck = nodes.find((n) => !done.has(n.name))!;
    const dep = stuck.deps.find((d) => !done.has(d.name)) ?? { name: stuck.name, span: stuck.span };
    resolveError(`${kind} \`${dep.name}\` depends on itself`, dep.span);
  }
  return order;
}
