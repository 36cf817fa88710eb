/**
 * The file-level import graph of src/ for the architecture tests: which `.ts` file imports which,
 * and the import cycles in it. An edge is a static `import … from`, a side-effect `import '…'` or
 * an `export … from`; `import type` counts too (a type-only cycle is still a cycle to the reader),
 * dynamic `import()` does not (it is how a module is loaded lazily, on purpose).
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve as resolvePath, sep } from 'node:path';
import { listSources, SRC } from '../../support/source-imports.js';

/** src-relative path (`wit/text/parser.ts`) to the src-relative files it imports. */
export type ImportGraph = Map<string, string[]>;

/** Specifiers of the static imports and re-exports of a file, type-only ones included. */
export function staticSpecifiers(text: string): string[] {
  const statement = /^\s*(?:import|export)\s(?:[^;'"]*?\bfrom\s*)?['"]([^'"]+)['"]/gm;
  return [...text.matchAll(statement)].map((m) => m[1]!);
}

const toKey = (abs: string): string => relative(SRC, abs).split(sep).join('/');

/** The import graph of every `.ts` file below src/ (relative imports only). */
export function loadImportGraph(): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const full of listSources(SRC)) {
    const from = toKey(full);
    const targets = staticSpecifiers(readFileSync(full, 'utf8'))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => toKey(resolvePath(dirname(full), spec.replace(/\.js$/, '.ts'))));
    graph.set(from, [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * The strongly connected components of more than one file (or a file importing itself): every
 * file of one component reaches every other through imports. Each is sorted; the list is sorted
 * by its first file. Tarjan's algorithm, iterative.
 */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = edges.includes(frame.node);
      if (component.length > 1 || selfLoop) found.push(component.sort());
    }
  }
  return found.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** One shortest cycle through `start` inside its component, as `a → b → a`, for messages. */
export function shortestCycle(graph: ImportGraph, start: string): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const to of graph.get(node) ?? []) {
      if (to === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [];
}
