/** Sorting and filtering the runs table (pure: no DOM). */

import type { RunRow } from './types.ts';

export type SortKey = 'status' | 'name' | 'id' | 'progress' | 'eta' | 'loss' | 'attempts' | 'age';
export type Sort = { key: SortKey; descending: boolean };

const fraction = (run: RunRow) => (run.step != null && run.total ? run.step / run.total : run.step != null ? 0 : -1);
const lossValue = (run: RunRow) => (typeof run.loss === 'number' ? run.loss : run.loss === null ? Infinity : -Infinity);

/** Each key's value; nulls sort last when ascending. */
const VALUES: Record<SortKey, (run: RunRow) => string | number> = {
  status: (run) => run.status,
  name: (run) => run.name ?? '',
  id: (run) => run.id,
  progress: fraction,
  eta: (run) => run.eta_s ?? Infinity,
  loss: lossValue,
  attempts: (run) => run.attempts,
  age: (run) => run.age_ms,
};

export function sortRuns(runs: readonly RunRow[], sort: Sort | null): readonly RunRow[] {
  if (!sort) return runs;
  const value = VALUES[sort.key];
  const sign = sort.descending ? -1 : 1;
  return [...runs].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    return sign * (x < y ? -1 : x > y ? 1 : 0);
  });
}

/** Keeps the runs whose name, id or status contains every word of `query` (case-insensitive). */
export function filterRuns(runs: readonly RunRow[], query: string): readonly RunRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return runs;
  return runs.filter((run) => {
    const text = `${run.name ?? ''} ${run.id} ${run.status}${run.paused ? ' paused' : ''} ${run.flags.join(' ')}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}
