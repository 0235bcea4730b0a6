import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downsample, type SeriesPoint } from '../../../src/core/web/downsample.ts';

const points = (n: number, attempt = 1, loss = (i: number) => Math.sin(i / 1000) + 2): SeriesPoint[] =>
  Array.from({ length: n }, (_, i) => ({ step: i, loss: loss(i), at: i, attempt }));

test('few points are kept as they are', () => {
  const few = points(100);
  assert.deepEqual(downsample(few, 800), few);
});

test('a million points: at most two a bucket, every spike kept, in time order', () => {
  const spike = 654_321;
  const many = points(1_000_000, 1, (i) => (i === spike ? 50 : i === 10 ? -7 : 1 + (i % 7) / 100));
  const started = performance.now();
  const kept = downsample(many, 800);
  const ms = performance.now() - started;
  assert.ok(kept.length <= 1600, `${kept.length} points`);
  assert.ok(
    kept.some((p) => p.step === spike && p.loss === 50),
    'the highest point is kept',
  );
  assert.ok(
    kept.some((p) => p.step === 10 && p.loss === -7),
    'the lowest point is kept',
  );
  assert.ok(
    kept.every((p, i) => i === 0 || p.at > (kept[i - 1] as SeriesPoint).at),
    'in time order',
  );
  assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
});

test('attempts are kept apart (a resumed attempt repeats steps), gaps keep their place, a step range is full detail', () => {
  const first = points(5000, 1);
  const second = points(5000, 2).map((p) => ({ ...p, at: p.at + 10_000, loss: p.step % 1000 === 0 ? null : p.loss }));
  const kept = downsample([...first, ...second], 100);
  assert.ok(kept.some((p) => p.attempt === 1) && kept.some((p) => p.attempt === 2));
  assert.ok(kept.length <= 400);
  const zoomed = downsample([...first, ...second], 100, { from: 1000, to: 1040 });
  assert.equal(zoomed.length, 82, 'every point of both attempts in 1000..1040');
  assert.ok(
    zoomed.some((p) => p.loss === null),
    'the gap at step 1000 of attempt 2',
  );
});
