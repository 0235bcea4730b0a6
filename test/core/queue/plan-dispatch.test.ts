import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Job, JobOutcome } from '../../../src/core/queue/job.ts';
import { jobRequest } from '../../helpers/jobs.ts';
import { type DispatchInput, type DispatchPlan, type GpuInfo, planDispatch } from '../../../src/core/queue/plan-dispatch.ts';

let nextSeq = 1;
/** A queued job named `id`, submitted after the ones built before it. */
function job(id: string, fields: Partial<Job> = {}): Job {
  return {
    ...jobRequest(),
    id,
    seq: nextSeq++,
    state: 'queued',
    submittedAt: 0,
    claimedAt: null,
    claimedBy: null,
    endedAt: null,
    gpuIds: [],
    supervisorPid: null,
    supervisorStart: null,
    waitReason: null,
    outcome: null,
    requeues: 0,
    ...fields,
  };
}

/** A running job holding `gpuIds`. */
const running = (id: string, gpuIds: number[] = [], fields: Partial<Job> = {}) =>
  job(id, { state: 'claimed', gpus: gpuIds.length, gpuIds, claimedAt: 1, ...fields });

/** `n` idle 80 GB GPUs (412 MiB used: the driver's own), indices 0…n-1. */
const idleGpus = (n: number): GpuInfo[] =>
  Array.from({ length: n }, (_, index) => ({ index, uuid: `GPU-${index}`, memoryTotalMiB: 81559, memoryUsedMiB: 412 }));

function plan(jobs: Job[], input: Partial<Omit<DispatchInput, 'jobs'>> = {}): DispatchPlan {
  return planDispatch({ jobs, outcomes: {}, gpus: null, maxRunning: 4, ...input });
}

const EMPTY: DispatchPlan = { start: [], waiting: [], failedDependencies: [] };

describe('planDispatch: order and --max-running (jobs needing no GPU)', () => {
  test('nothing queued: nothing to do', () => {
    assert.deepEqual(plan([]), EMPTY);
    assert.deepEqual(plan([running('r1')]), EMPTY);
  });

  test('higher priority first, then submission order; the rest wait for --max-running', () => {
    const jobs = [job('a'), job('b', { priority: 5 }), job('c'), job('d', { priority: -1 })];
    assert.deepEqual(plan(jobs, { maxRunning: 2 }), {
      start: [
        { jobId: 'b', gpuIds: [] },
        { jobId: 'a', gpuIds: [] },
      ],
      waiting: [
        { jobId: 'c', reason: '--max-running 2 reached' },
        { jobId: 'd', reason: '--max-running 2 reached' },
      ],
      failedDependencies: [],
    });
  });

  test('order is by seq, not by the order the jobs are given in', () => {
    const [first, second] = [job('first'), job('second')];
    assert.deepEqual(plan([second, first], { maxRunning: 1 }).start, [{ jobId: 'first', gpuIds: [] }]);
  });

  test('running jobs without GPUs count against --max-running', () => {
    assert.deepEqual(plan([running('r1'), job('a'), job('b')], { maxRunning: 2 }), {
      start: [{ jobId: 'a', gpuIds: [] }],
      waiting: [{ jobId: 'b', reason: '--max-running 2 reached' }],
      failedDependencies: [],
    });
  });

  test('running GPU jobs do not count against --max-running', () => {
    const jobs = [running('g1', [0]), job('a')];
    assert.deepEqual(plan(jobs, { maxRunning: 1, gpus: idleGpus(1) }).start, [{ jobId: 'a', gpuIds: [] }]);
  });

  test('--max-running 0 starts no job without GPUs, and does not stop GPU jobs', () => {
    assert.deepEqual(plan([job('a'), job('g', { gpus: 1 })], { maxRunning: 0, gpus: idleGpus(1) }), {
      start: [{ jobId: 'g', gpuIds: [0] }],
      waiting: [{ jobId: 'a', reason: '--max-running 0 reached' }],
      failedDependencies: [],
    });
  });

  test('ended and cancelled jobs are ignored: they hold no GPU and take no slot', () => {
    const jobs = [
      job('done', { state: 'ended', outcome: 'succeeded', gpus: 1, gpuIds: [0] }),
      job('gone', { state: 'cancelled', outcome: 'cancelled' }),
      job('a'),
      job('g', { gpus: 1 }),
    ];
    assert.deepEqual(plan(jobs, { maxRunning: 1, gpus: idleGpus(1) }).start, [
      { jobId: 'a', gpuIds: [] },
      { jobId: 'g', gpuIds: [0] },
    ]);
  });
});

