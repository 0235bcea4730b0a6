/** The runs this machine started for a queued job (runs.job_id in its SQLite file), oldest first. */

import type { Db } from './database.ts';

export function localRunsOfJob(db: Db, jobId: string): string[] {
  return db.prepare('SELECT id FROM runs WHERE job_id = ? ORDER BY created_at').pluck().all(jobId) as string[];
}
