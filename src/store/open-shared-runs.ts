/**
 * The runs of the shared store (VIGIL_DATABASE_URL) — for the commands that read or ask across
 * machines and for a supervisor copying its run there. PostgreSQL's client is loaded only then, so
 * that a machine without a shared store pays nothing for it (as open-queue.ts does for the queue).
 */

import type { PostgresRuns } from './postgres/runs.ts';

export type SharedRuns = { runs: PostgresRuns; close: () => Promise<void> };

export async function openSharedRuns(url: string): Promise<SharedRuns> {
  const [{ connectPostgres }, { PostgresRuns }] = await Promise.all([import('./postgres/connect.ts'), import('./postgres/runs.ts')]);
  const { pool } = await connectPostgres(url);
  return { runs: new PostgresRuns(pool), close: () => pool.end() };
}
