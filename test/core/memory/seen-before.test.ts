import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureMemory } from '../../../src/core/memory/seen-before.ts';
import { HOUR, T0, oomFailure, outline } from './builders.ts';

describe('FailureMemory', () => {
  const runs = [
    outline('r1', 0),
    outline('r2', 1),
    outline('r3', 2),
    outline('r4', 3, { status: 'succeeded', params: { BATCH: 16 } }),
    outline('r5', 4),
    outline('x1', 5, { command: ['python', 'eval.py'], name: 'eval' }),
  ];
  const failures = [
    ...['r1', 'r2', 'r3', 'r5'].map((id) => oomFailure(runs.find((run) => run.id === id)!)),
    {
      ...oomFailure(runs[5]!),
      diagnosis: {
        category: 'shape_error',
        exception: { type: 'RuntimeError', message: 'mat1 and mat2 shapes cannot be multiplied (64x3 and 4x5)' },
        where: null,
      },
    },
  ];
  const memory = new FailureMemory(failures, runs);

  it('says how often, since when and in which runs a failure was seen before, and what fixed it', () => {
    const seen = memory.seenBefore('r5', 1);
    assert.equal(seen?.count, 3);
    assert.equal(seen?.first_seen, new Date(T0 + HOUR / 2).toISOString());
    assert.deepEqual(seen?.runs, ['r1', 'r2', 'r3']);
    assert.equal(seen?.fixed_by?.run, 'r4');
    assert.deepEqual(seen?.fixed_by?.params, [{ name: 'BATCH', before: '64', after: '16' }]);
  });

  it('only counts failures before it', () => {
    assert.equal(memory.seenBefore('r1', 1), null);
    assert.equal(memory.seenBefore('r2', 1)?.count, 1);
    assert.equal(memory.seenBefore('x1', 1), null, 'a new failure');
    assert.equal(memory.seenBefore('r4', 1), null, 'an attempt that did not fail');
  });

  it('lists signatures, latest first, with counts and what fixed them; --job keeps one name', () => {
    const all = memory.signatures();
    assert.deepEqual(
      all.map((s) => [s.category, s.count, s.runs.length]),
      [
        ['shape_error', 1, 1],
        ['cuda_oom', 4, 4],
      ],
    );
    assert.equal(all[1]?.fixed_by?.run, 'r4');
    assert.equal(all[1]?.exception, 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate <size> (GPU <n>)');
    assert.deepEqual(
      memory.signatures({ job: 'eval' }).map((s) => s.category),
      ['shape_error'],
    );
  });
});
