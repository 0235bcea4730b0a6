/**
 * Whether a job looked like training at all. "Exited 0 without any progress: did it train at
 * all?" is a fair question about a trainer, and noise about `echo hi`, a data download or a
 * shell script. A job looked like training when it printed progress or metrics, counted pipeline
 * items, or imported a training framework or the vigil helper (the Python hooks report each
 * top-level third-party import).
 */

import type { Progress } from '../progress/progress-tracker.ts';

/** Top-level modules whose import marks a training job. */
const TRAINING_MODULES = new Set([
  'vigil',
  'torch',
  'tensorflow',
  'keras',
  'jax',
  'flax',
  'paddle',
  'mxnet',
  'lightning',
  'pytorch_lightning',
  'transformers',
  'accelerate',
  'deepspeed',
  'megatron',
  'fairseq',
  'timm',
  'mmengine',
  'mmcv',
  'detectron2',
  'ultralytics',
  'fastai',
  'stable_baselines3',
  'sklearn',
  'xgboost',
  'lightgbm',
  'catboost',
]);

export type TrainingSigns = {
  progress: Progress;
  /** Pipeline stages the helper declared or counted (`vigil.count`, `vigil.stages`). */
  stageCount: number;
  /** Top-level modules the job's Python processes imported. */
  imports: readonly { module: string }[];
};

export function looksLikeTraining({ progress, stageCount, imports }: TrainingSigns): boolean {
  const reported = progress.step !== null || progress.epoch !== null || Object.keys(progress.metrics).length > 0;
  return reported || stageCount > 0 || imports.some((marker) => TRAINING_MODULES.has(marker.module));
}
