/**
 * A line's update from both readers: a known format's reading stands (it is surer), and the
 * learned format fills in what it left out: the step when it gave none (trusted as a global
 * update count), the global counter over the per-epoch one it read, a train-side loss.
 */

import type { LearnedUpdate } from './learned-progress.ts';
import type { ProgressUpdate } from './parse-line.ts';

/** Below a bar or an explicit counter of a known format (2), like a global update count. */
const LEARNED_STEP_RANK = 1;

export function mergeLearned(named: ProgressUpdate | null, learned: LearnedUpdate | null): ProgressUpdate | null {
  if (!learned) return named;
  if (learned.evaluation) return named?.epoch !== undefined ? { epoch: named.epoch } : null;
  const update: ProgressUpdate = { ...named };
  const step = learned.step;
  if (step?.global && (update.step === undefined || update.step < step.step)) {
    update.step = step.step;
    update.total = step.total;
    update.stepRank = Math.max(update.stepRank ?? 0, LEARNED_STEP_RANK);
  } else if (step && update.step === undefined) {
    update.step = step.step;
    update.stepRank = LEARNED_STEP_RANK;
    if (step.total !== null) update.total = step.total;
  }
  if (update.loss === undefined && learned.loss !== undefined) {
    update.loss = learned.loss;
    update.lossRank = learned.lossRank;
  }
  return Object.keys(update).length > 0 ? update : null;
}
