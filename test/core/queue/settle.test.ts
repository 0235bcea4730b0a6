/** What becomes of a claimed job whose supervisor is gone: each rule of core/queue/settle.ts. */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunStatus } from '../../../src/core/run-status.ts';
import { CLAIM_GRACE_MS, MAX_REQUEUES, type SettleInput, settleJob } from '../../../src/core/queue/settle.ts';

const NOW = 1_000_000;
const input = (fields: Partial<SettleInput> & { status?: RunStatus } = {}): SettleInput => {
  const { status, ...rest } = fields;
  return {
    job: { onSupervisorLoss: 'adopt', requeues: 0, supervisorPid: 42, claimedAt: NOW - 60_000 },
    run: status ? { id: 'r1', status } : null,
    supervisorExit: undefined,
    now: NOW,
    ...rest,
  };
};

describe('settling a job whose supervisor is gone', () => {
  test('no run yet, nothing known of a supervisor, claimed moments ago: wait for it (never run a job twice)', () => {
    assert.deepEqual(settleJob(input({ job: { onSupervisorLoss: 'adopt', requeues: 0, supervisorPid: null, claimedAt: NOW - 1000 } })), {
      kind: 'wait',
    });
    const late = settleJob(
      input({ job: { onSupervisorLoss: 'adopt', requeues: 0, supervisorPid: null, claimedAt: NOW - CLAIM_GRACE_MS } }),
    );
    assert.equal(late.kind, 'requeue');
  });

  test('no run, the supervisor refused (non-zero exit): the job fails; killed before it began: requeued, a bounded number of times', () => {
    assert.deepEqual(settleJob(input({ supervisorExit: 2 })), {
      kind: 'end',
      outcome: 'failed',
      why: 'its supervisor refused to start it (exit 2)',
    });
    assert.equal(settleJob(input({ supervisorExit: null })).kind, 'requeue');
    assert.equal(settleJob(input({ supervisorExit: 0 })).kind, 'requeue');
    const exhausted = settleJob(input({ job: { onSupervisorLoss: 'requeue', requeues: MAX_REQUEUES, supervisorPid: 42, claimedAt: 0 } }));
    assert.equal(exhausted.kind, 'end');
  });

  test('a run another process supervises is followed', () => {
    assert.deepEqual(settleJob(input({ status: 'running' })), { kind: 'follow' });
  });

  test('orphaned processes: adopted, or stopped and requeued per --on-supervisor-loss (adopted once requeues run out)', () => {
    assert.deepEqual(settleJob(input({ status: 'orphaned' })), { kind: 'adopt', runId: 'r1' });
    const requeue = { onSupervisorLoss: 'requeue' as const, requeues: 0, supervisorPid: 42, claimedAt: 0 };
    assert.deepEqual(settleJob(input({ status: 'orphaned', job: requeue })), { kind: 'stop-and-requeue', runId: 'r1' });
    assert.deepEqual(settleJob(input({ status: 'orphaned', job: { ...requeue, requeues: MAX_REQUEUES } })), { kind: 'adopt', runId: 'r1' });
  });

  test('a run that ended: the job ends as it did; one that ended unwatched is requeued under requeue', () => {
    for (const status of ['succeeded', 'failed', 'stopped', 'unknown'] as const)
      assert.deepEqual(settleJob(input({ status })), { kind: 'end', outcome: status, why: `run r1 ${status}` });
    const requeue = { onSupervisorLoss: 'requeue' as const, requeues: 1, supervisorPid: 42, claimedAt: 0 };
    assert.equal(settleJob(input({ status: 'unknown', job: requeue })).kind, 'requeue');
    assert.equal(settleJob(input({ status: 'failed', job: requeue })).kind, 'end', 'a failure is the run policy’s business, not a requeue');
  });
});
