/** Turns what a user typed (id, id prefix, name, `last`) into one run, or says why not. */

export type RunRef = { id: string; name: string | null; createdAt: number };

export type Resolution = { kind: 'found'; id: string } | { kind: 'none' } | { kind: 'ambiguous'; candidates: string[] };

/** `runs` in any order. Precedence: `last`, exact id, name (its newest run), unique id prefix. */
export function resolveRun(query: string, runs: readonly RunRef[]): Resolution {
  const newestFirst = [...runs].sort((a, b) => b.createdAt - a.createdAt);
  if (query === 'last') return newestFirst[0] ? { kind: 'found', id: newestFirst[0].id } : { kind: 'none' };
  const exact = newestFirst.find((run) => run.id === query);
  if (exact) return { kind: 'found', id: exact.id };
  const named = newestFirst.find((run) => run.name === query);
  if (named) return { kind: 'found', id: named.id };
  const prefixed = query.length > 0 ? newestFirst.filter((run) => run.id.startsWith(query)) : [];
  if (prefixed.length === 1) return { kind: 'found', id: (prefixed[0] as RunRef).id };
  if (prefixed.length > 1) return { kind: 'ambiguous', candidates: prefixed.map((run) => run.id) };
  return { kind: 'none' };
}
