/**
 * Which queued jobs the daemon starts now, with which GPUs; why each of the others waits; which
 * can never start because a job they run --after did not succeed. Pure: from the live jobs, how
 * their dependencies ended, the machine's GPUs and --max-running, one plan.
 *
 * Rules:
 *   1. queued jobs are taken by priority (higher first), then in submission order (seq);
 *   2. --after: a job starts only once every dependency has succeeded. A dependency that ended any
 *      other way (failed, stopped, cancelled, unknown, dependency_failed, or an id vigil does not
 *      know) fails the job with dependency_failed (pueue's DependencyFailed), at once, even while
 *      its other dependencies still run; a job failed so in this plan fails those after it too.
 *      A job waiting for a dependency holds nothing back: the jobs behind it are dispatched as if
 *      it were not there;
 *   3. a job needing N GPUs gets the N lowest-indexed GPUs that are
 *        - held by no claimed job (nor one started earlier in this plan), or, when it says
 *          --share-gpus, held only by jobs that say so too (sharing jobs are thus packed onto the
 *          same GPUs, leaving whole ones for jobs that need them alone), and
 *        - not in use by a process vigil does not know: a GPU no vigil job holds whose used memory
 *          is above max(256 MiB, 1% of its total) (core/gpus/gpu-info.ts foreignMemoryMiB);
 *      fewer than N such GPUs: it waits, and the reason says what holds the others;
 *   4. a job needing more GPUs than the machine has (or any, on a machine without GPUs) waits for
 *      good, with a reason saying so; it holds nothing back;
 *   5. no starvation: once a GPU job waits for GPUs (rule 3), every GPU job after it in the order
 *      of rule 1 waits too, so that the GPUs freed one by one go to it and not to smaller jobs
 *      behind it. Jobs needing no GPU are not held back by GPU jobs;
 *   6. jobs needing no GPU run at most maxRunning at once, claimed ones included.
 */

import { formatSize } from '../size.ts';
import { foreignMemoryMiB, type GpuInfo } from '../gpus/gpu-info.ts';
import type { Job, JobOutcome } from './job.ts';

export type { GpuInfo } from '../gpus/gpu-info.ts';

export type DispatchInput = {
  /** Queued and claimed jobs (claimed ones run, and hold their gpuIds); any other state is ignored. */
  jobs: Job[];
  /**
   * On a shared queue, the jobs other machines' daemons claimed: live for --after (a job after
   * one waits for it), but they hold no GPU and take no slot of this machine's.
   */
  elsewhere?: Job[];
  /** How the --after dependencies that are no longer live ended (an id missing here: 'unknown_job'). */
  outcomes: Record<string, JobOutcome | 'unknown_job'>;
  /** null: this machine has no GPU (none detected, none declared). */
  gpus: GpuInfo[] | null;
  /** Jobs needing no GPU: at most this many at once, claimed ones included. */
  maxRunning: number;
};

export type DispatchPlan = {
  start: { jobId: string; gpuIds: number[] }[];
  /** One line each, for `vigil queue`. */
  waiting: { jobId: string; reason: string }[];
  /** To be ended with dependency_failed: the first dependency that did not succeed, and how it ended. */
  failedDependencies: { jobId: string; dependency: string; outcome: string }[];
};

