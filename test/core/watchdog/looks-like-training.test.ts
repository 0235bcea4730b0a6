import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Progress } from '../../../src/core/progress/progress-tracker.ts';
import { looksLikeTraining } from '../../../src/core/watchdog/looks-like-training.ts';

const none: Progress = { step: null, total: null, epoch: null, rate: null, metrics: {}, updated_at: null };

test('looksLikeTraining: progress, metrics, pipeline stages, or a framework / the helper imported', () => {
  const cases: [string, Parameters<typeof looksLikeTraining>[0], boolean][] = [
    ['echo hi', { progress: none, stageCount: 0, imports: [] }, false],
    [
      'a script importing numpy and requests',
      { progress: none, stageCount: 0, imports: [{ module: 'numpy' }, { module: 'requests' }] },
      false,
    ],
    ['printed a step', { progress: { ...none, step: 5000 }, stageCount: 0, imports: [] }, true],
    ['printed an epoch', { progress: { ...none, epoch: 1 }, stageCount: 0, imports: [] }, true],
    ['printed a loss', { progress: { ...none, metrics: { loss: 0.5 } }, stageCount: 0, imports: [] }, true],
    ['declared pipeline stages', { progress: none, stageCount: 2, imports: [] }, true],
    ['imported torch', { progress: none, stageCount: 0, imports: [{ module: 'numpy' }, { module: 'torch' }] }, true],
    ['imported the vigil helper', { progress: none, stageCount: 0, imports: [{ module: 'vigil' }] }, true],
    ['imported lightning', { progress: none, stageCount: 0, imports: [{ module: 'pytorch_lightning' }] }, true],
  ];
  for (const [what, signs, expected] of cases) assert.equal(looksLikeTraining(signs), expected, what);
});
