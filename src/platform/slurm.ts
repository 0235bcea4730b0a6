/**
 * Asking Slurm about the job vigil runs in: its controller's record (`scontrol show job -o`, kept
 * for MinJobAge after the end, no accounting needed), its steps' states (`sacct`, only where
 * slurmdbd answers), a requeue (`scontrol requeue`), and the OOM kills in the memory cgroup Slurm
 * put this step in (how slurmstepd itself tells OUT_OF_MEMORY from a plain SIGKILL).
 */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type SlurmJobRecord, slurmJobRecord } from '../core/slurm/job-record.ts';
import { programOutput } from './program-output.ts';

const QUERY_TIMEOUT_MS = 5000;

export async function readSlurmJobRecord(jobId: string, env: NodeJS.ProcessEnv): Promise<SlurmJobRecord | null> {
  const line = await programOutput('scontrol', ['show', 'job', '-o', jobId], { env, timeoutMs: QUERY_TIMEOUT_MS });
  return line ? slurmJobRecord(line.split('\n')[0] ?? '') : null;
}

/** Each step's state as sacct says (`4.batch OUT_OF_MEMORY`); null when accounting is off or unreachable. */
export function readSlurmStepStates(jobId: string, env: NodeJS.ProcessEnv): { step: string; state: string }[] | null {
  // Synchronous: asked once, after an attempt failed, before its diagnosis is recorded.
  const result = spawnSync('sacct', ['-j', jobId, '-n', '-P', '-o', 'JobID,State'], { env, timeout: QUERY_TIMEOUT_MS, encoding: 'utf8' });
  const out = result.status === 0 ? result.stdout.trim() : '';
  if (out === '') return null;
  return out.split('\n').flatMap((line) => {
    const [step, state] = line.split('|');
    return step && state ? [{ step, state }] : [];
  });
}

/** `scontrol requeue JOBID`: null when done, else what it said. Synchronous: Slurm signals vigil right after. */
export function requeueSlurmJob(jobId: string, env: NodeJS.ProcessEnv): string | null {
  const result = spawnSync('scontrol', ['requeue', jobId], { env, timeout: QUERY_TIMEOUT_MS, encoding: 'utf8' });
  if (result.error) return result.error.message;
  if (result.status !== 0) return (result.stderr || result.stdout || `exit ${result.status}`).trim();
  return null;
}

/**
 * OOM kills counted in this process's memory cgroup (cgroup v1 `memory.oom_control`, v2
 * `memory.events`): Slurm's task/cgroup puts the batch step there. Null where none can be read.
 */
export function stepOomKills(procCgroup = safeRead('/proc/self/cgroup')): number | null {
  for (const line of procCgroup.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (path === undefined) continue;
    const file =
      controllers === 'memory'
        ? `/sys/fs/cgroup/memory${path}/memory.oom_control`
        : controllers === ''
          ? `/sys/fs/cgroup${path}/memory.events`
          : null;
    const count = file ? /^oom_kill (\d+)$/m.exec(safeRead(file)) : null;
    if (count) return Number(count[1]);
  }
  return null;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
