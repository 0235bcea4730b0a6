/**
 * A Slurm job's or step's final state (`scontrol show job`, `sacct`) in the crash taxonomy's
 * words: what the supervisor adds to a failure's diagnosis when the log alone says nothing (a
 * step the cgroup's OOM killer ended prints no Python error; a time limit is a SIGTERM like any
 * other). States that say nothing of the cause (COMPLETED, FAILED, RUNNING) give null.
 */

import type { Diagnosis } from '../diagnosis/diagnose.ts';
import { type Category, CATEGORIES } from '../diagnosis/categories.ts';
import { formatDuration } from '../duration.ts';

export type SlurmEnd = {
  jobId: string;
  /** `OUT_OF_MEMORY`, `CANCELLED by 0`, `TIMEOUT`… (sacct adds words after the state). */
  state: string;
  /** Where it was read: "scontrol", "sacct", "the step's memory cgroup". */
  source: string;
  timeLimitMs?: number | null;
};

type Mapped = { category: Category; summary: string; fixes: string[] };

export function slurmStateDiagnosis(end: SlurmEnd): Diagnosis | null {
  const mapped = mapState(end);
  if (!mapped) return null;
  return {
    category: mapped.category,
    retryable: CATEGORIES[mapped.category].retryable,
    summary: `${mapped.summary} (Slurm job ${end.jobId}: ${end.state}, from ${end.source})`,
    evidence: [],
    where: null,
    process: null,
    exception: null,
    confidence: 0.9,
    rule: `slurm-${(end.state.split(/\s/)[0] ?? '').toLowerCase()}`,
    fixes: mapped.fixes,
  };
}

function mapState({ state, timeLimitMs }: SlurmEnd): Mapped | null {
  const word = state.split(/[\s+]/)[0]?.toUpperCase() ?? '';
  switch (word) {
    case 'OUT_OF_MEMORY':
      return {
        category: 'host_oom',
        summary: "killed by the out-of-memory killer at the job's memory limit",
        fixes: ['Ask for more memory (sbatch --mem / --mem-per-cpu) or use less (smaller batch, fewer DataLoader workers)'],
      };
    case 'PREEMPTED':
      return {
        category: 'preempted',
        summary: 'preempted by a job of higher priority',
        fixes: ['Submit with --requeue and checkpoint often: vigil resumes from the newest verified checkpoint'],
      };
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return {
        category: 'preempted',
        summary: word === 'NODE_FAIL' ? 'the node failed under the job' : 'the node failed to boot',
        fixes: ['Resubmit (sbatch --requeue requeues it on its own); exclude a node that keeps failing (--exclude)'],
      };
    case 'TIMEOUT':
    case 'DEADLINE':
      return {
        category: 'preempted',
        summary:
          word === 'DEADLINE'
            ? 'stopped at its --deadline'
            : `stopped at its time limit${timeLimitMs ? ` (${formatDuration(timeLimitMs)})` : ''}`,
        fixes: [
          'Ask for more time (sbatch --time) or save before the end: vigil submit --slurm sends USR1 ahead of it (--signal=B:USR1@N)',
        ],
      };
    case 'CANCELLED':
      return {
        category: 'interrupted',
        summary: 'cancelled (scancel)',
        fixes: ['Nothing to fix if it was cancelled on purpose'],
      };
    default:
      return null;
  }
}
