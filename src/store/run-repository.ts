/**
 * Runs, attempts and events as the commands that look across machines read and write them: one
 * interface, two implementations — this machine's SQLite file (sqlite-runs.ts) and the shared
 * PostgreSQL (postgres/runs.ts) — held to one contract by the same tests
 * (test/store/run-repository-contract.ts). Asynchronous for the second; SQLite answers at once.
 * What only a shared store has (heartbeats, group requests, rounds) is PostgresRuns' own.
 */

import type { AttemptRecord, EventRecord, RunRecord } from './runs.ts';

/** A run as a repository gives it: the machine that ran it and when its supervisor last spoke (null where not known). */
export type StoredRun = RunRecord & { node: string | null; heartbeatAt: number | null };

export interface RunRepository {
  /** `node`: the machine recording it (a shared store keeps it; a machine's own file knows it is its own). */
  insertRun(run: RunRecord, node: string): Promise<void>;
  updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): Promise<void>;
  insertAttempt(attempt: AttemptRecord, node: string): Promise<void>;
  updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): Promise<void>;
  addEvent(event: EventRecord, node: string): Promise<void>;
  getRun(id: string): Promise<StoredRun | null>;
  /** Every run of a group, oldest first. */
  groupRuns(groupId: string): Promise<StoredRun[]>;
  /** Newest first; `live`: only those recorded as running. */
  listRuns(options?: { live?: boolean; limit?: number }): Promise<StoredRun[]>;
  attempts(runId: string): Promise<AttemptRecord[]>;
  /** The attempts of many runs at once, by run (every asked run present, perhaps with none). */
  attemptsOf(runIds: readonly string[]): Promise<Map<string, AttemptRecord[]>>;
  /** In order; only one kind when asked. */
  events(runId: string, kind?: string): Promise<EventRecord[]>;
}
