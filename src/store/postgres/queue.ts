/**
 * The queue in PostgreSQL (src/core/queue/repository.ts), shared by the daemons of several
 * machines: one transaction per method. A claim locks the job's row with `FOR UPDATE SKIP
 * LOCKED`: concurrent claimers never wait on each other, and exactly one wins. The duplicate rule
 * is SQLite's: a partial unique index over the identity of live jobs.
 *
 * Every change another process should react to is announced with NOTIFY (delivered at commit):
 * a daemon LISTENs (onChange), as it hears its own machine's submits on its socket.
 */

import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { type Job, jobIdentity, type JobOutcome, type JobRequest, type JobState } from '../../core/queue/job.ts';
import type { QueueRepository, SubmitResult } from '../../core/queue/repository.ts';
import { newRunId } from '../../core/run-id.ts';
import { postgresErrorToVigilError } from './connect.ts';

type Row = Record<string, unknown>;

const CHANNEL = 'vigil_queue';
/** Any fixed number: the key of the lock that makes writers of wait reasons take turns (no deadlock between two daemons). */
const WAIT_REASONS_LOCK = 0x7669_6770;

/** BIGINT and its kin arrive as strings (they may exceed 2^53; ms times and seqs do not). */
const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function toJob(row: Row): Job {
  return {
    id: row.id as string,
    seq: num(row.seq),
    name: row.name as string | null,
    priority: row.priority as number,
    gpus: row.gpus as number,
    shareGpus: row.share_gpus as boolean,
    after: row.after as string[],
    command: row.command as string[],
    cwd: row.cwd as string,
    env: row.env as Record<string, string>,
    declaredEnv: row.declared_env as Record<string, string>,
    runOptions: row.run_options as string[],
    allowDuplicate: row.dedup === false,
    onSupervisorLoss: row.on_supervisor_loss as Job['onSupervisorLoss'],
    state: row.state as JobState,
    submittedAt: num(row.submitted_at),
    claimedAt: numOrNull(row.claimed_at),
    claimedBy: row.claimed_by as string | null,
    endedAt: numOrNull(row.ended_at),
    gpuIds: row.gpu_ids as number[],
    supervisorPid: row.supervisor_pid as number | null,
    supervisorStart: row.supervisor_start as string | null,
    outcome: row.outcome as JobOutcome | null,
    requeues: row.requeues as number,
    waitReason: row.wait_reason as string | null,
  };
}

export type PostgresQueueOptions = {
  /** This machine (VIGIL_NODE, or the hostname): recorded as claimed_by by its claims. */
  node: string;
  /** The URL as it may be shown in messages (no password). */
  shown: string;
};

export class PostgresQueue implements QueueRepository {
  readonly node: string;
  readonly #pool: pg.Pool;
  readonly #shown: string;

  constructor(pool: pg.Pool, options: PostgresQueueOptions) {
    this.#pool = pool;
    this.node = options.node;
    this.#shown = options.shown;
  }

