/** What is remembered of a run's failed attempts, for `vigil show` and `vigil run`: never in the way of what they print otherwise. */

import { seenBeforeOf } from '../store/failure-memory.ts';
import type { RunStore } from '../store/runs.ts';
import type { Colours } from './colours.ts';
import { renderSeenBefore } from './render-seen-before.ts';

/**
 * `vigil run`'s line for one failed attempt, when it was seen before (empty otherwise): said as the
 * attempt fails, before the restart, so that "third time this week" comes while it still matters.
 * The memory is read afresh: the run's own earlier attempts count.
 */
export function renderAttemptSeenBefore(store: RunStore, runId: string, n: number, c: Colours): string {
  try {
    const seen = seenBeforeOf(store.db, runId)(n);
    return seen ? renderSeenBefore(seen, c, n) : '';
  } catch {
    return '';
  }
}

/** `vigil run`'s lines at its end: one per failed attempt seen before, but those `said` already. */
export function renderRunSeenBefore(store: RunStore, runId: string, c: Colours, said: ReadonlySet<number> = new Set()): string {
  try {
    const failed = store.attempts(runId).filter((attempt) => attempt.diagnosis !== null);
    const seenBefore = seenBeforeOf(store.db, runId);
    return failed
      .filter((attempt) => !said.has(attempt.n))
      .map((attempt) => {
        const seen = seenBefore(attempt.n);
        return seen ? renderSeenBefore(seen, c, failed.length > 1 ? attempt.n : undefined) : '';
      })
      .join('');
  } catch {
    return '';
  }
}
