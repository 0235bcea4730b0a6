/**
 * Runs, attempts and events in the shared PostgreSQL: each node's supervisor records its run here
 * as well as in its own SQLite file (src/supervisor/shared-record.ts), so that every node and any
 * machine with the URL sees the whole group. The rows are the SQLite ones (src/store/runs.ts), the
 * same columns and JSON text, plus the node that wrote them and the supervisor's heartbeat.
 * Every write is idempotent (a retried write after a lost answer changes nothing twice).
 */

import type pg from 'pg';
import type { GroupDecision, RoundReport } from '../../core/group/restart-together.ts';
import type { RunRepository, StoredRun } from '../run-repository.ts';
import { type AttemptRecord, type EventRecord, type RunRecord, startColumns, toAttempt, toEvent, toRun, withoutJson } from '../runs.ts';

/** A run as the shared store has it: the node that ran it and when its supervisor last spoke. */
export type SharedRun = StoredRun;

export type GroupRequest = { id: number; kind: string; at: number; byNode: string; data: unknown };

const RUN_JSON = ['progress', 'flags', 'stages', 'checkpointDirs', 'gitState', 'trainingEnv', 'runtimeEnv'];
const ATTEMPT_JSON = ['diagnosis', 'params', 'fingerprints'];

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `col = $k, …` and the values, from a record's fields (JSON fields as text, `group` as its two columns). */
function setClause(fields: object, json: readonly string[], first: number): { sql: string; values: unknown[] } | null {
  const columns: [string, unknown][] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (key === 'group') {
      const group = value as RunRecord['group'];
      columns.push(['group_id', group?.id ?? null], ['group_member', group ? JSON.stringify(group) : null]);
    } else columns.push([snake(key), json.includes(key) && value !== null ? JSON.stringify(value) : value]);
  }
  if (columns.length === 0) return null;
  return { sql: columns.map(([column], i) => `${column} = $${first + i}`).join(', '), values: columns.map(([, value]) => value) };
}

/** An INSERT of these columns, doing nothing when the row is already there. */
function insertSql(table: string, row: Record<string, unknown>, conflict: string): { sql: string; values: unknown[] } {
  const entries = Object.entries(row);
  return {
    sql: `INSERT INTO ${table} (${entries.map(([column]) => column).join(', ')}) VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')})
          ON CONFLICT ${conflict} DO NOTHING`,
    values: entries.map(([, value]) => value),
  };
}

function toSharedRun(row: Record<string, unknown>): SharedRun {
  return { ...toRun(row), node: (row.node as string | null) ?? null, heartbeatAt: (row.heartbeat_at as number | null) ?? null };
}

export class PostgresRuns implements RunRepository {
  readonly #pool: pg.Pool;
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async insertRun(run: RunRecord, node: string): Promise<void> {
    const columns = Object.fromEntries(Object.entries(withoutJson(run)).map(([key, value]) => [snake(key), value]));
    const { sql, values } = insertSql(
      'runs',
      {
        ...columns,
        command: JSON.stringify(run.command),
        node,
        job_id: run.jobId ?? null,
        group_id: run.group?.id ?? null,
        group_member: run.group ? JSON.stringify(run.group) : null,
        heartbeat_at: Date.now(),
      },
      '(id)',
    );
    await this.#pool.query(sql, values);
  }