  async submit(request: JobRequest, now: number): Promise<SubmitResult> {
    const identity = createHash('sha256').update(jobIdentity(request)).digest('hex');
    return this.#transaction(async (client) => {
      // An id collision (2^-48) is a conflict too, and no live duplicate is found: a new id is tried.
      for (;;) {
        const inserted = await client.query(
          `INSERT INTO jobs (id, name, priority, gpus, share_gpus, "after", command, cwd, env, declared_env, run_options,
             on_supervisor_loss, identity, dedup, state, submitted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'queued', $15)
           ON CONFLICT DO NOTHING RETURNING *`,
          [
            newRunId(randomBytes(6)),
            request.name,
            request.priority,
            request.gpus,
            request.shareGpus,
            JSON.stringify(request.after),
            JSON.stringify(request.command),
            request.cwd,
            JSON.stringify(request.env),
            JSON.stringify(request.declaredEnv),
            JSON.stringify(request.runOptions),
            request.onSupervisorLoss,
            identity,
            !request.allowDuplicate,
            now,
          ],
        );
        if (inserted.rows[0]) {
          await client.query(`SELECT pg_notify($1, 'submit')`, [CHANNEL]);
          return { kind: 'queued', job: toJob(inserted.rows[0]) };
        }
        if (request.allowDuplicate) continue;
        const live = await client.query(`SELECT * FROM jobs WHERE identity = $1 AND dedup AND state IN ('queued', 'claimed')`, [identity]);
        if (live.rows[0]) return { kind: 'duplicate', of: toJob(live.rows[0]) };
      }
    });
  }

  async get(id: string): Promise<Job | null> {
    const { rows } = await this.#query('SELECT * FROM jobs WHERE id = $1', [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  async list(states?: readonly JobState[]): Promise<Job[]> {
    const { rows } = states
      ? await this.#query('SELECT * FROM jobs WHERE state = ANY($1) ORDER BY seq', [states])
      : await this.#query('SELECT * FROM jobs ORDER BY seq');
    return rows.map(toJob);
  }

  async claim(id: string, gpuIds: readonly number[], now: number): Promise<boolean> {
    const { rowCount } = await this.#query(
      `UPDATE jobs SET state = 'claimed', claimed_at = $2, claimed_by = $3, gpu_ids = $4, supervisor_pid = NULL, supervisor_start = NULL
        WHERE id = (SELECT id FROM jobs WHERE id = $1 AND state = 'queued' FOR UPDATE SKIP LOCKED)`,
      [id, now, this.node, JSON.stringify(gpuIds)],
    );
    return rowCount === 1;
  }

  async attachSupervisor(id: string, pid: number, start: string | null): Promise<void> {
    await this.#query('UPDATE jobs SET supervisor_pid = $2, supervisor_start = $3 WHERE id = $1', [id, pid, start]);
  }

  async end(id: string, outcome: JobOutcome, now: number): Promise<void> {
    // Jobs that run --after it, on any machine, may start (or fail) now.
    await this.#transaction(async (client) => {
      await client.query(
        `UPDATE jobs SET state = 'ended', outcome = $2, ended_at = $3, gpu_ids = '[]' WHERE id = $1 AND state IN ('queued', 'claimed')`,
        [id, outcome, now],
      );
      await client.query(`SELECT pg_notify($1, 'end')`, [CHANNEL]);
    });
  }

  async requeue(id: string): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(
        `UPDATE jobs SET state = 'queued', claimed_at = NULL, claimed_by = NULL, gpu_ids = '[]', supervisor_pid = NULL,
                supervisor_start = NULL, requeues = requeues + 1 WHERE id = $1 AND state = 'claimed'`,
        [id],
      );
      await client.query(`SELECT pg_notify($1, 'requeue')`, [CHANNEL]);
    });
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return this.#transaction(async (client) => {
      const { rowCount } = await client.query(
        `UPDATE jobs SET state = 'cancelled', outcome = 'cancelled', ended_at = $2 WHERE id = $1 AND state = 'queued'`,
        [id, now],
      );
      if (rowCount === 1) await client.query(`SELECT pg_notify($1, 'cancel')`, [CHANNEL]);
      return rowCount === 1;
    });
  }

  async setWaitReasons(reasons: ReadonlyMap<string, string>): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [WAIT_REASONS_LOCK]);
      // Rows a claim holds are skipped: a reason for a job being started elsewhere is moot.
      await client.query(
        `UPDATE jobs SET wait_reason = NULL WHERE id IN (
           SELECT id FROM jobs WHERE wait_reason IS NOT NULL AND state = 'queued' AND NOT (id = ANY($1)) FOR UPDATE SKIP LOCKED)`,
        [[...reasons.keys()]],
      );
      await client.query(
        `UPDATE jobs SET wait_reason = given.reason FROM unnest($1::text[], $2::text[]) AS given (id, reason)
          WHERE jobs.id IN (SELECT id FROM jobs WHERE id = ANY($1) FOR UPDATE SKIP LOCKED)
            AND jobs.id = given.id AND jobs.wait_reason IS DISTINCT FROM given.reason`,
        [[...reasons.keys()], [...reasons.values()]],
      );
    });
  }

  async runsOf(id: string): Promise<string[]> {
    const { rows } = await this.#query('SELECT id FROM runs WHERE job_id = $1 ORDER BY created_at', [id]);
    return rows.map((row) => row.id as string);
  }

  /**
   * Calls `changed` whenever any machine submits, ends, requeues or cancels a job (LISTEN on a
   * connection of its own, opened again if lost). Returns the function that stops listening.
   */
  async onChange(changed: () => void, onError: (message: string) => void): Promise<() => Promise<void>> {
    let client: pg.PoolClient | null = null;
    let closed = false;
    const listen = async (): Promise<void> => {
      try {
        const next = await this.#pool.connect();
        next.on('notification', () => changed());
        next.on('error', (error) => {
          onError(`lost the shared queue's notifications (${error.message}); listening again`);
          next.release(error);
          if (client === next) client = null;
          if (!closed) setTimeout(() => void listen(), 1000).unref();
        });
        await next.query(`LISTEN ${CHANNEL}`);
        client = next;
        changed(); // what changed while nobody listened
      } catch (error) {
        onError(`cannot listen to the shared queue (${(error as Error).message}); trying again`);
        if (!closed) setTimeout(() => void listen(), 1000).unref();
      }
    };
    await listen();
    return async () => {
      closed = true;
      const last = client as pg.PoolClient | null;
      client = null;
      if (last) {
        await last.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        last.release();
      }
    };
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #query(text: string, values?: unknown[]): Promise<pg.QueryResult<Row>> {
    try {
      return await this.#pool.query<Row>(text, values);
    } catch (error) {
      throw postgresErrorToVigilError(error, this.#shown) ?? error;
    }
  }

  async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw postgresErrorToVigilError(error, this.#shown) ?? error;
    }
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw postgresErrorToVigilError(error, this.#shown) ?? error;
    } finally {
      client.release();
    }
  }
}
