/**
 * What every run repository (src/store/run-repository.ts) must do, as one suite run against each:
 * this machine's SQLite file (run-repository.test.ts) and the shared PostgreSQL
 * (postgres-runs.test.ts). Every field kept, JSON ones included; updates touch only what they
 * name; attempts and events in order; a group's runs; the live listing.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunRepository } from '../../src/store/run-repository.ts';
import type { AttemptRecord, RunRecord } from '../../src/store/runs.ts';

export const sampleRun = (id: string, overrides: Partial<RunRecord> = {}): RunRecord => ({
  id,
  name: null,
  command: ['python3', 'train.py', '--lr', 'é "q"'],
  cwd: '/work',
  runDir: `/home/runs/${id}`,
  status: 'running',
  createdAt: 1_700_000_000_000,
  endedAt: null,
  supervisorPid: 4242,
  supervisorStart: '123456',
  cgroupPath: null,
  stopTimeoutMs: 30_000,
  exitCode: null,
  signal: null,
  jobId: null,
  ...overrides,
});

const sampleAttempt = (runId: string, n: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord => ({
  runId,
  n,
  pid: 100 + n,
  pgid: 100 + n,
  startedAt: 1_700_000_000_000 + n * 1000,
  endedAt: null,
  exitCode: null,
  signal: null,
  peakRssBytes: null,
  logPath: `/home/runs/${runId}/attempt-${n}.log`,
  stopReason: null,
  diagnosis: null,
  ...overrides,
});

const member = (id: string, node: string, nodeRank: number) => ({
  id,
  source: 'option' as const,
  node,
  nodeRank,
  nodes: 2,
  addresses: ['10.0.0.1'],
});

/** `makeRepository`: a new, empty repository for each test. */
export function runRepositoryContract(name: string, makeRepository: () => Promise<RunRepository>): void {
  describe(`the run repository contract: ${name}`, () => {
    test('a run keeps every field; an update changes what it names and nothing else', async () => {
      const runs = await makeRepository();
      const run = sampleRun('aaaaaaaaaaaa', { name: 'exp', jobId: 'job1', group: member('g1', 'left', 0) });
      await runs.insertRun(run, 'left');
      const stored = await runs.getRun(run.id);
      assert.ok(stored);
      for (const key of Object.keys(run) as (keyof RunRecord)[]) assert.deepEqual(stored[key], run[key], key);
      const progress = { step: 40, total: 100, epoch: 1, metrics: { loss: 0.5 }, rate: null, updated_at: 5 };
      await runs.updateRun(run.id, { progress, flags: ['no_progress'], status: 'failed', endedAt: 1_700_000_009_000, exitCode: 1 });
      const updated = await runs.getRun(run.id);
      assert.deepEqual(updated?.progress, progress);
      assert.deepEqual(updated?.flags, ['no_progress']);
      assert.equal(updated?.status, 'failed');
      assert.equal(updated?.exitCode, 1);
      assert.equal(updated?.endedAt, 1_700_000_009_000);
      assert.deepEqual(updated?.command, run.command, 'untouched');
      assert.deepEqual(updated?.group, run.group, 'untouched');
      assert.equal(await runs.getRun('bbbbbbbbbbbb'), null);
    });

    test('attempts in order, their diagnosis and restart facts kept; many runs at once', async () => {
      const runs = await makeRepository();
      await runs.insertRun(sampleRun('aaaaaaaaaaaa'), 'n');
      await runs.insertRun(sampleRun('cccccccccccc'), 'n');
      await runs.insertAttempt(sampleAttempt('aaaaaaaaaaaa', 2), 'n');
      await runs.insertAttempt(sampleAttempt('aaaaaaaaaaaa', 1), 'n');
      const diagnosis = { category: 'nccl_error', summary: 'lost peer', retryable: true, evidence: [{ line: 3, text: 'x' }] };
      await runs.updateAttempt('aaaaaaaaaaaa', 1, {
        endedAt: 1_700_000_005_000,
        exitCode: 1,
        diagnosis,
        restartReason: 'cause nccl_error',
        restartDelayMs: 1000,
      });
      const attempts = await runs.attempts('aaaaaaaaaaaa');
      assert.deepEqual(
        attempts.map((a) => a.n),
        [1, 2],
      );
      assert.deepEqual(attempts[0]!.diagnosis, diagnosis);
      assert.equal(attempts[0]!.restartReason, 'cause nccl_error');
      assert.equal(attempts[0]!.restartDelayMs, 1000);
      assert.equal(attempts[1]!.endedAt, null);
      const many = await runs.attemptsOf(['aaaaaaaaaaaa', 'cccccccccccc']);
      assert.deepEqual([...many.entries()].map(([id, list]) => [id, list.length]).sort(), [
        ['aaaaaaaaaaaa', 2],
        ['cccccccccccc', 0],
      ]);
    });

    test('events in order, all or of one kind', async () => {
      const runs = await makeRepository();
      await runs.insertRun(sampleRun('aaaaaaaaaaaa'), 'n');
      await runs.addEvent({ runId: 'aaaaaaaaaaaa', attempt: 1, at: 3, kind: 'checkpoint', data: { path: '/c/step-3.pt', step: 3 } }, 'n');
      await runs.addEvent({ runId: 'aaaaaaaaaaaa', attempt: null, at: 1, kind: 'stop_requested', data: { timeout_ms: 5 } }, 'n');
      await runs.addEvent({ runId: 'aaaaaaaaaaaa', attempt: 1, at: 2, kind: 'checkpoint', data: { path: '/c/step-2.pt', step: 2 } }, 'n');
      assert.deepEqual(
        (await runs.events('aaaaaaaaaaaa')).map((e) => e.at),
        [1, 2, 3],
      );
      const checkpoints = await runs.events('aaaaaaaaaaaa', 'checkpoint');
      assert.deepEqual(
        checkpoints.map((e) => (e.data as { step: number }).step),
        [2, 3],
      );
      assert.equal(checkpoints[0]!.attempt, 1);
    });

    test("a group's runs, oldest first, and no other; the live listing, newest first", async () => {
      const runs = await makeRepository();
      await runs.insertRun(sampleRun('aaaaaaaaaaaa', { createdAt: 2, group: member('g1', 'right', 1) }), 'right');
      await runs.insertRun(sampleRun('bbbbbbbbbbbb', { createdAt: 1, group: member('g1', 'left', 0) }), 'left');
      await runs.insertRun(sampleRun('cccccccccccc', { createdAt: 3, group: member('g2', 'left', 0) }), 'left');
      await runs.insertRun(sampleRun('dddddddddddd', { createdAt: 4, status: 'succeeded' }), 'left');
      const group = await runs.groupRuns('g1');
      assert.deepEqual(
        group.map((run) => [run.id, run.group?.node, run.node]),
        [
          ['bbbbbbbbbbbb', 'left', 'left'],
          ['aaaaaaaaaaaa', 'right', 'right'],
        ],
      );
      assert.deepEqual(await runs.groupRuns('g3'), []);
      assert.deepEqual(
        (await runs.listRuns({ live: true })).map((run) => run.id),
        ['cccccccccccc', 'aaaaaaaaaaaa', 'bbbbbbbbbbbb'],
      );
      assert.deepEqual(
        (await runs.listRuns({ limit: 2 })).map((run) => run.id),
        ['dddddddddddd', 'cccccccccccc'],
      );
    });
  });
}
