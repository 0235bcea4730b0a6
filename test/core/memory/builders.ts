/** Failure-memory records built in memory: a run outline and its failed attempt, with defaults. */

import type { FailureRecord, RunOutline } from '../../../src/core/memory/records.ts';

export const HOUR = 3_600_000;
export const T0 = Date.UTC(2025, 0, 6, 9);

export function outline(id: string, hour: number, fields: Partial<RunOutline> = {}): RunOutline {
  return {
    id,
    name: null,
    command: ['python', 'train.py', '--batch', '{BATCH}'],
    cwd: '/home/ana/proj',
    createdAt: T0 + hour * HOUR,
    endedAt: T0 + hour * HOUR + HOUR / 2,
    status: 'failed',
    declaredEnv: null,
    params: { BATCH: 64 },
    fingerprints: null,
    ...fields,
  };
}

export function oomFailure(run: RunOutline, fields: Partial<FailureRecord> = {}): FailureRecord {
  return {
    runId: run.id,
    n: 1,
    at: run.endedAt ?? run.createdAt,
    diagnosis: {
      category: 'cuda_oom',
      exception: { type: 'torch.OutOfMemoryError', message: `CUDA out of memory. Tried to allocate ${run.id.length}.00 GiB (GPU 0)` },
      where: { file: '/home/ana/proj/train.py', function: 'forward' },
    },
    params: run.params,
    fingerprints: run.fingerprints,
    ...fields,
  };
}
