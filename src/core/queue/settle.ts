/**
 * A claimed job whose supervisor is gone (it exited, or its connection closed and its pid is
 * dead): what becomes of the job. Pure: from the job, what its run looks like now, and how the
 * supervisor exited when the daemon saw it exit. The first rule that applies decides:
 *
 *   1. no run recorded yet, the supervisor unknown and the claim recent: wait — a daemon killed
 *      between starting a supervisor and recording its pid leaves exactly this, and that
 *      supervisor records its run within moments (requeueing now would run the job twice);
 *   2. no run recorded, the supervisor exited non-zero: it refused (bad options, a name in use:
 *      its log says) → the job ends `failed`; otherwise (killed before it began) → requeued;
 *   3. the run is supervised by another live process (an adopter): follow that one;
 *   4. the run's processes live on without a supervisor (orphaned): `--on-supervisor-loss adopt`
 *      → adopt; `requeue` → stop them cleanly, then requeue;
 *   5. the run ended unwatched (`unknown`) under `requeue`: requeued (it resumes from its newest
 *      verified checkpoint when it has --checkpoints);
 *   6. otherwise the job ends as its run did.
 *
 * Requeues are bounded (MAX_REQUEUES): past them the job ends as it stands.
 */

import type { RunStatus } from '../run-status.ts';
import type { Job, JobOutcome } from './job.ts';

export const MAX_REQUEUES = 3;
export const CLAIM_GRACE_MS = 15_000;

export type SettleInput = {
  job: Pick<Job, 'onSupervisorLoss' | 'requeues' | 'supervisorPid' | 'claimedAt'>;
  /** The job's latest run as observed now (reconciled), or null when none was recorded. */
  run: { id: string; status: RunStatus } | null;
  /** How the supervisor exited, when the daemon saw it (its child); undefined when not seen. */
  supervisorExit: number | null | undefined;
  now: number;
};

export type Settlement =
  | { kind: 'wait' }
  | { kind: 'end'; outcome: JobOutcome; why: string }
  | { kind: 'requeue'; why: string }
  | { kind: 'follow' }
  | { kind: 'adopt'; runId: string }
  | { kind: 'stop-and-requeue'; runId: string };

export function settleJob({ job, run, supervisorExit, now }: SettleInput): Settlement {
  const mayRequeue = job.requeues < MAX_REQUEUES;
  if (run === null) {
    const recent = job.claimedAt !== null && now - job.claimedAt < CLAIM_GRACE_MS;
    if (supervisorExit === undefined && job.supervisorPid === null && recent) return { kind: 'wait' };
    if (supervisorExit !== undefined && supervisorExit !== null && supervisorExit !== 0)
      return { kind: 'end', outcome: 'failed', why: `its supervisor refused to start it (exit ${supervisorExit})` };
    return mayRequeue
      ? { kind: 'requeue', why: 'its supervisor ended before the run began' }
      : { kind: 'end', outcome: 'failed', why: `its supervisor ended before the run began, ${MAX_REQUEUES} times` };
  }
  if (run.status === 'running') return { kind: 'follow' };
  if (run.status === 'orphaned') {
    return job.onSupervisorLoss === 'requeue' && mayRequeue
      ? { kind: 'stop-and-requeue', runId: run.id }
      : { kind: 'adopt', runId: run.id };
  }
  if (run.status === 'unknown' && job.onSupervisorLoss === 'requeue' && mayRequeue)
    return { kind: 'requeue', why: `run ${run.id} ended unwatched` };
  return { kind: 'end', outcome: run.status, why: `run ${run.id} ${run.status}` };
}
