/**
 * What `vigil queue` shows of a job, from the database alone — so it says the same whether the
 * daemon is up or not. A claimed job is as its run is (running, orphaned, or already ended while
 * no daemon was there to settle it); a job that never ran says why.
 */

import type { RunStatus } from '../run-status.ts';
import type { Job } from './job.ts';

export type JobShownState = 'queued' | 'starting' | RunStatus | 'cancelled' | 'dependency_failed';

export type JobRow = {
  id: string;
  name: string | null;
  state: JobShownState;
  priority: number;
  gpus: number;
  gpu_ids: number[];
  after: string[];
  run_id: string | null;
  runs: string[];
  /** On a shared queue, the machine whose daemon claimed it (null before a claim, and in a machine's own queue). */
  claimed_by: string | null;
  requeues: number;
  submitted_at: number;
  age_ms: number;
  wait_reason: string | null;
  command: string[];
  cwd: string;
};

export function jobRow(job: Job, runs: readonly { id: string; status: RunStatus }[], now: number): JobRow {
  const latest = runs.at(-1) ?? null;
  return {
    id: job.id,
    name: job.name,
    state: shownState(job, latest?.status ?? null),
    priority: job.priority,
    gpus: job.gpus,
    gpu_ids: job.gpuIds,
    after: job.after,
    run_id: latest?.id ?? null,
    runs: runs.map((run) => run.id),
    claimed_by: job.claimedBy,
    requeues: job.requeues,
    submitted_at: job.submittedAt,
    age_ms: now - job.submittedAt,
    wait_reason: job.state === 'queued' ? job.waitReason : null,
    command: job.command,
    cwd: job.cwd,
  };
}

function shownState(job: Job, runStatus: RunStatus | null): JobShownState {
  switch (job.state) {
    case 'queued':
      return 'queued';
    case 'cancelled':
      return 'cancelled';
    case 'claimed':
      return runStatus ?? 'starting';
    case 'ended':
      if (job.outcome === 'dependency_failed') return 'dependency_failed';
      if (job.outcome === 'cancelled') return 'cancelled';
      return job.outcome ?? runStatus ?? 'unknown';
  }
}
