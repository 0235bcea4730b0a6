import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFixedBy, sameJob, whatFixedIt } from '../../../src/core/memory/fixed-by.ts';
import { HOUR, T0, oomFailure, outline } from './builders.ts';

describe('sameJob', () => {
  it('is the same command in the same directory, whatever the --param values, or the same name', () => {
    assert.ok(sameJob(outline('a', 0), outline('b', 1, { params: { BATCH: 16 } })));
    assert.ok(!sameJob(outline('a', 0), outline('b', 1, { cwd: '/elsewhere' })));
    assert.ok(!sameJob(outline('a', 0), outline('b', 1, { command: ['python', 'eval.py'] })));
    assert.ok(sameJob(outline('a', 0, { name: 'seeds' }), outline('b', 1, { name: 'seeds', command: ['python', 'other.py'] })));
  });
});

describe('whatFixedIt', () => {
  const failed = [outline('r1', 0), outline('r2', 1), outline('r3', 2)];
  const fixed = outline('r4', 3, { status: 'succeeded', params: { BATCH: 16 } });

  it('names the later success of the same job and the --param that changed since the last failure', () => {
    const result = whatFixedIt(
      failed.map((run) => oomFailure(run)),
      [...failed, fixed],
      failed[0]!,
    );
    assert.deepEqual(result, {
      run: 'r4',
      run_name: null,
      succeeded_at: new Date(T0 + 3.5 * HOUR).toISOString(),
      compared_with: { run: 'r3', attempt: 1 },
      params: [{ name: 'BATCH', before: '64', after: '16' }],
      command: null,
      env: [],
      fingerprints: [],
    });
    assert.equal(describeFixedBy(result!), '--param BATCH 64 → 16');
  });

  it('is null when the job has not succeeded since, or only another job did', () => {
    const failures = failed.map((run) => oomFailure(run));
    assert.equal(whatFixedIt(failures, failed, failed[0]!), null);
    const otherJob = outline('r4', 3, { status: 'succeeded', cwd: '/elsewhere' });
    assert.equal(whatFixedIt(failures, [...failed, otherJob], failed[0]!), null);
    const before = outline('r0', -2, { status: 'succeeded' });
    assert.equal(whatFixedIt(failures, [before, ...failed], failed[0]!), null);
  });

  it('counts a run that failed, then succeeded on a later attempt with adapted values', () => {
    const run = outline('r1', 0, { status: 'succeeded', params: { BATCH: 32, ACCUM: 2 } });
    const result = whatFixedIt([oomFailure(run, { at: T0 + HOUR / 4, params: { BATCH: 64, ACCUM: 1 } })], [run], run);
    assert.equal(result?.run, 'r1');
    assert.equal(describeFixedBy(result!), '--param ACCUM 1 → 2; --param BATCH 64 → 32');
  });

  it('describes a changed command of a named job, its declared environment and its inputs', () => {
    const a = outline('r1', 0, {
      name: 'seeds',
      command: ['python', 'train.py', '--lr', '0.1'],
      declaredEnv: { SEED: '1', NCCL_P2P_DISABLE: '1' },
      fingerprints: [{ path: 'data', kind: 'dir', bytes: 1000, files: 10, sha256: 'a'.repeat(64) }],
    });
    const b = outline('r2', 1, {
      name: 'seeds',
      status: 'succeeded',
      command: ['python', 'train.py', '--lr', '0.01'],
      declaredEnv: { SEED: '2' },
      fingerprints: [{ path: 'data', kind: 'dir', bytes: 1200, files: 12, sha256: 'b'.repeat(64) }],
    });
    const result = whatFixedIt([oomFailure(a)], [a, b], a)!;
    assert.deepEqual(result.command, { before: a.command, after: b.command });
    assert.deepEqual(result.env, [
      { name: 'NCCL_P2P_DISABLE', before: '1', after: null },
      { name: 'SEED', before: '1', after: '2' },
    ]);
    assert.equal(result.params.length, 0);
    assert.match(
      describeFixedBy(result),
      /^command 0\.1 → 0\.01; env NCCL_P2P_DISABLE 1 → \(unset\); env SEED 1 → 2; input data changed: 10 → 12 files/,
    );
  });

  it('says so when nothing recorded changed', () => {
    const again = outline('r4', 3, { status: 'succeeded' });
    const result = whatFixedIt([oomFailure(failed[0]!)], [failed[0]!, again], failed[0]!)!;
    assert.equal(describeFixedBy(result), 'nothing vigil records changed (params, command, env, inputs)');
  });
});
