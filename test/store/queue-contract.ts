/**
 * What every queue implementation (core/queue/repository.ts) must do, as one suite run against
 * each: SQLite (queue.test.ts) and PostgreSQL (postgres-queue.test.ts). Submission order, every
 * field kept, duplicates, claims that succeed once, cancel, requeue, end, wait reasons.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JobRequest } from '../../src/core/queue/job.ts';
import type { QueueRepository, SubmitResult } from '../../src/core/queue/repository.ts';
import { jobRequest } from '../helpers/jobs.ts';

const request = (overrides: Partial<JobRequest> = {}): JobRequest => jobRequest({ env: { PATH: '/usr/bin', SHLVL: '1' }, ...overrides });

const queuedId = (result: SubmitResult): string => {
  assert.equal(result.kind, 'queued');
  return result.kind === 'queued' ? result.job.id : '';
};

/** `makeQueue`: a new, empty queue for each test. */
export function queueContract(name: string, makeQueue: () => Promise<QueueRepository>): void {
  describe(`the queue contract: ${name}`, () => {
    test('jobs keep their submission order and every field', async () => {
      const q = await makeQueue();
      const first = await q.submit(
        request({ command: ['a'], gpus: 2, shareGpus: true, runOptions: ['--restart', 'always'], env: { A: 'é "q"' } }),
        1_700_000_000_001,
      );
      await q.submit(request({ command: ['b'], priority: 5, after: ['x'], name: 'bee', declaredEnv: { LR: '0.1' } }), 2);
      const jobs = await q.list();
      assert.deepEqual(
        jobs.map((job) => job.command[0]),
        ['a', 'b'],
      );
      assert.ok(jobs[0]!.seq < jobs[1]!.seq);
      assert.deepEqual(jobs[0], first.kind === 'queued' ? first.job : null, 'submit returns the job as stored');
      assert.equal(jobs[0]!.gpus, 2);
      assert.equal(jobs[0]!.shareGpus, true);
      assert.deepEqual(jobs[0]!.runOptions, ['--restart', 'always']);
      assert.deepEqual(jobs[0]!.env, { A: 'é "q"' });
      assert.equal(jobs[0]!.submittedAt, 1_700_000_000_001, 'ms times come back as numbers');
      assert.deepEqual(jobs[1]!.after, ['x']);
      assert.equal(jobs[1]!.name, 'bee');
      assert.deepEqual(jobs[1]!.declaredEnv, { LR: '0.1' });
      assert.equal(jobs[1]!.priority, 5);
      assert.equal(jobs[1]!.state, 'queued');
      assert.equal(jobs[1]!.allowDuplicate, false);
      assert.equal(jobs[1]!.onSupervisorLoss, 'adopt');
      assert.equal(jobs[1]!.claimedAt, null);
      assert.equal(await q.get('nosuchjob000'), null);
    });

    test('the same job while one is live is a duplicate; another environment of the shell is not a difference; --allow-duplicate', async () => {
      const q = await makeQueue();
      const original = queuedId(await q.submit(request(), 1));
      const again = await q.submit(request({ env: { PATH: '/usr/bin', SHLVL: '2' } }), 2);
      assert.equal(again.kind, 'duplicate');
      assert.equal(again.kind === 'duplicate' && again.of.id, original);
      assert.equal((await q.submit(request({ declaredEnv: { LR: '0.1' } }), 3)).kind, 'queued', 'a declared variable makes another job');
      assert.equal((await q.submit(request({ name: 'other' }), 4)).kind, 'queued');
      assert.equal((await q.submit(request({ allowDuplicate: true }), 5)).kind, 'queued');
      assert.equal((await q.submit(request({ allowDuplicate: true }), 6)).kind, 'queued', 'twice');
      assert.equal(await q.claim(original, [], 7), true);
      assert.equal((await q.submit(request(), 8)).kind, 'duplicate', 'a running job is live too');
    });

    test('the same job submitted 10 times at once is queued once', async () => {
      const q = await makeQueue();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => q.submit(request({ command: ['same'] }), i)));
      assert.equal(results.filter((result) => result.kind === 'queued').length, 1);
      assert.equal((await q.list()).length, 1);
    });

    test('a job that ended or was cancelled may be submitted again', async () => {
      const q = await makeQueue();
      const first = queuedId(await q.submit(request(), 1));
      assert.equal(await q.cancel(first, 2), true);
      const second = queuedId(await q.submit(request(), 3));
      assert.equal(await q.claim(second, [0], 4), true);
      await q.end(second, 'succeeded', 5);
      const ended = (await q.get(second))!;
      assert.deepEqual([ended.state, ended.outcome, ended.endedAt, ended.gpuIds], ['ended', 'succeeded', 5, []]);
      assert.equal((await q.submit(request(), 6)).kind, 'queued');
    });

    test('a claim succeeds once; cancel only while queued; requeue puts it back with its count', async () => {
      const q = await makeQueue();
      const id = queuedId(await q.submit(request(), 1));
      assert.equal(await q.claim(id, [1, 3], 2), true);
      assert.equal(await q.claim(id, [0], 3), false);
      const claimed = (await q.get(id))!;
      assert.deepEqual([claimed.state, claimed.gpuIds, claimed.claimedAt], ['claimed', [1, 3], 2]);
      assert.equal(await q.cancel(id, 4), false, 'a claimed job is stopped, not cancelled');
      await q.attachSupervisor(id, 1234, '999');
      assert.deepEqual([(await q.get(id))!.supervisorPid, (await q.get(id))!.supervisorStart], [1234, '999']);
      await q.requeue(id);
      const requeued = (await q.get(id))!;
      assert.equal(requeued.state, 'queued');
      assert.equal(requeued.requeues, 1);
      assert.deepEqual(requeued.gpuIds, []);
      assert.equal(requeued.supervisorPid, null);
      assert.equal(requeued.claimedAt, null);
      assert.equal(requeued.claimedBy, null);
      await q.requeue(id);
      assert.equal((await q.get(id))!.requeues, 1, 'only a claimed job is requeued');
      assert.equal(await q.cancel(id, 6), true);
      assert.equal((await q.get(id))!.outcome, 'cancelled');
      await q.end(id, 'failed', 7);
      assert.equal((await q.get(id))!.outcome, 'cancelled', 'an ended job stays as it ended');
    });

    test('10 claims of one job at once: exactly one wins', async () => {
      const q = await makeQueue();
      const id = queuedId(await q.submit(request(), 1));
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => q.claim(id, [i], 2)));
      assert.equal(wins.filter(Boolean).length, 1);
    });

    test('list by state, in submission order', async () => {
      const q = await makeQueue();
      const ids = [];
      for (const command of ['a', 'b', 'c', 'd']) ids.push(queuedId(await q.submit(request({ command: [command] }), 1)));
      await q.claim(ids[1]!, [], 2);
      await q.cancel(ids[2]!, 3);
      assert.deepEqual(
        (await q.list(['queued', 'claimed'])).map((job) => job.id),
        [ids[0], ids[1], ids[3]],
      );
      assert.deepEqual(
        (await q.list(['cancelled'])).map((job) => job.id),
        [ids[2]],
      );
      assert.deepEqual(await q.list([]), []);
    });

    test('wait reasons: set, changed, and cleared for the jobs not named', async () => {
      const q = await makeQueue();
      const a = queuedId(await q.submit(request({ command: ['a'] }), 1));
      const b = queuedId(await q.submit(request({ command: ['b'] }), 2));
      await q.setWaitReasons(
        new Map([
          [a, 'after job x (running)'],
          [b, '--max-running 2 reached'],
        ]),
      );
      assert.deepEqual(
        (await q.list()).map((job) => job.waitReason),
        ['after job x (running)', '--max-running 2 reached'],
      );
      await q.setWaitReasons(new Map([[b, 'waiting for 1 GPU (0 free)']]));
      assert.deepEqual(
        (await q.list()).map((job) => job.waitReason),
        [null, 'waiting for 1 GPU (0 free)'],
      );
      await q.setWaitReasons(new Map());
      assert.deepEqual(
        (await q.list()).map((job) => job.waitReason),
        [null, null],
      );
    });

    test('a job no run was started for has no runs', async () => {
      const q = await makeQueue();
      assert.deepEqual(await q.runsOf(queuedId(await q.submit(request(), 1))), []);
    });
  });
}
