/**
 * The queue the commands and the daemon use: the home's own SQLite file by default, or a
 * PostgreSQL shared by several machines when VIGIL_DATABASE_URL names one. PostgreSQL's client is
 * loaded only then, so that `vigil submit` on the default queue stays as quick as it was.
 */

import { hostname } from 'node:os';
import type { QueueRepository } from '../core/queue/repository.ts';
import type { Db } from './database.ts';
import { SqliteQueue } from './queue.ts';

export type QueueHandle = {
  queue: QueueRepository;
  /** This machine's name on a shared queue; null for the home's own queue, whose every job is this machine's. */
  node: string | null;
  /** On a shared queue: calls `changed` when any machine changes the queue; returns the function that stops it. */
  watch: ((changed: () => void, onError: (message: string) => void) => Promise<() => Promise<void>>) | null;
  close(): Promise<void>;
};

/** VIGIL_DATABASE_URL, or null for the default (SQLite in VIGIL_HOME). */
export function sharedQueueUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const url = env.VIGIL_DATABASE_URL?.trim();
  return url ? url : null;
}

/** This machine, as a shared queue names it: VIGIL_NODE, or the hostname. */
export function thisNode(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIGIL_NODE?.trim() || hostname();
}

/** `localDb` opens the home's database: only called for the default queue. */
export async function openQueue(localDb: () => Db, env: NodeJS.ProcessEnv = process.env): Promise<QueueHandle> {
  const url = sharedQueueUrl(env);
  if (url === null) return { queue: new SqliteQueue(localDb()), node: null, watch: null, close: async () => undefined };
  const [{ connectPostgres }, { PostgresQueue }] = await Promise.all([import('./postgres/connect.ts'), import('./postgres/queue.ts')]);
  const { pool, shown } = await connectPostgres(url);
  const queue = new PostgresQueue(pool, { node: thisNode(env), shown });
  return {
    queue,
    node: queue.node,
    watch: (changed, onError) => queue.onChange(changed, onError),
    close: () => queue.close(),
  };
}
