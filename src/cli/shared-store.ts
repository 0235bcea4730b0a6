/** The shared store (VIGIL_DATABASE_URL) for the commands that read or ask across machines; null without one. */

import type { PostgresRuns } from '../store/postgres/runs.ts';
import { sharedQueueUrl } from '../store/open-queue.ts';

export type SharedRuns = { runs: PostgresRuns; close: () => Promise<void> };

export async function openSharedRuns(env: NodeJS.ProcessEnv = process.env): Promise<SharedRuns | null> {
  const url = sharedQueueUrl(env);
  if (url === null) return null;
  const [{ connectPostgres }, { PostgresRuns }] = await Promise.all([
    import('../store/postgres/connect.ts'),
    import('../store/postgres/runs.ts'),
  ]);
  const { pool } = await connectPostgres(url);
  return { runs: new PostgresRuns(pool), close: () => pool.end() };
}
