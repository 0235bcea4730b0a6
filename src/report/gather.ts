/** Everything `vigil report` reads for one run: its records, its logs' tails, the machine. */

import type { ReportInput } from '../core/report/model.ts';
import { secretValuesOf } from '../core/report/redact.ts';
import { SqliteQueue } from '../store/queue.ts';
import type { RunRecord, RunStore } from '../store/runs.ts';
import { environmentRows } from './environment.ts';
import { readLogTail } from './log-tail.ts';

/** Logs read: the latest attempts' (the report shows no more than that). */
const ATTEMPTS_WITH_LOGS = 4;

export async function gatherReportInput(
  store: RunStore,
  run: Omit<RunRecord, 'status'> & { status: string },
  now: number,
): Promise<ReportInput> {
  const attempts = store.attempts(run.id);
  const job = run.jobId ? new SqliteQueue(store.db).getNow(run.jobId) : null;
  return {
    run,
    attempts,
    events: store.events(run.id),
    logTails: attempts.slice(-ATTEMPTS_WITH_LOGS).map((attempt) => readLogTail(attempt.n, attempt.logPath)),
    environment: await environmentRows(run),
    declaredEnv: job?.declaredEnv ?? null,
    // A secret the job printed is known by its value: the job's environment's, and this shell's (most often the same).
    secretValues: [...secretValuesOf(job?.env ?? {}), ...secretValuesOf(process.env)],
    generatedAt: now,
  };
}
