import type { ImportEdge } from './read-import-graph.ts';

/**
 * The layers, innermost first. A file may import its own layer and the layers inside it, never one
 * further out: core <- use cases (ports) <- adapters <- queue <- entry points.
 */
export type Layer = 'core' | 'ports' | 'usecases' | 'adapters' | 'queue' | 'entry';

export function layerOf(path: string): Layer | undefined {
  if (path.startsWith('src/core/')) return 'core';
  if (path.startsWith('src/usecases/ports/')) return 'ports';
  if (path.startsWith('src/usecases/')) return 'usecases';
  if (path.startsWith('src/adapters/')) return 'adapters';
  if (path.startsWith('src/queue/')) return 'queue';
  if (/^(src\/(server|cli)|workers)\//.test(path)) return 'entry';
  return undefined;
}

/** What each layer may import (besides itself). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  ports: ['core', 'ports'],
  usecases: ['core', 'ports', 'usecases'],
  adapters: ['core', 'ports', 'usecases', 'adapters'],
  queue: ['core', 'ports', 'usecases', 'adapters', 'queue'],
  entry: ['core', 'ports', 'usecases', 'adapters', 'queue', 'entry'],
};

/** Imports that run outward (back up a layer), or from src into a folder outside the layers. */
export function findUpwardImports(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((e) => {
      const from = layerOf(e.from);
      if (!from) return false;
      const to = layerOf(e.to);
      return to === undefined ? e.to.startsWith('src/') : !ALLOWED[from].includes(to);
    })
    .map((e) => `${e.from} (${layerOf(e.from)}) imports ${e.to} (${layerOf(e.to) ?? 'outside the layers'})`);
}

/** Import circles between files (strongly connected components of two or more files, or a self-import). */
export function findImportCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    next.get(e.from)!.push(e.to);
  }
  // Tarjan's algorithm, iterative over the adjacency lists.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (start: string) => {
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const targets = next.get(top.node) ?? [];
      if (top.i < targets.length) {
        const to = targets[top.i++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, i: 0 });
        } else if (onStack.has(to)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== top.node);
        const selfImport = targets.includes(top.node);
        if (component.length > 1 || selfImport) cycles.push(component.sort());
      }
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
