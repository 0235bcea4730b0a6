/** JSON lines with step-like keys, on synthetic output (json-progress.ts), through the tracker. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressTracker } from '../../../src/core/progress/progress-tracker.ts';

const track = (objects: object[]) => {
  const tracker = new ProgressTracker();
  tracker.pushText(objects.map((o) => JSON.stringify(o)).join('\n') + '\n', 0);
  return tracker.snapshot();
};

test('flat and slash-keyed JSON lines: step, total and the training loss, not the eval one', () => {
  const s = track([1, 2, 3].map((i) => ({ global_step: 100 * i, max_steps: 900, 'train/loss': 1 / i, 'eval/loss': 2 })));
  assert.deepEqual([s.step, s.total, s.metrics.loss], [300, 900, 1 / 3]);
});

test('nested JSON: metrics under a training key count, under an evaluation key or a validation split they do not', () => {
  const s = track([
    { iteration: 4, metrics: { train: { loss: 0.75 } } },
    { iteration: 4, metrics: { eval: { loss: 9.5, acc: 0.1 } } },
    { iteration: 4, split: 'validation', loss: 7.5 },
  ]);
  assert.deepEqual([s.step, s.metrics.loss], [4, 0.75]);
});

test('numbers logged as text are read', () => {
  const s = track([{ step: '12', epoch: '2', loss: '0.4512' }]);
  assert.deepEqual([s.step, s.epoch, s.metrics.loss], [12, 2, 0.4512]);
});