export function planDispatch(input: DispatchInput): DispatchPlan {
  const claimed = input.jobs.filter((job) => job.state === 'claimed');
  const queued = input.jobs.filter((job) => job.state === 'queued').sort((a, b) => b.priority - a.priority || a.seq - b.seq);
  const live = new Map([...(input.elsewhere ?? []), ...claimed, ...queued].map((job) => [job.id, job]));
  const failedDependencies = failDependencies(queued, live, input.outcomes);
  const failed = new Set(failedDependencies.map((failure) => failure.jobId));

  const holders = new Map<number, Job[]>();
  const hold = (job: Job, gpuIds: readonly number[]) => gpuIds.forEach((id) => holders.set(id, [...(holders.get(id) ?? []), job]));
  claimed.forEach((job) => hold(job, job.gpuIds));
  let runningWithoutGpu = claimed.filter((job) => job.gpus === 0).length;
  let waitingForGpus: Job | null = null;
  const gpus = [...(input.gpus ?? [])].sort((a, b) => a.index - b.index);

  const start: DispatchPlan['start'] = [];
  const started = new Set<string>();
  const reasons = new Map<string, string>();
  for (const job of queued) {
    if (failed.has(job.id) || job.after.some((id) => live.has(id))) continue; // rule 2; its reason is written below
    if (job.gpus === 0) {
      if (runningWithoutGpu >= input.maxRunning) reasons.set(job.id, `--max-running ${input.maxRunning} reached`);
      else {
        runningWithoutGpu += 1;
        start.push({ jobId: job.id, gpuIds: [] });
        started.add(job.id);
      }
      continue;
    }
    if (job.gpus > gpus.length) {
      reasons.set(job.id, `needs ${count(job.gpus, 'GPU')}; this machine has ${gpus.length || 'none'}`);
      continue;
    }
    if (waitingForGpus) {
      reasons.set(job.id, `behind job ${waitingForGpus.id}, which waits for GPUs first`);
      continue;
    }
    const usable = gpus.filter((gpu) => refusal(job, gpu, holders.get(gpu.index) ?? []) === null);
    if (usable.length < job.gpus) {
      waitingForGpus = job;
      reasons.set(job.id, gpuWait(job, gpus, holders));
      continue;
    }
    const gpuIds = usable.slice(0, job.gpus).map((gpu) => gpu.index);
    hold(job, gpuIds);
    start.push({ jobId: job.id, gpuIds });
    started.add(job.id);
  }

  const waiting = queued
    .filter((job) => !failed.has(job.id) && !started.has(job.id))
    .map((job) => ({ jobId: job.id, reason: reasons.get(job.id) ?? dependencyWait(job, live, started) }));
  return { start, waiting, failedDependencies };
}

/** Rule 2, to a fixed point: a job failed here makes those after it fail in the same plan. */
function failDependencies(
  queued: Job[],
  live: ReadonlyMap<string, Job>,
  outcomes: DispatchInput['outcomes'],
): DispatchPlan['failedDependencies'] {
  const failedHere = new Map<string, DispatchPlan['failedDependencies'][number]>();
  /** How a dependency ended; null while it is live (queued or running). */
  const outcomeOf = (id: string): string | null => {
    if (failedHere.has(id)) return 'dependency_failed';
    if (live.has(id)) return null;
    return (Object.hasOwn(outcomes, id) ? outcomes[id] : undefined) ?? 'unknown_job';
  };
  const didNotSucceed = (id: string) => {
    const outcome = outcomeOf(id);
    return outcome !== null && outcome !== 'succeeded';
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const job of queued) {
      const dependency = failedHere.has(job.id) ? undefined : job.after.find(didNotSucceed);
      if (dependency === undefined) continue;
      failedHere.set(job.id, { jobId: job.id, dependency, outcome: outcomeOf(dependency) as string });
      changed = true;
    }
  }
  return queued.flatMap((job) => failedHere.get(job.id) ?? []);
}

/** Why `job` may not have `gpu` (held by these jobs), or null when it may. */
function refusal(job: Job, gpu: GpuInfo, holders: Job[]): string | null {
  if (holders.length === 0) {
    const foreign = foreignMemoryMiB(gpu);
    return foreign === null ? null : `in use by a process vigil does not know, ${formatSize(foreign * 1024 * 1024)}`;
  }
  if (job.shareGpus && holders.every((holder) => holder.shareGpus)) return null;
  return `in use by ${holders.length === 1 ? 'job' : 'jobs'} ${holders.map((holder) => holder.id).join(', ')}`;
}

/** "waiting for 2 GPUs (1 free; GPU 1 in use by a process vigil does not know, 3.2 GiB; GPUs 2, 3 in use by job abc)". */
function gpuWait(job: Job, gpus: GpuInfo[], holders: Map<number, Job[]>): string {
  const byRefusal = new Map<string, number[]>();
  let free = 0;
  for (const gpu of gpus) {
    const why = refusal(job, gpu, holders.get(gpu.index) ?? []);
    if (why === null) free += 1;
    else byRefusal.set(why, [...(byRefusal.get(why) ?? []), gpu.index]);
  }
  const taken = [...byRefusal].map(([why, ids]) => `${ids.length === 1 ? 'GPU' : 'GPUs'} ${ids.join(', ')} ${why}`);
  return `waiting for ${count(job.gpus, 'GPU')} (${[`${free} free`, ...taken].join('; ')})`;
}

/** "after job abc123 (running)", "after jobs abc123 (queued), def456 (starting)". */
function dependencyWait(job: Job, live: Map<string, Job>, started: Set<string>): string {
  const pending = job.after.filter((id) => live.has(id));
  const state = (id: string) => (started.has(id) ? 'starting' : live.get(id)?.state === 'claimed' ? 'running' : 'queued');
  return `after ${pending.length === 1 ? 'job' : 'jobs'} ${pending.map((id) => `${id} (${state(id)})`).join(', ')}`;
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
