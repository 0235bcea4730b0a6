/**
 * Builders for store records in tests (as changesets' test-utils): a plausible ended run or
 * attempt, with only what a test cares about spelled out.
 */

import { join } from 'node:path';
import type { AttemptRecord, RunRecord } from '../../src/store/runs.ts';

/** A run that succeeded a moment ago, its directory under `home`/runs. */
export function runRecord(home: string, fields: Partial<RunRecord> & { id: string }): RunRecord {
  const now = Date.now();
  return {
    name: null,
    command: ['true'],
    cwd: '/',
    runDir: join(home, 'runs', fields.id),
    status: 'succeeded',
    createdAt: now,
    endedAt: now,
    supervisorPid: null,
    supervisorStart: null,
    cgroupPath: null,
    stopTimeoutMs: 30_000,
    exitCode: 0,
    signal: null,
    ...fields,
  };
}

/** Attempt 1 of `run`, ended as the run did, its log in the run's directory. */
export function attemptRecord(run: RunRecord, fields: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    runId: run.id,
    n: 1,
    pid: null,
    pgid: null,
    startedAt: run.createdAt,
    endedAt: run.endedAt,
    exitCode: run.exitCode,
    signal: run.signal,
    peakRssBytes: null,
    logPath: join(run.runDir, 'attempt-1.log'),
    stopReason: null,
    diagnosis: null,
    ...fields,
  };
}
