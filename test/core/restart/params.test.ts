import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adaptParams, paramEnvironment, substituteParams } from '../../../src/core/restart/params.ts';

test('adaptive params: halve never below 1, double, and say what changed', () => {
  const rule = { category: 'cuda_oom', halve: ['BATCH'], double: ['ACCUM'] };
  assert.deepEqual(adaptParams({ BATCH: 32, ACCUM: 1 }, rule), { params: { BATCH: 16, ACCUM: 2 }, changes: ['BATCH 32→16', 'ACCUM 1→2'] });
  assert.deepEqual(adaptParams({ BATCH: 1, ACCUM: 8 }, rule).params, { BATCH: 1, ACCUM: 16 });
  assert.deepEqual(adaptParams({ WORKERS: 3 }, { category: 'host_oom', halve: ['WORKERS'], double: [] }).params, { WORKERS: 1 });
});

test('params reach the command as {NAME} and the environment as VIGIL_PARAM_NAME', () => {
  assert.deepEqual(substituteParams(['train.py', '--batch={BATCH}', '--accum', '{ACCUM}', '{unknown}'], { BATCH: 16, ACCUM: 2 }), [
    'train.py',
    '--batch=16',
    '--accum',
    '2',
    '{unknown}',
  ]);
  assert.deepEqual(paramEnvironment({ batch: 16 }), { VIGIL_PARAM_BATCH: '16' });
});
