/**
 * A run that "succeeded" having trained nothing must not look green. Pure: from the final
 * progress and how the job ended, the flags that make an outcome suspect.
 */

import type { Progress } from '../progress/progress-tracker.ts';

/** Below this share of a known total, an exit 0 is "incomplete". */
const INCOMPLETE_SHARE = 0.5;

export function outcomeFlags(progress: Progress, advances: number, exitCode: number | null, helperSteps: number): string[] {
  if (exitCode !== 0) return [];
  // One step value that never moved ("resuming from step 5000", then exit) is no progress either.
  if (advances <= 1 && helperSteps === 0) return ['no_progress'];
  if (progress.total !== null && progress.total > 0 && progress.step !== null && progress.step < INCOMPLETE_SHARE * progress.total)
    return ['incomplete'];
  return [];
}

export function isNonFinite(value: unknown): boolean {
  return value === 'NaN' || value === 'Infinity' || value === '-Infinity' || (typeof value === 'number' && !Number.isFinite(value));
}