  async updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): Promise<void> {
    const set = setClause(fields, RUN_JSON, 2);
    if (set) await this.#pool.query(`UPDATE runs SET ${set.sql} WHERE id = $1`, [id, ...set.values]);
  }

  async insertAttempt(attempt: AttemptRecord, node: string): Promise<void> {
    const columns = Object.fromEntries(Object.entries(startColumns(attempt)).map(([key, value]) => [snake(key), value]));
    const { sql, values } = insertSql('attempts', { ...columns, node }, '(run_id, n)');
    await this.#pool.query(sql, values);
  }

  async updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): Promise<void> {
    const set = setClause(fields, ATTEMPT_JSON, 3);
    if (set) await this.#pool.query(`UPDATE attempts SET ${set.sql} WHERE run_id = $1 AND n = $2`, [runId, n, ...set.values]);
  }

  async addEvent(event: EventRecord, node: string): Promise<void> {
    await this.#pool.query('INSERT INTO events (run_id, node, attempt, at, kind, data) VALUES ($1, $2, $3, $4, $5, $6)', [
      event.runId,
      node,
      event.attempt,
      event.at,
      event.kind,
      event.data === null || event.data === undefined ? null : JSON.stringify(event.data),
    ]);
  }

  /** The supervisor is alive; and what its group asked of its nodes since `afterRequest`. */
  async heartbeat(runId: string, groupId: string | null, afterRequest: number, now = Date.now()): Promise<GroupRequest[]> {
    await this.#pool.query('UPDATE runs SET heartbeat_at = $2 WHERE id = $1', [runId, now]);
    return groupId === null ? [] : this.groupRequests(groupId, afterRequest);
  }

  async getRun(id: string): Promise<SharedRun | null> {
    const { rows } = await this.#pool.query('SELECT * FROM runs WHERE id = $1', [id]);
    return rows[0] ? toSharedRun(rows[0]) : null;
  }

  /** Every node's runs of a group, oldest first. */
  async groupRuns(groupId: string): Promise<SharedRun[]> {
    const { rows } = await this.#pool.query('SELECT * FROM runs WHERE group_id = $1 ORDER BY created_at', [groupId]);
    return rows.map(toSharedRun);
  }

  async listRuns(options: { live?: boolean; limit?: number } = {}): Promise<SharedRun[]> {
    const { rows } = await this.#pool.query(
      `SELECT * FROM runs ${options.live ? "WHERE status = 'running'" : ''} ORDER BY created_at DESC LIMIT $1`,
      [options.limit ?? null],
    );
    return rows.map(toSharedRun);
  }

  async attempts(runId: string): Promise<AttemptRecord[]> {
    const { rows } = await this.#pool.query('SELECT * FROM attempts WHERE run_id = $1 ORDER BY n', [runId]);
    return rows.map(toAttempt);
  }

  /** The attempts of many runs in one query, by run. */
  async attemptsOf(runIds: readonly string[]): Promise<Map<string, AttemptRecord[]>> {
    const { rows } = await this.#pool.query('SELECT * FROM attempts WHERE run_id = ANY($1) ORDER BY run_id, n', [runIds]);
    const byRun = new Map<string, AttemptRecord[]>(runIds.map((id) => [id, []]));
    for (const row of rows) byRun.get(row.run_id as string)?.push(toAttempt(row));
    return byRun;
  }

  async events(runId: string, kind?: string): Promise<EventRecord[]> {
    const { rows } = await this.#pool.query(
      `SELECT * FROM events WHERE run_id = $1 ${kind ? 'AND kind = $2' : ''} ORDER BY at, id`,
      kind ? [runId, kind] : [runId],
    );
    return rows.map(toEvent);
  }

  /** Asks every node of a group (their supervisors read it within a second); the request's id. */
  async requestGroup(groupId: string, kind: 'stop' | 'restart', byNode: string, data: unknown = null): Promise<number> {
    const { rows } = await this.#pool.query<{ id: number }>(
      'INSERT INTO group_requests (group_id, kind, at, by_node, data) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [groupId, kind, Date.now(), byNode, data === null ? null : JSON.stringify(data)],
    );
    return rows[0]!.id;
  }

  async groupRequests(groupId: string, afterId: number): Promise<GroupRequest[]> {
    const { rows } = await this.#pool.query('SELECT * FROM group_requests WHERE group_id = $1 AND id > $2 ORDER BY id', [groupId, afterId]);
    return rows.map((row) => ({
      id: row.id as number,
      kind: row.kind as string,
      at: row.at as number,
      byNode: row.by_node as string,
      data: row.data ? JSON.parse(row.data as string) : null,
    }));
  }

  /** The newest request's id (0: none): a supervisor starting now obeys only what comes after. */
  async lastGroupRequest(groupId: string): Promise<number> {
    const { rows } = await this.#pool.query<{ id: number | null }>('SELECT max(id) AS id FROM group_requests WHERE group_id = $1', [
      groupId,
    ]);
    return rows[0]?.id ?? 0;
  }

  /** One node's report of how its attempt of `round` ended. */
  async reportRound(groupId: string, round: number, report: RoundReport): Promise<void> {
    await this.#pool.query('INSERT INTO group_rounds (group_id, round, run_id, report, at) VALUES ($1, $2, $3, $4, $5)', [
      groupId,
      round,
      report.runId,
      JSON.stringify(report),
      Date.now(),
    ]);
  }

  /** The reports of a round from these runs (a node that reported twice: its newest). */
  async roundReports(groupId: string, round: number, runIds: readonly string[]): Promise<RoundReport[]> {
    const { rows } = await this.#pool.query(
      'SELECT run_id, report FROM group_rounds WHERE group_id = $1 AND round = $2 AND run_id = ANY($3) ORDER BY id',
      [groupId, round, runIds],
    );
    const byRun = new Map(rows.map((row) => [row.run_id as string, JSON.parse(row.report as string) as RoundReport]));
    return [...byRun.values()];
  }

  /** The round's decision for this run, if one was made. */
  async roundDecision(groupId: string, round: number, runId: string): Promise<GroupDecision | null> {
    const { rows } = await this.#pool.query('SELECT decision FROM group_decisions WHERE group_id = $1 AND round = $2 ORDER BY id', [
      groupId,
      round,
    ]);
    return (
      rows.map((row) => JSON.parse(row.decision as string) as GroupDecision).find((decision) => decision.runIds.includes(runId)) ?? null
    );
  }

  /**
   * The round's decision, made once: under a lock on (group, round) the first node to get here
   * computes it from the reports, the others read it.
   */
  async decideRound(
    groupId: string,
    round: number,
    runId: string,
    node: string,
    compute: () => Promise<GroupDecision>,
  ): Promise<GroupDecision> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), $2)', [groupId, round]);
      const { rows } = await client.query('SELECT decision FROM group_decisions WHERE group_id = $1 AND round = $2 ORDER BY id', [
        groupId,
        round,
      ]);
      const made = rows
        .map((row) => JSON.parse(row.decision as string) as GroupDecision)
        .find((decision) => decision.runIds.includes(runId));
      const decision = made ?? (await compute());
      if (!made)
        await client.query('INSERT INTO group_decisions (group_id, round, decision, decided_by, at) VALUES ($1, $2, $3, $4, $5)', [
          groupId,
          round,
          JSON.stringify(decision),
          node,
          Date.now(),
        ]);
      await client.query('COMMIT');
      return decision;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
