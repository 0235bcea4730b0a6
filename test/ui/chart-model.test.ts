import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartModel } from '../../ui/chart-model.ts';
import type { Series } from '../../ui/types.ts';

const NO_MARKERS: Series['markers'] = { restarts: [], stalls: [], nan: [], checkpoints: [] };

function series(points: [step: number, loss: number | null, at: number, attempt: number][], markers = NO_MARKERS): Series {
  return {
    total_points: points.length,
    attempts: [],
    points: {
      step: points.map((p) => p[0]),
      loss: points.map((p) => p[1]),
      at: points.map((p) => p[2]),
      attempt: points.map((p) => p[3]),
    },
    markers,
  };
}

test('a resumed attempt going back over steps is its own series, the x axis in step order', () => {
  const model = chartModel(
    series([
      [10, 2.0, 1000, 1],
      [20, 1.5, 2000, 1],
      [30, 1.2, 3000, 1],
      [20, 1.4, 5000, 2],
      [40, 1.0, 6000, 2],
    ]),
  );
  assert.deepEqual(model.attempts, [1, 2]);
  assert.deepEqual(model.data, [
    [10, 20, 20, 30, 40],
    [2.0, 1.5, null, 1.2, null],
    [null, null, 1.4, null, 1.0],
  ]);
});

test('markers without a step, and stalls given in time, sit at the step reached at that time', () => {
  const model = chartModel(
    series(
      [
        [10, 2.0, 1000, 1],
        [20, 1.5, 2000, 1],
        [21, 1.4, 9000, 1],
      ],
      {
        restarts: [{ attempt: 2, at: 2500, step: null }],
        stalls: [
          { attempt: 1, from: 2100, to: 9000 },
          { attempt: 1, from: 9500, to: null },
        ],
        nan: [{ attempt: 1, at: 0, step: 15 }],
        checkpoints: [{ at: 1500, step: null }],
      },
    ),
  );
  assert.deepEqual(model.restarts, [20]);
  assert.deepEqual(model.stalls, [
    [20, 21],
    [21, 21],
  ]);
  assert.deepEqual(model.nan, [15]);
  assert.deepEqual(model.checkpoints, [10]);
});

test('no points: an empty chart and no markers placed', () => {
  const model = chartModel(series([], { ...NO_MARKERS, restarts: [{ attempt: 2, at: 5, step: null }] }));
  assert.deepEqual(model.data, [[]]);
  assert.deepEqual(model.restarts, []);
});
