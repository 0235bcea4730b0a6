/** The queue in the SQLite file (src/core/queue/repository.ts): one transaction per method. */

import { createHash, randomBytes } from 'node:crypto';
import { type Job, jobIdentity, type JobOutcome, type JobRequest, type JobState } from '../core/queue/job.ts';
import type { QueueRepository, SubmitResult } from '../core/queue/repository.ts';
import { newRunId } from '../core/run-id.ts';
import type { Db } from './database.ts';
import { localRunsOfJob } from './job-runs.ts';

type Row = Record<string, unknown>;

function toJob(row: Row): Job {
  return {
    id: row.id as string,
    seq: row.seq as number,
    name: row.name as string | null,
    priority: row.priority as number,
    gpus: row.gpus as number,
    shareGpus: row.share_gpus === 1,
    after: JSON.parse(row.after as string) as string[],
    command: JSON.parse(row.command as string) as string[],
    cwd: row.cwd as string,
    env: JSON.parse(row.env as string) as Record<string, string>,
    declaredEnv: JSON.parse(row.declared_env as string) as Record<string, string>,
    runOptions: JSON.parse(row.run_options as string) as string[],
    allowDuplicate: row.dedup === 0,
    onSupervisorLoss: row.on_supervisor_loss as Job['onSupervisorLoss'],
    state: row.state as JobState,
    submittedAt: row.submitted_at as number,
    claimedAt: row.claimed_at as number | null,
    claimedBy: null,
    endedAt: row.ended_at as number | null,
    gpuIds: JSON.parse(row.gpu_ids as string) as number[],
    supervisorPid: row.supervisor_pid as number | null,
    supervisorStart: row.supervisor_start as string | null,
    outcome: row.outcome as JobOutcome | null,
    requeues: row.requeues as number,
    waitReason: (row.wait_reason as string | null) ?? null,
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

export class SqliteQueue implements QueueRepository {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  async submit(request: JobRequest, now: number): Promise<SubmitResult> {
    return this.submitNow(request, now);
  }

  /** The same, synchronously: for `vigil submit`, which must return at once. */
  submitNow(request: JobRequest, now: number): SubmitResult {
    const identity = createHash('sha256').update(jobIdentity(request)).digest('hex');
    const insert = this.db.transaction((): SubmitResult => {
      const id = newRunId(randomBytes(6));
      try {
        this.db
          .prepare(
            `INSERT INTO jobs (id, name, priority, gpus, share_gpus, after, command, cwd, env, declared_env, run_options,
               on_supervisor_loss, identity, dedup, state, submitted_at)
             VALUES (@id, @name, @priority, @gpus, @shareGpus, @after, @command, @cwd, @env, @declaredEnv, @runOptions,
               @onSupervisorLoss, @identity, @dedup, 'queued', @now)`,
          )
          .run({
            id,
            name: request.name,
            priority: request.priority,
            gpus: request.gpus,
            shareGpus: request.shareGpus ? 1 : 0,
            after: JSON.stringify(request.after),
            command: JSON.stringify(request.command),
            cwd: request.cwd,
            env: JSON.stringify(request.env),
            declaredEnv: JSON.stringify(request.declaredEnv),
            runOptions: JSON.stringify(request.runOptions),
            onSupervisorLoss: request.onSupervisorLoss,
            identity,
            dedup: request.allowDuplicate ? 0 : 1,
            now,
          });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const live = this.db
          .prepare(`SELECT * FROM jobs WHERE identity = ? AND dedup = 1 AND state IN ('queued', 'claimed')`)
          .get(identity) as Row | undefined;
        if (!live) throw error; // an id collision (2^-48): the caller's retry gets a new id
        return { kind: 'duplicate', of: toJob(live) };
      }
      return { kind: 'queued', job: toJob(this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row) };
    });
    return insert.immediate();
  }

  async get(id: string): Promise<Job | null> {
    return this.getNow(id);
  }

  getNow(id: string): Job | null {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return row ? toJob(row) : null;
  }

  async list(states?: readonly JobState[]): Promise<Job[]> {
    return this.listNow(states);
  }

  listNow(states?: readonly JobState[]): Job[] {
    const rows = states
      ? (this.db.prepare(`SELECT * FROM jobs WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY seq`).all(...states) as Row[])
      : (this.db.prepare('SELECT * FROM jobs ORDER BY seq').all() as Row[]);
    return rows.map(toJob);
  }

  async claim(id: string, gpuIds: readonly number[], now: number): Promise<boolean> {
    const result = this.db
      .prepare(
        `UPDATE jobs SET state = 'claimed', claimed_at = ?, gpu_ids = ?, supervisor_pid = NULL, supervisor_start = NULL
                WHERE id = ? AND state = 'queued'`,
      )
      .run(now, JSON.stringify(gpuIds), id);
    return result.changes === 1;
  }

  async attachSupervisor(id: string, pid: number, start: string | null): Promise<void> {
    this.db.prepare('UPDATE jobs SET supervisor_pid = ?, supervisor_start = ? WHERE id = ?').run(pid, start, id);
  }

  async end(id: string, outcome: JobOutcome, now: number): Promise<void> {
    this.db
      .prepare(`UPDATE jobs SET state = 'ended', outcome = ?, ended_at = ?, gpu_ids = '[]' WHERE id = ? AND state IN ('queued', 'claimed')`)
      .run(outcome, now, id);
  }

  async requeue(id: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE jobs SET state = 'queued', claimed_at = NULL, gpu_ids = '[]', supervisor_pid = NULL, supervisor_start = NULL,
                  requeues = requeues + 1 WHERE id = ? AND state = 'claimed'`,
      )
      .run(id);
  }

  async cancel(id: string, now: number): Promise<boolean> {
    return this.cancelNow(id, now);
  }

  cancelNow(id: string, now: number): boolean {
    const result = this.db
      .prepare(`UPDATE jobs SET state = 'cancelled', outcome = 'cancelled', ended_at = ? WHERE id = ? AND state = 'queued'`)
      .run(now, id);
    return result.changes === 1;
  }

  async setWaitReasons(reasons: ReadonlyMap<string, string>): Promise<void> {
    const set = this.db.prepare('UPDATE jobs SET wait_reason = ? WHERE id = ? AND wait_reason IS NOT ?');
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE jobs SET wait_reason = NULL WHERE wait_reason IS NOT NULL AND state = 'queued' AND id NOT IN (SELECT value FROM json_each(?))`,
        )
        .run(JSON.stringify([...reasons.keys()]));
      for (const [id, reason] of reasons) set.run(reason, id, reason);
    })();
  }

  async runsOf(id: string): Promise<string[]> {
    return this.runsOfNow(id);
  }

  runsOfNow(id: string): string[] {
    return localRunsOfJob(this.db, id);
  }
}
