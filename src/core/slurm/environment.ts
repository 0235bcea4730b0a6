/**
 * The Slurm job a process runs in, read from the variables slurmstepd sets in every job's
 * environment (sbatch(1), "OUTPUT ENVIRONMENT VARIABLES"). Null outside Slurm.
 */

export type SlurmJob = {
  jobId: string;
  /** An array task's parent job and index (`sbatch --array`), else null. */
  arrayJobId: string | null;
  arrayTaskId: string | null;
  /** `node[01-04]`: Slurm's compressed host list. */
  nodeList: string | null;
  numNodes: number | null;
  /** This node's index in the allocation and this task's rank (null in a batch shell started without srun). */
  nodeId: number | null;
  procId: number | null;
  /** How many times Slurm has requeued the job (0 on its first run). */
  restartCount: number;
  /** `--mem` (MiB per node), when it was given. */
  memPerNodeMiB: number | null;
};

type Env = Readonly<Record<string, string | undefined>>;

export function slurmJobFrom(env: Env): SlurmJob | null {
  const jobId = env.SLURM_JOB_ID ?? env.SLURM_JOBID;
  if (!jobId || !/^\d+$/.test(jobId)) return null;
  return {
    jobId,
    arrayJobId: word(env.SLURM_ARRAY_JOB_ID),
    arrayTaskId: word(env.SLURM_ARRAY_TASK_ID),
    nodeList: word(env.SLURM_JOB_NODELIST ?? env.SLURM_NODELIST),
    numNodes: count(env.SLURM_JOB_NUM_NODES ?? env.SLURM_NNODES),
    nodeId: count(env.SLURM_NODEID),
    procId: count(env.SLURM_PROCID),
    restartCount: count(env.SLURM_RESTART_COUNT) ?? 0,
    memPerNodeMiB: count(env.SLURM_MEM_PER_NODE),
  };
}

/** "job 1234 (array 1230_4) on node[01-02], requeued 1 time". */
export function describeSlurmJob(job: SlurmJob): string {
  const array = job.arrayJobId !== null && job.arrayTaskId !== null ? ` (array ${job.arrayJobId}_${job.arrayTaskId})` : '';
  const nodes = job.nodeList !== null ? ` on ${job.nodeList}` : '';
  const requeued = job.restartCount > 0 ? `, requeued ${job.restartCount} time${job.restartCount === 1 ? '' : 's'}` : '';
  return `job ${job.jobId}${array}${nodes}${requeued}`;
}

function word(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

function count(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}
