/**
 * A run that "succeeded" having trained nothing must not look green. Pure: from the final
 * progress, the pipeline stages and how the job ended, the flags that make an outcome suspect.
 */

import type { Progress } from '../progress/progress-tracker.ts';
import { looksLikeTraining } from './looks-like-training.ts';
import type { StageSnapshot } from './stage-counters.ts';

/** Below this share of a known total, an exit 0 is "incomplete". */
const INCOMPLETE_SHARE = 0.5;

export type Outcome = {
  progress: Progress;
  /** How many times the step moved, from the output or the helper. */
  advances: number;
  /** Pipeline stages in order (`vigil.count`). */
  stages: readonly StageSnapshot[];
  succeeded: boolean;
  /** Top-level modules the job's Python processes imported (src/supervisor/python-events.ts PythonRegistry.imports). */
  imports: readonly { module: string }[];
};

export function outcomeFlags({ progress, advances, stages, succeeded, imports }: Outcome): string[] {
  if (!succeeded) return [];
  const flags: string[] = [];
  const counted = stages.some((stage) => stage.total > 0);
  // One step value that never moved ("resuming from step 5000", then exit) is no progress either;
  // but only of a job that looked like training is "no progress" worth saying.
  if (advances <= 1 && !counted && looksLikeTraining({ progress, stageCount: stages.length, imports })) flags.push('no_progress');
  if (progress.total !== null && progress.total > 0 && progress.step !== null && progress.step < INCOMPLETE_SHARE * progress.total)
    flags.push('incomplete');
  // Every item that reached a stage was lost before the next one.
  if (stages.some((stage, i) => i > 0 && stage.total === 0 && (stages[i - 1] as StageSnapshot).total > 0)) flags.push('empty_stage');
  return flags;
}
