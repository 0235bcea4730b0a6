/**
 * The queue, as the daemon and the commands see it: one interface, so that a shared database
 * (several machines, one queue) is a second implementation, not a rewrite. Asynchronous for that
 * reason; the SQLite implementation (src/store/queue.ts) answers at once. Every method is one
 * transaction; a claim succeeds for one caller only (SQLite: the write lock; PostgreSQL:
 * `FOR UPDATE SKIP LOCKED`).
 */

import type { Job, JobOutcome, JobRequest, JobState } from './job.ts';

export type SubmitResult = { kind: 'queued'; job: Job } | { kind: 'duplicate'; of: Job };

export interface QueueRepository {
  /** Queued, or refused when the same job (core/queue/job.ts jobIdentity) is queued or claimed and duplicates are not allowed. */
  submit(request: JobRequest, now: number): Promise<SubmitResult>;
  get(id: string): Promise<Job | null>;
  /** In submission order; only the given states when asked. */
  list(states?: readonly JobState[]): Promise<Job[]>;
  /** queued → claimed with its GPUs; false when it was no longer queued (cancelled, or claimed elsewhere). */
  claim(id: string, gpuIds: readonly number[], now: number): Promise<boolean>;
  /** The supervisor started for a claimed job. */
  attachSupervisor(id: string, pid: number, start: string | null): Promise<void>;
  /** claimed or queued → ended, with how. */
  end(id: string, outcome: JobOutcome, now: number): Promise<void>;
  /** claimed → queued again (its supervisor was lost before it could finish). */
  requeue(id: string): Promise<void>;
  /** queued → cancelled; false when it was not queued (then it is running: stop its run instead). */
  cancel(id: string, now: number): Promise<boolean>;
  /** Why each queued job waits (one line each), as the daemon last planned; jobs not named are cleared. */
  setWaitReasons(reasons: ReadonlyMap<string, string>): Promise<void>;
  /** The runs started for a job (a requeued job has several), oldest first. */
  runsOf(id: string): Promise<string[]>;
}
