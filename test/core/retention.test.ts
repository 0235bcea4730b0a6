import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planRetention, type RetentionCheckpoint, type RetentionPolicy } from '../../src/core/retention.ts';

/** checkpoint-<step>, verified unless said otherwise. */
const checkpoint = (step: number, extra: Partial<RetentionCheckpoint> = {}): RetentionCheckpoint => ({
  path: `checkpoint-${step}`,
  step,
  status: 'verified',
  verified_at: step * 1000,
  ...extra,
});
const MIN: RetentionPolicy = { bestMode: 'min' };

describe('planRetention: which checkpoints go', () => {
  const cases: { name: string; checkpoints: RetentionCheckpoint[]; policy: RetentionPolicy; deleted: string[] }[] = [
    { name: 'no policy: nothing', checkpoints: [100, 200, 300].map((s) => checkpoint(s)), policy: MIN, deleted: [] },
    {
      name: 'keep-last 2 of 4',
      checkpoints: [100, 200, 300, 400].map((s) => checkpoint(s)),
      policy: { ...MIN, keepLast: 2 },
      deleted: ['checkpoint-100', 'checkpoint-200'],
    },
    {
      name: 'never deletes the only verified checkpoint',
      checkpoints: [checkpoint(100)],
      policy: { ...MIN, keepLast: 1, keepBest: 1, keepEvery: 1000 },
      deleted: [],
    },
    {
      name: 'the only verified one stays even when newer ones are pending or corrupt',
      checkpoints: [checkpoint(100), checkpoint(200, { status: 'pending' }), checkpoint(300, { status: 'corrupt' })],
      policy: { ...MIN, keepLast: 1 },
      deleted: [],
    },
    {
      name: 'pending, corrupt and quarantined ones are not retention’s business',
      checkpoints: [
        checkpoint(100, { status: 'corrupt' }),
        checkpoint(200, { status: 'quarantined' }),
        checkpoint(300, { status: 'pending' }),
        checkpoint(400),
        checkpoint(500),
      ],
      policy: { ...MIN, keepLast: 1 },
      deleted: ['checkpoint-400'],
    },
    {
      name: 'keep-best 1 (min) keeps the lowest metric and the newest',
      checkpoints: [
        checkpoint(100, { metric: 0.9 }),
        checkpoint(200, { metric: 0.4 }),
        checkpoint(300, { metric: 0.6 }),
        checkpoint(400, { metric: 0.7 }),
      ],
      policy: { ...MIN, keepBest: 1 },
      deleted: ['checkpoint-100', 'checkpoint-300'],
    },
    {
      name: 'keep-best 1 (max) keeps the highest metric and the newest',
      checkpoints: [checkpoint(100, { metric: 0.9 }), checkpoint(200, { metric: 0.4 }), checkpoint(300, { metric: 0.6 })],
      policy: { bestMode: 'max', keepBest: 1 },
      deleted: ['checkpoint-200'],
    },
    {
      name: 'keep-best never deletes one it cannot rank',
      checkpoints: [
        checkpoint(100),
        checkpoint(200, { metric: Number.NaN }),
        checkpoint(300, { metric: 0.5 }),
        checkpoint(400, { metric: 0.6 }),
      ],
      policy: { ...MIN, keepBest: 1 },
      deleted: [],
    },
    {
      name: 'keep-every 200 with keep-last 1',
      checkpoints: [100, 200, 300, 400, 500].map((s) => checkpoint(s)),
      policy: { ...MIN, keepLast: 1, keepEvery: 200 },
      deleted: ['checkpoint-100', 'checkpoint-300'],
    },
    {
      name: 'rules add up: keep-last 1 + keep-best 1',
      checkpoints: [checkpoint(100, { metric: 0.1 }), checkpoint(200, { metric: 0.5 }), checkpoint(300, { metric: 0.3 })],
      policy: { ...MIN, keepLast: 1, keepBest: 1 },
      deleted: ['checkpoint-200'],
    },
    {
      name: 'the same step twice: the later verified one is the newest',
      checkpoints: [checkpoint(100, { path: 'a', verified_at: 2 }), checkpoint(100, { path: 'b', verified_at: 1 })],
      policy: { ...MIN, keepLast: 1 },
      deleted: ['b'],
    },
    { name: 'nothing at all', checkpoints: [], policy: { ...MIN, keepLast: 1 }, deleted: [] },
  ];
  for (const { name, checkpoints, policy, deleted } of cases)
    test(name, () => {
      const plan = planRetention(checkpoints, policy);
      assert.deepEqual(plan.delete.map((d) => d.path).sort(), deleted);
      const verified = checkpoints.filter((c) => c.status === 'verified').length;
      assert.equal(plan.delete.length + plan.keep.length, verified, 'every verified checkpoint is either kept or deleted');
    });
});

describe('planRetention: reasons', () => {
  test('each deletion says which rules it fell outside of and which newer verified checkpoint stays', () => {
    const plan = planRetention(
      [
        checkpoint(100, { metric: 0.9 }),
        checkpoint(200, { metric: 0.4 }),
        checkpoint(300, { metric: 0.6 }),
        checkpoint(400, { metric: 0.7 }),
      ],
      { bestMode: 'min', keepLast: 1, keepBest: 1, keepEvery: 200 },
    );
    assert.deepEqual(plan.delete, [
      {
        path: 'checkpoint-300',
        reason:
          'not among the last 1, not among the 1 best (metric 0.6, min is best), step 300 is not a multiple of 200; newer verified checkpoint at step 400',
      },
      {
        path: 'checkpoint-100',
        reason:
          'not among the last 1, not among the 1 best (metric 0.9, min is best), step 100 is not a multiple of 200; newer verified checkpoint at step 400',
      },
    ]);
    assert.deepEqual(plan.keep.find((k) => k.path === 'checkpoint-200')?.reasons, ['keep-every 200', 'keep-best 1 (#1)']);
    assert.deepEqual(plan.keep.find((k) => k.path === 'checkpoint-400')?.reasons, [
      'the newest verified checkpoint',
      'keep-last 1',
      'keep-every 200',
    ]);
  });
});
