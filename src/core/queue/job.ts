/**
 * A queued job: what `vigil submit` asked for, and where it is in its life.
 *
 *   queued ──(the daemon hands it a slot and its GPUs, starts its supervisor)──► claimed
 *     │                                   claimed ──(its supervisor ends)──► ended
 *     │                                   claimed ──(its supervisor is lost; policy requeue)──► queued
 *     └──(vigil cancel)──► cancelled      queued ──(a job it runs --after did not succeed)──► ended
 *
 * While claimed, the job's run (runs.job_id) says how it is doing; once ended, `outcome` says how
 * it ended (the run's status, or why it never ran).
 */

export type JobState = 'queued' | 'claimed' | 'ended' | 'cancelled';

/** How a job ended: its run's status, or why it never ran. */
export type JobOutcome = 'succeeded' | 'failed' | 'stopped' | 'unknown' | 'cancelled' | 'dependency_failed';

/** What to do when a job's supervisor dies and its processes live on (see src/core/queue/settle.ts). */
export type SupervisorLossPolicy = 'adopt' | 'requeue';

export type JobRequest = {
  name: string | null;
  /** Higher runs first; equal priorities run in the order they were submitted. */
  priority: number;
  /** GPUs it needs (0: none; then it counts against the daemon's --max-running). */
  gpus: number;
  /** May share its GPUs with other jobs that say the same. */
  shareGpus: boolean;
  /** Jobs (ids) that must have succeeded before this one starts. */
  after: string[];
  command: string[];
  cwd: string;
  /** The environment it runs with: the submitter's, as pueue keeps it, plus `env`. */
  env: Record<string, string>;
  /** The variables the job itself declares (`--env`, vigil.yaml `env:`): part of its identity. */
  declaredEnv: Record<string, string>;
  /** `vigil run` options, as words ("--restart", "on-failure", …): the supervisor parses them as `vigil run` does. */
  runOptions: string[];
  allowDuplicate: boolean;
  onSupervisorLoss: SupervisorLossPolicy;
};

export type Job = JobRequest & {
  id: string;
  /** Submission order. */
  seq: number;
  state: JobState;
  submittedAt: number;
  claimedAt: number | null;
  /** The machine whose daemon claimed it, on a shared queue (VIGIL_NODE, or the hostname); null in a machine's own SQLite queue. */
  claimedBy: string | null;
  endedAt: number | null;
  /** The GPUs it was handed (indices), while claimed. */
  gpuIds: number[];
  /** Its supervisor, while claimed: pid and /proc start time (a reused pid is not it). */
  supervisorPid: number | null;
  supervisorStart: string | null;
  outcome: JobOutcome | null;
  /** How many times it was requeued after losing its supervisor. */
  requeues: number;
  /** Why the daemon has not started it yet (set as it plans), null once started. */
  waitReason: string | null;
};

/**
 * What makes two submissions the same job (the seeds' queue dedup): command, working directory,
 * declared environment and name. The submitter's whole environment is left out: two shells differ
 * in many variables that do not change what the job does.
 */
export function jobIdentity(request: Pick<JobRequest, 'command' | 'cwd' | 'declaredEnv' | 'name'>): string {
  const env = Object.keys(request.declaredEnv)
    .sort()
    .map((key) => [key, request.declaredEnv[key]]);
  return JSON.stringify([request.command, request.cwd, env, request.name]);
}

export const LIVE_JOB_STATES: readonly JobState[] = ['queued', 'claimed'];