describe('planDispatch: --after dependencies', () => {
  test('a dependency that succeeded lets the job start', () => {
    assert.deepEqual(plan([job('b', { after: ['a'] })], { outcomes: { a: 'succeeded' } }).start, [{ jobId: 'b', gpuIds: [] }]);
  });

  test('a running dependency: the job waits for it', () => {
    assert.deepEqual(plan([running('a'), job('b', { after: ['a'] })]), {
      start: [],
      waiting: [{ jobId: 'b', reason: 'after job a (running)' }],
      failedDependencies: [],
    });
  });

  test('a queued dependency, and one that starts in this very plan', () => {
    const jobs = [job('a', { gpus: 2 }), job('b'), job('c', { after: ['a', 'b'] })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(1) }), {
      start: [{ jobId: 'b', gpuIds: [] }],
      waiting: [
        { jobId: 'a', reason: 'needs 2 GPUs; this machine has 1' },
        { jobId: 'c', reason: 'after jobs a (queued), b (starting)' },
      ],
      failedDependencies: [],
    });
  });

  test('a dependency that succeeded is left out of the reason', () => {
    const jobs = [running('b'), job('c', { after: ['a', 'b'] })];
    assert.deepEqual(plan(jobs, { outcomes: { a: 'succeeded' } }).waiting, [{ jobId: 'c', reason: 'after job b (running)' }]);
  });

  const notSucceeded: (JobOutcome | 'unknown_job')[] = ['failed', 'stopped', 'cancelled', 'unknown', 'dependency_failed', 'unknown_job'];
  for (const outcome of notSucceeded) {
    test(`a dependency that ended ${outcome} fails the job`, () => {
      assert.deepEqual(plan([job('b', { after: ['a'] })], { outcomes: { a: outcome } }), {
        start: [],
        waiting: [],
        failedDependencies: [{ jobId: 'b', dependency: 'a', outcome }],
      });
    });
  }

  test('a dependency vigil has no record of is unknown_job', () => {
    assert.deepEqual(plan([job('b', { after: ['nosuch'] })]).failedDependencies, [
      { jobId: 'b', dependency: 'nosuch', outcome: 'unknown_job' },
    ]);
  });

  test('one failed dependency fails the job at once, though another still runs', () => {
    const jobs = [running('a'), job('c', { after: ['a', 'b'] })];
    assert.deepEqual(plan(jobs, { outcomes: { b: 'failed' } }), {
      start: [],
      waiting: [],
      failedDependencies: [{ jobId: 'c', dependency: 'b', outcome: 'failed' }],
    });
  });

  test('the first dependency that did not succeed is the one reported', () => {
    const plan1 = plan([job('c', { after: ['a', 'b', 'x'] })], { outcomes: { a: 'succeeded', b: 'stopped', x: 'failed' } });
    assert.deepEqual(plan1.failedDependencies, [{ jobId: 'c', dependency: 'b', outcome: 'stopped' }]);
  });

  test('a failure cascades through the chain in one plan, whatever the order of the jobs', () => {
    // c comes first (priority) but depends on b, which only this plan finds failed.
    const jobs = [job('b', { after: ['a'] }), job('c', { after: ['b'], priority: 9 }), job('d', { after: ['c'] }), job('e')];
    assert.deepEqual(plan(jobs, { outcomes: { a: 'failed' } }), {
      start: [{ jobId: 'e', gpuIds: [] }],
      waiting: [],
      failedDependencies: [
        { jobId: 'c', dependency: 'b', outcome: 'dependency_failed' },
        { jobId: 'b', dependency: 'a', outcome: 'failed' },
        { jobId: 'd', dependency: 'c', outcome: 'dependency_failed' },
      ],
    });
  });

  test('a live dependency waits even if an outcome is given for its id (a requeued job)', () => {
    const jobs = [running('a'), job('b', { after: ['a'] })];
    assert.deepEqual(plan(jobs, { outcomes: { a: 'failed' } }).waiting, [{ jobId: 'b', reason: 'after job a (running)' }]);
  });

  test('outcome ids are looked up as own keys only', () => {
    assert.deepEqual(plan([job('b', { after: ['constructor'] })]).failedDependencies, [
      { jobId: 'b', dependency: 'constructor', outcome: 'unknown_job' },
    ]);
  });

  test('a job waiting for its dependency holds nothing back: no slot, no GPUs, no blocking', () => {
    const jobs = [
      running('a'),
      job('big', { gpus: 2, priority: 9, after: ['a'] }),
      job('w', { priority: 9, after: ['a'] }),
      job('small', { gpus: 1 }),
      job('cpu'),
    ];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(2), maxRunning: 2 }), {
      start: [
        { jobId: 'small', gpuIds: [0] },
        { jobId: 'cpu', gpuIds: [] },
      ],
      waiting: [
        { jobId: 'big', reason: 'after job a (running)' },
        { jobId: 'w', reason: 'after job a (running)' },
      ],
      failedDependencies: [],
    });
  });
});

