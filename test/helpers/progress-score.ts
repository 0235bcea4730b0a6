/**
 * How a progress corpus row is scored (the corpus test and bench/progress-split.ts share it):
 * the whole output is fed to a ProgressTracker, and its final snapshot's step, loss, total and
 * epoch are compared with the row's expectation (numbers within 1e-9 relative; NaN/Inf by name).
 */

import type { LossValue } from '../../src/core/progress/parse-line.ts';
import { ProgressTracker } from '../../src/core/progress/progress-tracker.ts';

export type ProgressExpect = { step: number | null; total: number | null; loss: number | string | null; epoch: number | null };
export type ProgressRow = { framework: string; text: string; expect: ProgressExpect; source?: string };
export const PROGRESS_FIELDS = ['step', 'loss', 'total', 'epoch'] as const;
export type ProgressField = (typeof PROGRESS_FIELDS)[number];
export type ProgressGot = Record<ProgressField, LossValue | number | null>;

export function sameNumber(got: LossValue | number | null | undefined, want: number | string | null): boolean {
  if (want === null) return got === null || got === undefined;
  if (typeof want === 'string') return typeof got === 'string' && nonFiniteName(got) === nonFiniteName(want);
  return typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
}

/** `inf`, `Inf`, `Infinity` are one value; so are `nan` and `NaN`. */
const nonFiniteName = (name: string) => name.toLowerCase().replace(/^([-+]?)inf(?:inity)?$/, '$1infinity');

/** What the tracker ends with on the row's whole output. */
export function trackRow(row: ProgressRow): ProgressGot {
  const tracker = new ProgressTracker();
  tracker.pushText(row.text, 0);
  tracker.flush(0);
  const snapshot = tracker.snapshot();
  return { step: snapshot.step, loss: snapshot.metrics.loss ?? null, total: snapshot.total, epoch: snapshot.epoch };
}

/** The fields of `row` the tracker gets wrong, with what it got. */
export function scoreRow(row: ProgressRow): { got: ProgressGot; wrong: ProgressField[] } {
  const got = trackRow(row);
  return { got, wrong: PROGRESS_FIELDS.filter((field) => !sameNumber(got[field], row.expect[field])) };
}
