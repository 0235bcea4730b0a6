/**
 * A run that "succeeded" having trained nothing must not look green. Pure: from the final
 * progress and how the job ended, the flags that make an outcome suspect.
 */

import type { Progress } from '../progress/progress-tracker.ts';

/** Below this share of a known total, an exit 0 is "incomplete". */
const INCOMPLETE_SHARE = 0.5;

/** `advances`: how many times the step moved, from the output or the helper. */
export function outcomeFlags(progress: Progress, advances: number, succeeded: boolean): string[] {
  if (!succeeded) return [];
  // One step value that never moved ("resuming from step 5000", then exit) is no progress either.
  if (advances <= 1) return ['no_progress'];
  if (progress.total !== null && progress.total > 0 && progress.step !== null && progress.step < INCOMPLETE_SHARE * progress.total)
    return ['incomplete'];
  return [];
}
