/**
 * Reads what the memory of failures is computed from (src/core/memory): the signature parts of
 * every failed attempt and an outline of every run. Computed on read, nothing stored but an
 * index: migration 8 keeps the few fields needed out of each diagnosis in `attempts_failures`,
 * so that reading them parses no JSON (test/store/failure-memory.test.ts measures 10,000 runs).
 */

import type { SeenBeforeOf } from '../core/runs/views.ts';
import type { Fingerprint } from '../core/fingerprint.ts';
import type { FailureRecord, ParamValues, RunOutline } from '../core/memory/records.ts';
import { FailureMemory } from '../core/memory/seen-before.ts';
import type { Db } from './database.ts';

type Row = Record<string, unknown>;

const parsed = <T>(text: unknown): T | null => (typeof text === 'string' ? (JSON.parse(text) as T) : null);

// The very expressions of the index (migrations.ts, version 8): SQLite uses an index on
// expressions only for a query that repeats them, and reads no row when it names no other column.
export const FAILURES_QUERY = `
  SELECT run_id, n, started_at, ended_at, params, fingerprints,
    json_extract(diagnosis, '$.category') AS category,
    json_extract(diagnosis, '$.exception.type') AS exception_type,
    json_extract(diagnosis, '$.exception.message') AS exception_message,
    json_extract(diagnosis, '$.where.file') AS where_file,
    json_extract(diagnosis, '$.where.function') AS where_function
  FROM attempts WHERE json_extract(diagnosis, '$.category') IS NOT NULL`;

export function readFailureRecords(db: Db): FailureRecord[] {
  return (db.prepare(FAILURES_QUERY).all() as Row[]).map((row) => ({
    runId: row.run_id as string,
    n: row.n as number,
    at: (row.ended_at as number | null) ?? (row.started_at as number),
    diagnosis: {
      category: row.category as string,
      exception: typeof row.exception_type === 'string' ? { type: row.exception_type, message: String(row.exception_message ?? '') } : null,
      where: typeof row.where_file === 'string' ? { file: row.where_file, function: String(row.where_function ?? '') } : null,
    },
    params: parsed<ParamValues>(row.params),
    fingerprints: parsed<Fingerprint[]>(row.fingerprints),
  }));
}

/** Each run, with its queued job's declared environment; a run that succeeded, with its last attempt's values. */
export function readRunOutlines(db: Db): RunOutline[] {
  const rows = db
    .prepare(
      `SELECT runs.id, runs.name, runs.command, runs.cwd, runs.created_at, runs.ended_at, runs.status, runs.training_env, jobs.declared_env
       FROM runs LEFT JOIN jobs ON jobs.id = runs.job_id`,
    )
    .all() as Row[];
  // Only what worked is compared with what failed (whose values come with the failure).
  const succeeded = db
    .prepare(
      `SELECT attempts.run_id, attempts.params, attempts.fingerprints FROM runs JOIN attempts ON attempts.run_id = runs.id
       WHERE runs.status = 'succeeded' AND attempts.n = (SELECT max(n) FROM attempts WHERE run_id = runs.id)`,
    )
    .all() as Row[];
  const paramsOf = new Map(succeeded.map((row) => [row.run_id as string, parsed<ParamValues>(row.params)]));
  const fingerprintsOf = new Map(succeeded.map((row) => [row.run_id as string, parsed<Fingerprint[]>(row.fingerprints)]));
  return rows.map((row) => ({
    id: row.id as string,
    name: row.name as string | null,
    command: JSON.parse(row.command as string) as string[],
    cwd: row.cwd as string,
    createdAt: row.created_at as number,
    endedAt: row.ended_at as number | null,
    status: row.status as string,
    // What the queued job declared, else the training variables the run started with.
    declaredEnv: parsed<Record<string, string>>(row.declared_env) ?? parsed<Record<string, string>>(row.training_env),
    params: paramsOf.get(row.id as string) ?? null,
    fingerprints: fingerprintsOf.get(row.id as string) ?? null,
  }));
}

/** Everything remembered of past failures in this home. */
export function loadFailureMemory(db: Db): FailureMemory {
  return new FailureMemory(readFailureRecords(db), readRunOutlines(db));
}

/**
 * Read once for the run, and only when a failed attempt asks (a run that succeeded reads nothing);
 * a store that cannot say (an old read-only one, a failing disk) remembers nothing.
 */
export function seenBeforeOf(db: Db, runId: string): SeenBeforeOf {
  let memory: ReturnType<typeof loadFailureMemory> | null | undefined;
  return (n) => {
    if (memory === undefined) {
      try {
        memory = loadFailureMemory(db);
      } catch {
        memory = null;
      }
    }
    return memory?.seenBefore(runId, n) ?? null;
  };
}
