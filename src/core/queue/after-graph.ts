/**
 * The `after` graph of a set of named jobs (vigil.yaml's `jobs:`): each job names the jobs that
 * must have succeeded before it starts. Pure.
 */

/** Each job's name → the names it runs after. */
export type AfterGraph = Readonly<Record<string, readonly string[]>>;

/**
 * A cycle, when there is one: the names along it, back to the first (`[a, b, a]`: a runs after b,
 * which runs after a; `[a, a]`: a runs after itself). Names the graph does not have are skipped
 * (they are an error of their own). Jobs are visited in the graph's order, so the cycle found is
 * the same on every read.
 */
export function afterCycle(graph: AfterGraph): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    const open = path.indexOf(name);
    if (open >= 0) return [...path.slice(open), name];
    if (done.has(name) || !Object.hasOwn(graph, name)) return null;
    path.push(name);
    for (const before of graph[name] ?? []) {
      const cycle = visit(before);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(name);
    return null;
  };
  for (const name of Object.keys(graph)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * `names` and every job they run after, directly or not, each before the jobs that run after it
 * (otherwise in the graph's order). The graph must have every name and no cycle (see afterCycle).
 */
export function withPrerequisites(graph: AfterGraph, names: readonly string[]): string[] {
  const wanted = new Set<string>();
  const want = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const before of graph[name] ?? []) want(before);
  };
  names.forEach(want);
  // The graph's order, except that a job waits until what it runs after is placed.
  const ordered: string[] = [];
  const pending = Object.keys(graph).filter((name) => wanted.has(name));
  while (pending.length > 0) {
    const ready = pending.findIndex((name) => (graph[name] ?? []).every((before) => ordered.includes(before)));
    ordered.push(...pending.splice(ready, 1));
  }
  return ordered;
}