describe('planDispatch: a shared queue (jobs other machines claimed)', () => {
  test('they hold no GPU and take no slot here, but a job after one waits for it', () => {
    const there = running('there', [0], { claimedBy: 'b', gpus: 1 });
    const cpuThere = running('cpu-there', [], { claimedBy: 'b' });
    const jobs = [job('after-there', { after: ['there'] }), job('gpu', { gpus: 1 }), job('cpu')];
    assert.deepEqual(plan(jobs, { elsewhere: [there, cpuThere], gpus: idleGpus(1), maxRunning: 1 }), {
      start: [
        { jobId: 'gpu', gpuIds: [0] },
        { jobId: 'cpu', gpuIds: [] },
      ],
      waiting: [{ jobId: 'after-there', reason: 'after job there (running)' }],
      failedDependencies: [],
    });
  });
});

describe('planDispatch: GPUs', () => {
  test('the lowest free indices, whatever order the GPUs are listed in', () => {
    const gpus = idleGpus(4).reverse();
    assert.deepEqual(plan([job('g', { gpus: 2 })], { gpus }).start, [{ jobId: 'g', gpuIds: [0, 1] }]);
  });

  test('GPUs held by running jobs are skipped', () => {
    const jobs = [running('r', [0, 2]), job('g', { gpus: 2 })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(4) }).start, [{ jobId: 'g', gpuIds: [1, 3] }]);
  });

  test('two jobs started in one plan never get the same GPU', () => {
    const jobs = [job('g1', { gpus: 1 }), job('g2', { gpus: 2 }), job('g3', { gpus: 1 })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(4) }).start, [
      { jobId: 'g1', gpuIds: [0] },
      { jobId: 'g2', gpuIds: [1, 2] },
      { jobId: 'g3', gpuIds: [3] },
    ]);
  });

  test('not enough free GPUs: it waits, and says what holds the others', () => {
    const jobs = [
      running('r1', [0, 1]),
      running('s1', [2], { shareGpus: true }),
      running('s2', [2], { shareGpus: true }),
      job('g', { gpus: 2 }),
    ];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(4) }).waiting, [
      { jobId: 'g', reason: 'waiting for 2 GPUs (1 free; GPUs 0, 1 in use by job r1; GPU 2 in use by jobs s1, s2)' },
    ]);
  });

  test('a GPU busy with memory vigil cannot account for is not handed out', () => {
    const gpus = idleGpus(2);
    gpus[1] = { ...(gpus[1] as GpuInfo), memoryUsedMiB: 3277 };
    assert.deepEqual(plan([job('g', { gpus: 2 })], { gpus }), {
      start: [],
      waiting: [{ jobId: 'g', reason: 'waiting for 2 GPUs (1 free; GPU 1 in use by a process vigil does not know, 3.2 GiB)' }],
      failedDependencies: [],
    });
    assert.deepEqual(plan([job('h', { gpus: 1 })], { gpus }).start, [{ jobId: 'h', gpuIds: [0] }]);
  });

  const thresholds: { name: string; total: number; used: number; busy: boolean }[] = [
    { name: '256 MiB on a 24 GiB GPU (the floor) is idle', total: 24576, used: 256, busy: false },
    { name: '257 MiB on a 24 GiB GPU is busy', total: 24576, used: 257, busy: true },
    { name: '800 MiB on an 80 GB GPU (under 1%) is idle', total: 81559, used: 800, busy: false },
    { name: '816 MiB on an 80 GB GPU (over 1%) is busy', total: 81559, used: 816, busy: true },
    { name: 'unknown memory (declared GPU, [N/A]) is idle', total: 0, used: 0, busy: false },
  ];
  for (const { name, total, used, busy } of thresholds) {
    test(`foreign memory: ${name}`, () => {
      const gpus = [{ index: 0, uuid: 'GPU-0', memoryTotalMiB: total, memoryUsedMiB: used }];
      assert.equal(plan([job('g', { gpus: 1 })], { gpus }).start.length, busy ? 0 : 1);
    });
  }

  test('memory on a GPU a vigil job holds is that job’s, not a stranger’s', () => {
    const gpus = idleGpus(1).map((gpu) => ({ ...gpu, memoryUsedMiB: 70_000 }));
    const jobs = [running('s1', [0], { shareGpus: true }), job('s2', { gpus: 1, shareGpus: true })];
    assert.deepEqual(plan(jobs, { gpus }).start, [{ jobId: 's2', gpuIds: [0] }]);
  });

  test('sharing jobs are packed onto the GPUs other sharing jobs hold, leaving whole GPUs free', () => {
    const jobs = [running('s1', [0], { shareGpus: true }), job('s2', { gpus: 1, shareGpus: true }), job('x', { gpus: 1 })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(2) }).start, [
      { jobId: 's2', gpuIds: [0] },
      { jobId: 'x', gpuIds: [1] },
    ]);
  });

  test('two sharing jobs started in one plan share', () => {
    const jobs = [job('s1', { gpus: 1, shareGpus: true }), job('s2', { gpus: 1, shareGpus: true })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(1) }).start, [
      { jobId: 's1', gpuIds: [0] },
      { jobId: 's2', gpuIds: [0] },
    ]);
  });

  test('a sharing job does not share with a job that did not ask to', () => {
    const jobs = [running('x', [0]), job('s', { gpus: 1, shareGpus: true })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(2) }).start, [{ jobId: 's', gpuIds: [1] }]);
    assert.deepEqual(plan(jobs, { gpus: idleGpus(1) }).waiting, [
      { jobId: 's', reason: 'waiting for 1 GPU (0 free; GPU 0 in use by job x)' },
    ]);
  });

  test('a job that did not ask to share does not get a GPU sharing jobs hold', () => {
    const jobs = [running('s', [0], { shareGpus: true }), job('x', { gpus: 1 })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(1) }).waiting, [
      { jobId: 'x', reason: 'waiting for 1 GPU (0 free; GPU 0 in use by job s)' },
    ]);
  });

  test('a GPU held by a sharing and a non-sharing job is not shared again', () => {
    const jobs = [running('s', [0], { shareGpus: true }), running('x', [0]), job('t', { gpus: 1, shareGpus: true })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(1) }).waiting, [
      { jobId: 't', reason: 'waiting for 1 GPU (0 free; GPU 0 in use by jobs s, x)' },
    ]);
  });

  test('more GPUs than the machine has: waits for good, and says so', () => {
    assert.deepEqual(plan([job('g', { gpus: 4 })], { gpus: idleGpus(2) }).waiting, [
      { jobId: 'g', reason: 'needs 4 GPUs; this machine has 2' },
    ]);
  });

  test('no GPU on this machine: GPU jobs wait, the others run', () => {
    assert.deepEqual(plan([job('g', { gpus: 1 }), job('cpu')], { gpus: null }), {
      start: [{ jobId: 'cpu', gpuIds: [] }],
      waiting: [{ jobId: 'g', reason: 'needs 1 GPU; this machine has none' }],
      failedDependencies: [],
    });
    assert.deepEqual(plan([job('g', { gpus: 1 })], { gpus: [] }).waiting, [{ jobId: 'g', reason: 'needs 1 GPU; this machine has none' }]);
  });

  test('a job that can never start holds nothing back', () => {
    const jobs = [job('huge', { gpus: 8, priority: 9 }), job('g', { gpus: 1 })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(2) }).start, [{ jobId: 'g', gpuIds: [0] }]);
  });
});

