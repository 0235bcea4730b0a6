/**
 * A line's update from both readers: a known format's reading stands (it is surer), and the
 * learned format fills in what it left out: the step when it gave none (trusted as a global
 * update count), the global counter over the per-epoch one it read, a train-side loss.
 */

import type { LearnedUpdate } from './learned-progress.ts';
import { LOSS_ITSELF_RANK } from './key-kinds.ts';
import type { ProgressUpdate } from './parse-line.ts';

/** Below a bar or an explicit counter of a known format (2), like a global update count. */
const LEARNED_STEP_RANK = 1;

export function mergeLearned(named: ProgressUpdate | null, learned: LearnedUpdate | null): ProgressUpdate | null {
  // A line counting something other than training (an evaluation's bar, data being loaded): no training step, however read.
  if (named?.notTraining) return null;
  if (!learned) return named;
  if (learned.evaluation) {
    if (learned.evaluation === 'metrics' && named?.bar) return countOf(named);
    const update: ProgressUpdate = named?.epoch !== undefined ? { epoch: named.epoch } : {};
    // A summary of both sides: the loss it names as training's (`train loss 0.005`) is kept, its step is not.
    if (learned.evaluation === 'both sides' && named?.loss !== undefined && (named.lossRank ?? 0) <= LOSS_ITSELF_RANK)
      [update.loss, update.lossRank] = [named.loss, named.lossRank];
    return Object.keys(update).length > 0 ? update : null;
  }
  const update: ProgressUpdate = { ...named };
  const step = learned.step;
  // The known format read a step key that the learned reading saw not count while its counter did: a size, not the step.
  if (step?.notACount !== undefined && update.step === step.notACount) {
    [update.step, update.total, update.stepRank] = [step.step, step.total, Math.max(update.stepRank ?? 0, LEARNED_STEP_RANK)];
    if (step.total === null) delete update.total;
  } else if (step?.global && (update.step === undefined || update.step < step.step)) {
    update.step = step.step;
    update.total = step.total;
    update.stepRank = Math.max(update.stepRank ?? 0, LEARNED_STEP_RANK);
  } else if (step && update.step === undefined) {
    update.step = step.step;
    update.stepRank = LEARNED_STEP_RANK;
    if (step.total !== null) update.total = step.total;
    if (step.sizeLike) update.sizeLike = true;
    if (step.seenCounting) update.seenCounting = true;
  }
  if (update.loss === undefined && learned.loss !== undefined && !update.notTheLoss) {
    update.loss = learned.loss;
    update.lossRank = learned.lossRank;
  }
  return Object.keys(update).length > 0 ? update : null;
}

/** A drawn bar's count, without the line's metrics: a training bar that shows its last validation's (`val_acc=0.9`). */
function countOf(named: ProgressUpdate): ProgressUpdate {
  const { step, stepRank, total, epoch, rate, bar } = named;
  return Object.fromEntries(Object.entries({ step, stepRank, total, epoch, rate, bar }).filter(([, value]) => value !== undefined));
}
