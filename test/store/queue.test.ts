/** The queue in a real SQLite file: submission order, duplicates, claims that succeed once, cancel, requeue. */

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { JobRequest } from '../../src/core/queue/job.ts';
import { openDatabase } from '../../src/store/database.ts';
import { SqliteQueue } from '../../src/store/queue.ts';
import { jobRequest } from '../helpers/jobs.ts';

const queue = () => new SqliteQueue(openDatabase(join(mkdtempSync(join(tmpdir(), 'vigil-queue-')), 'vigil.db'), { readonly: false }));

const request = (overrides: Partial<JobRequest> = {}): JobRequest => jobRequest({ env: { PATH: '/usr/bin', SHLVL: '1' }, ...overrides });

describe('the queue store', () => {
  test('jobs keep their submission order and every field', async () => {
    const q = queue();
    const first = q.submitNow(request({ command: ['a'], gpus: 2, shareGpus: true, runOptions: ['--restart', 'always'] }), 1);
    const second = q.submitNow(request({ command: ['b'], priority: 5, after: ['x'] }), 2);
    assert.equal(first.kind, 'queued');
    assert.equal(second.kind, 'queued');
    const jobs = await q.list();
    assert.deepEqual(
      jobs.map((job) => job.command[0]),
      ['a', 'b'],
    );
    assert.ok(jobs[0]!.seq < jobs[1]!.seq);
    assert.equal(jobs[0]!.gpus, 2);
    assert.equal(jobs[0]!.shareGpus, true);
    assert.deepEqual(jobs[0]!.runOptions, ['--restart', 'always']);
    assert.deepEqual(jobs[1]!.after, ['x']);
    assert.equal(jobs[1]!.state, 'queued');
  });

  test('the same job while one is live is a duplicate; another environment of the shell is not a difference; --allow-duplicate', async () => {
    const q = queue();
    const original = q.submitNow(request(), 1);
    assert.equal(original.kind, 'queued');
    const again = q.submitNow(request({ env: { PATH: '/usr/bin', SHLVL: '2' } }), 2);
    assert.equal(again.kind, 'duplicate');
    assert.equal(again.kind === 'duplicate' && again.of.id, original.kind === 'queued' && original.job.id);
    assert.equal(q.submitNow(request({ declaredEnv: { LR: '0.1' } }), 3).kind, 'queued', 'a declared variable makes another job');
    assert.equal(q.submitNow(request({ name: 'other' }), 4).kind, 'queued');
    assert.equal(q.submitNow(request({ allowDuplicate: true }), 5).kind, 'queued');
  });

  test('a job that ended or was cancelled may be submitted again', async () => {
    const q = queue();
    const first = q.submitNow(request(), 1);
    assert.ok(first.kind === 'queued');
    assert.equal(q.cancelNow(first.job.id, 2), true);
    const second = q.submitNow(request(), 3);
    assert.ok(second.kind === 'queued');
    assert.equal(await q.claim(second.job.id, [0], 4), true);
    await q.end(second.job.id, 'succeeded', 5);
    assert.equal(q.submitNow(request(), 6).kind, 'queued');
  });

  test('a claim succeeds once; cancel only while queued; requeue puts it back with its count', async () => {
    const q = queue();
    const submitted = q.submitNow(request(), 1);
    assert.ok(submitted.kind === 'queued');
    const id = submitted.job.id;
    assert.equal(await q.claim(id, [1, 3], 2), true);
    assert.equal(await q.claim(id, [0], 3), false);
    assert.deepEqual((await q.get(id))!.gpuIds, [1, 3]);
    assert.equal(await q.cancel(id, 4), false, 'a claimed job is stopped, not cancelled');
    await q.attachSupervisor(id, 1234, '999');
    await q.requeue(id);
    const requeued = (await q.get(id))!;
    assert.equal(requeued.state, 'queued');
    assert.equal(requeued.requeues, 1);
    assert.deepEqual(requeued.gpuIds, []);
    assert.equal(requeued.supervisorPid, null);
    assert.equal(await q.cancel(id, 6), true);
    assert.equal((await q.get(id))!.outcome, 'cancelled');
  });
});