describe('planDispatch: no starvation', () => {
  test('a GPU job waiting for GPUs holds back the GPU jobs after it, not the jobs without GPUs', () => {
    const jobs = [running('r', [0]), job('big', { gpus: 2, priority: 5 }), job('small', { gpus: 1 }), job('cpu')];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(2) }), {
      start: [{ jobId: 'cpu', gpuIds: [] }],
      waiting: [
        { jobId: 'big', reason: 'waiting for 2 GPUs (1 free; GPU 0 in use by job r)' },
        { jobId: 'small', reason: 'behind job big, which waits for GPUs first' },
      ],
      failedDependencies: [],
    });
  });

  test('at equal priority the earlier submission holds back the later one', () => {
    const jobs = [running('r', [0]), job('first', { gpus: 2 }), job('second', { gpus: 1, shareGpus: true })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(2) }).waiting, [
      { jobId: 'first', reason: 'waiting for 2 GPUs (1 free; GPU 0 in use by job r)' },
      { jobId: 'second', reason: 'behind job first, which waits for GPUs first' },
    ]);
  });

  test('a GPU job that starts holds nothing back; a higher-priority job after it in seq still goes first', () => {
    const jobs = [job('low', { gpus: 1 }), job('high', { gpus: 1, priority: 1 })];
    assert.deepEqual(plan(jobs, { gpus: idleGpus(1) }), {
      start: [{ jobId: 'high', gpuIds: [0] }],
      waiting: [{ jobId: 'low', reason: 'waiting for 1 GPU (0 free; GPU 0 in use by job high)' }],
      failedDependencies: [],
    });
  });

  test('a GPU busy with a stranger’s memory also makes the waiting job hold the others back', () => {
    const gpus = idleGpus(2);
    gpus[0] = { ...(gpus[0] as GpuInfo), memoryUsedMiB: 40_000 };
    const jobs = [job('big', { gpus: 2 }), job('small', { gpus: 1 })];
    assert.deepEqual(plan(jobs, { gpus }).waiting, [
      { jobId: 'big', reason: 'waiting for 2 GPUs (1 free; GPU 0 in use by a process vigil does not know, 39 GiB)' },
      { jobId: 'small', reason: 'behind job big, which waits for GPUs first' },
    ]);
  });
});
