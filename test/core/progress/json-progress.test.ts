/** JSON lines with step-like keys, on synthetic output (json-progress.ts), through the tracker. */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readJsonLine } from '../../../src/core/progress/json-progress.ts';
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
  // A key with an evaluation word among its words (CatBoost's summary `best_score_validation`) is evaluation's too.
  assert.equal(readJsonLine('{"best_iteration": 1985, "best_score_validation": {"Logloss": 0.2676}}')?.update.loss, undefined);
});

test('numbers logged as text are read', () => {
  const s = track([{ step: '12', epoch: '2', loss: '0.4512' }]);
  assert.deepEqual([s.step, s.epoch, s.metrics.loss], [12, 2, 0.4512]);
});

test('a record that names its metric in a field and holds it in another (`{"name": "loss", "data": {"value": …}}`)', () => {
  const reading = readJsonLine('{"name": "loss", "data": {"epoch": 0.01, "step": 2, "value": 4.4904, "timestamp": "2026-01-01T00:00:00"}}');
  assert.equal(reading?.update.loss, 4.4904);
  assert.equal(reading?.update.step, 2);
  assert.equal(readJsonLine('{"name": "eval_loss", "data": {"step": 2, "value": 9.1}}')?.update.loss, undefined);
});
