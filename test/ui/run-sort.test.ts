import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterRuns, sortRuns } from '../../ui/run-sort.ts';
import type { RunRow } from '../../ui/types.ts';

function run(fields: Partial<RunRow> & { id: string }): RunRow {
  return {
    name: null,
    status: 'running',
    paused: false,
    pid: null,
    created_at: '',
    ended_at: null,
    age_ms: 0,
    attempts: 1,
    flags: [],
    step: null,
    total: null,
    command: [],
    epoch: null,
    loss: null,
    rate: null,
    eta_s: null,
    restarts: 0,
    sparkline: [],
    cause: null,
    ...fields,
  };
}

const runs = [
  run({ id: 'a1', name: 'bert-large', status: 'failed', loss: 0.5, step: 10, total: 100 }),
  run({ id: 'b2', name: 'gpt-small', loss: 'NaN', step: 90, total: 100, flags: ['nan_loss'] }),
  run({ id: 'c3', status: 'succeeded', loss: 0.1 }),
];

test('the filter keeps runs matching every word, in name, id, status or flags', () => {
  assert.deepEqual(
    filterRuns(runs, 'BERT failed').map((r) => r.id),
    ['a1'],
  );
  assert.deepEqual(
    filterRuns(runs, 'c3').map((r) => r.id),
    ['c3'],
  );
  assert.deepEqual(
    filterRuns(runs, 'nan_loss').map((r) => r.id),
    ['b2'],
  );
  assert.equal(filterRuns(runs, '  ').length, 3);
});

test('sorting by loss puts NaN first and an unknown loss last; descending reverses it', () => {
  assert.deepEqual(
    sortRuns(runs, { key: 'loss', descending: false }).map((r) => r.id),
    ['b2', 'c3', 'a1'],
  );
  assert.deepEqual(
    sortRuns(runs, { key: 'progress', descending: true }).map((r) => r.id),
    ['b2', 'a1', 'c3'],
  );
  assert.equal(sortRuns(runs, null), runs);
});
