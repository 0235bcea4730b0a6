/**
 * Will the job finish before Slurm ends it? The watchdog's ETA against the time the allocation
 * has left: one warning line when it will not, so the user can ask for more time or make sure a
 * checkpoint lands before the end.
 */

import { formatDuration } from '../duration.ts';

/** The warning, or null when the ETA fits (or either figure is unknown). */
export function timeLeftWarning(etaMs: number | null, timeLeftMs: number | null): string | null {
  if (etaMs === null || timeLeftMs === null || !Number.isFinite(etaMs) || etaMs <= timeLeftMs) return null;
  return (
    `the job needs about ${formatDuration(etaMs)} more but its Slurm time limit leaves ${formatDuration(Math.max(0, timeLeftMs))}: ` +
    'it will be stopped before the end (ask for more --time, or checkpoint and requeue)'
  );
}

/** The watchdog's ETA from progress: steps left over the rate; null without a total or a rate. */
export function progressEtaMs(progress: { step: number | null; total: number | null; rate: number | null }): number | null {
  const { step, total, rate } = progress;
  if (step === null || total === null || rate === null || rate <= 0 || total <= step) return null;
  return ((total - step) / rate) * 1000;
}
