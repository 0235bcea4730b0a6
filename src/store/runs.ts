/** Reads and writes runs, attempts and events. Every multi-row change is one transaction. */

import type { Fingerprint } from '../core/fingerprint.ts';
import type { GroupMembership } from '../core/group/identity.ts';
import type { RuntimeEnvironment } from '../core/runs/runtime-environment.ts';
import type { AttemptFacts } from '../core/runs/views.ts';
import type { StoredStatus } from '../core/run-status.ts';
import type { Db } from './database.ts';
import { type ProgressPoint, recordProgressPoint } from './progress-series.ts';

export type RunRecord = {
  id: string;
  name: string | null;
  command: string[];
  cwd: string;
  runDir: string;
  status: StoredStatus;
  createdAt: number;
  endedAt: number | null;
  supervisorPid: number | null;
  supervisorStart: string | null;
  cgroupPath: string | null;
  stopTimeoutMs: number;
  exitCode: number | null;
  signal: string | null;
  /** The latest Progress, JSON-shaped (see src/core/progress/progress-tracker.ts). */
  progress?: unknown;
  /** What makes an outcome suspect even when it looks fine: "no_progress", "incomplete", "nan_loss", "hang", … */
  flags?: string[];
  /** Pipeline stages counted by the helper, in pipeline order (see src/core/watchdog/stage-counters.ts). */
  stages?: unknown;
  /** Where the job writes checkpoints (`--checkpoints`, absolute) and `--checkpoint-glob`: for `vigil checkpoints RUN`. */
  checkpointDirs?: string[];
  checkpointGlob?: string | null;
  /** The queued job (src/core/queue/job.ts) this run was started for; null for `vigil run` by hand. */
  jobId?: string | null;
  /** The cwd's git commit and changed tracked files as the run started (null: no checkout, or not asked). */
  gitState?: { commit: string; changed: number | null } | null;
  /** The job's training variables (CUDA_, NCCL_, PYTORCH_…), for what changed between a failure and a success. */
  trainingEnv?: Record<string, string> | null;
  /** What ran the job as the run started (src/platform/runtime-environment.ts), for the incident report. */
  runtimeEnv?: RuntimeEnvironment | null;
  /** The multi-machine job this run is one node of (src/core/group/identity.ts); null: a run alone. */
  group?: GroupMember | null;
};

/** A run's place in its group: the membership, and the node's addresses (to read which peer a log blames). */
export type GroupMember = GroupMembership & { addresses: string[] };

/** An attempt as stored: its facts (src/core/runs/views.ts) and the run it belongs to. */
export type AttemptRecord = AttemptFacts & { runId: string };

export type EventRecord = { runId: string; attempt: number | null; at: number; kind: string; data: unknown };

type Row = Record<string, unknown>;

/** The columns insertRun binds (progress, flags and stages start empty and are set by updateRun). */
export function withoutJson(
  run: RunRecord,
): Omit<
  RunRecord,
  'progress' | 'flags' | 'stages' | 'checkpointDirs' | 'checkpointGlob' | 'jobId' | 'gitState' | 'trainingEnv' | 'runtimeEnv' | 'group'
> {
  const rest = { ...run };
  delete rest.progress;
  delete rest.flags;
  delete rest.stages;
  delete rest.checkpointDirs;
  delete rest.checkpointGlob;
  delete rest.jobId;
  delete rest.gitState;
  delete rest.trainingEnv;
  delete rest.runtimeEnv;
  delete rest.group;
  return rest;
}

/** The columns insertAttempt binds: what is known when it starts (the rest is set by updateAttempt as it becomes known). */
export function startColumns(attempt: AttemptRecord): Record<string, unknown> {
  const { runId, n, pid, pgid, startedAt, endedAt, exitCode, signal, peakRssBytes, logPath, stopReason, diagnosis, params } = attempt;
  return {
    runId,
    n,
    pid,
    pgid,
    startedAt,
    endedAt,
    exitCode,
    signal,
    peakRssBytes,
    logPath,
    stopReason,
    diagnosis: diagnosis === null ? null : JSON.stringify(diagnosis),
    params: params ? JSON.stringify(params) : null,
  };
}

export function toRun(row: Row): RunRecord {
  return {
    id: row.id as string,
    name: row.name as string | null,
    command: JSON.parse(row.command as string) as string[],
    cwd: row.cwd as string,
    runDir: row.run_dir as string,
    status: row.status as StoredStatus,
    createdAt: row.created_at as number,
    endedAt: row.ended_at as number | null,
    supervisorPid: row.supervisor_pid as number | null,
    supervisorStart: row.supervisor_start as string | null,
    cgroupPath: row.cgroup_path as string | null,
    stopTimeoutMs: row.stop_timeout_ms as number,
    exitCode: row.exit_code as number | null,
    signal: row.signal as string | null,
    progress: row.progress ? JSON.parse(row.progress as string) : null,
    flags: JSON.parse((row.flags as string | null) ?? '[]') as string[],
    stages: row.stages ? JSON.parse(row.stages as string) : [],
    checkpointDirs: row.checkpoint_dirs ? (JSON.parse(row.checkpoint_dirs as string) as string[]) : [],
    gitState: row.git_state ? (JSON.parse(row.git_state as string) as RunRecord['gitState']) : null,
    trainingEnv: row.training_env ? (JSON.parse(row.training_env as string) as Record<string, string>) : null,
    runtimeEnv: row.runtime_env ? (JSON.parse(row.runtime_env as string) as RuntimeEnvironment) : null,
    checkpointGlob: (row.checkpoint_glob as string | null | undefined) ?? null,
    jobId: (row.job_id as string | null | undefined) ?? null,
    group: row.group_member ? (JSON.parse(row.group_member as string) as GroupMember) : null,
  };
}

export function toEvent(row: Row): EventRecord {
  return {
    runId: row.run_id as string,
    attempt: row.attempt as number | null,
    at: row.at as number,
    kind: row.kind as string,
    data: row.data ? JSON.parse(row.data as string) : null,
  };
}

export function toAttempt(row: Row): AttemptRecord {
  return {
    runId: row.run_id as string,
    n: row.n as number,
    pid: row.pid as number | null,
    pgid: row.pgid as number | null,
    startedAt: row.started_at as number,
    endedAt: row.ended_at as number | null,
    exitCode: row.exit_code as number | null,
    signal: row.signal as string | null,
    peakRssBytes: row.peak_rss_bytes as number | null,
    memoryMeasure: (row.memory_measure as string | null | undefined) ?? null,
    logPath: row.log_path as string,
    stopReason: row.stop_reason as string | null,
    diagnosis: row.diagnosis ? JSON.parse(row.diagnosis as string) : null,
    params: row.params ? (JSON.parse(row.params as string) as Record<string, number | string>) : null,
    fingerprints: row.fingerprints ? (JSON.parse(row.fingerprints as string) as Fingerprint[]) : null,
    restartReason: (row.restart_reason as string | null | undefined) ?? null,
    restartDelayMs: (row.restart_delay_ms as number | null | undefined) ?? null,
    resumedFrom: (row.resumed_from as string | null | undefined) ?? null,
    lostSteps: (row.lost_steps as number | null | undefined) ?? null,
    lostSeconds: (row.lost_seconds as number | null | undefined) ?? null,
  };
}

/**
 * `column = @key, …` for an update: a column is named as its field in snake_case; the JSON
 * columns are serialised (null stays NULL). Null when there is nothing to set.
 */
function assignments(fields: object, json: readonly string[]): { sql: string; values: Record<string, unknown> } | null {
  const entries = Object.entries(fields);
  if (entries.length === 0) return null;
  const column = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return {
    sql: entries.map(([key]) => `${column(key)} = @${key}`).join(', '),
    values: Object.fromEntries(entries.map(([key, value]) => [key, json.includes(key) && value != null ? JSON.stringify(value) : value])),
  };
}

export class RunStore {
  readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** True on a read-only VIGIL_HOME: callers that would only tidy up (reconciling) must just observe. */
  get readonly(): boolean {
    return this.db.readonly;
  }

  insertRun(run: RunRecord): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, name, command, cwd, run_dir, status, created_at, ended_at, supervisor_pid,
           supervisor_start, cgroup_path, stop_timeout_ms, exit_code, signal, job_id, group_id, group_member)
         VALUES (@id, @name, @command, @cwd, @runDir, @status, @createdAt, @endedAt, @supervisorPid,
           @supervisorStart, @cgroupPath, @stopTimeoutMs, @exitCode, @signal, @jobId, @groupId, @groupMember)`,
      )
      .run({
        ...withoutJson(run),
        command: JSON.stringify(run.command),
        jobId: run.jobId ?? null,
        groupId: run.group?.id ?? null,
        groupMember: run.group ? JSON.stringify(run.group) : null,
      });
  }

  getRun(id: string): RunRecord | null {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row ? toRun(row) : null;
  }

  /** Id, name and creation time of every run: what resolving a user's RUN needs. */
  listRunRefs(): { id: string; name: string | null; createdAt: number }[] {
    return (this.db.prepare('SELECT id, name, created_at FROM runs').all() as Row[]).map((row) => ({
      id: row.id as string,
      name: row.name as string | null,
      createdAt: row.created_at as number,
    }));
  }

  listRuns(options: { onlyStatus?: StoredStatus; limit?: number } = {}): RunRecord[] {
    const where = options.onlyStatus ? 'WHERE status = @status' : '';
    const rows = this.db
      .prepare(`SELECT * FROM runs ${where} ORDER BY created_at DESC LIMIT @limit`)
      .all({ status: options.onlyStatus, limit: options.limit ?? -1 }) as Row[];
    return rows.map(toRun);
  }

  /** The runs of a group, oldest first: each node's, and each requeue's. */
  groupRuns(groupId: string): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs WHERE group_id = ? ORDER BY created_at').all(groupId) as Row[]).map(toRun);
  }

  runsNamed(name: string, status: StoredStatus): RunRecord[] {
    return (this.db.prepare('SELECT * FROM runs WHERE name = ? AND status = ?').all(name, status) as Row[]).map(toRun);
  }

  updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): void {
    const set = assignments(fields, ['progress', 'flags', 'stages', 'checkpointDirs', 'gitState', 'trainingEnv', 'runtimeEnv']);
    if (set) this.db.prepare(`UPDATE runs SET ${set.sql} WHERE id = @id`).run({ ...set.values, id });
  }

  insertAttempt(attempt: AttemptRecord): void {
    this.db
      .prepare(
        `INSERT INTO attempts (run_id, n, pid, pgid, started_at, ended_at, exit_code, signal, peak_rss_bytes, log_path, stop_reason, diagnosis, params)
         VALUES (@runId, @n, @pid, @pgid, @startedAt, @endedAt, @exitCode, @signal, @peakRssBytes, @logPath, @stopReason, @diagnosis, @params)`,
      )
      .run(startColumns(attempt));
  }

  updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): void {
    const set = assignments(fields, ['diagnosis', 'params', 'fingerprints']);
    if (set) this.db.prepare(`UPDATE attempts SET ${set.sql} WHERE run_id = @runId AND n = @n`).run({ ...set.values, runId, n });
  }

  attempts(runId: string): AttemptRecord[] {
    return (this.db.prepare('SELECT * FROM attempts WHERE run_id = ? ORDER BY n').all(runId) as Row[]).map(toAttempt);
  }

  /** Every run's attempts in one query (a listing of a thousand runs asks once, not a thousand times). */
  attemptsByRun(): Map<string, AttemptRecord[]> {
    const byRun = new Map<string, AttemptRecord[]>();
    for (const row of this.db.prepare('SELECT * FROM attempts ORDER BY run_id, n').all() as Row[]) {
      const attempt = toAttempt(row);
      const list = byRun.get(attempt.runId);
      if (list) list.push(attempt);
      else byRun.set(attempt.runId, [attempt]);
    }
    return byRun;
  }

  addEvent(event: EventRecord): void {
    const insert = () =>
      this.db
        .prepare('INSERT INTO events (run_id, attempt, at, kind, data) VALUES (?, ?, ?, ?, ?)')
        .run(event.runId, event.attempt, event.at, event.kind, event.data === undefined ? null : JSON.stringify(event.data));
    const point = event.kind === 'progress' ? progressPointOf(event) : null;
    if (point === null) insert();
    else
      this.db.transaction(() => {
        insert();
        recordProgressPoint(this.db, point); // the chart's copy of the curve (progress-series.ts)
      })();
  }

  events(runId: string, kind?: string): EventRecord[] {
    const rows = (
      kind
        ? this.db.prepare('SELECT * FROM events WHERE run_id = ? AND kind = ? ORDER BY at, id').all(runId, kind)
        : this.db.prepare('SELECT * FROM events WHERE run_id = ? ORDER BY at, id').all(runId)
    ) as Row[];
    return rows.map(toEvent);
  }

  /**
   * A run's events but its progress and stage counts (which a long run stores by the million),
   * oldest first. Asked as three ranges of the (run_id, kind) index around those kinds: NOT IN
   * (or one OR of the ranges) walks every progress entry.
   */
  eventsButProgress(runId: string): EventRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM events WHERE run_id = @runId AND kind < 'progress'
         UNION ALL SELECT * FROM events WHERE run_id = @runId AND kind > 'progress' AND kind < 'stages'
         UNION ALL SELECT * FROM events WHERE run_id = @runId AND kind > 'stages'
         ORDER BY at, id`,
      )
      .all({ runId }) as Row[];
    return rows.map(toEvent);
  }

  /** When `vigil pause` paused the run, unless it was resumed since; null when not paused. (Only a live run is paused: one may end while paused.) */
  pausedSince(runId: string): number | null {
    const row = this.db
      .prepare(`SELECT kind, at FROM events WHERE run_id = ? AND kind IN ('paused', 'resumed') ORDER BY at DESC, id DESC LIMIT 1`)
      .get(runId) as Row | undefined;
    return row?.kind === 'paused' ? (row.at as number) : null;
  }

  /** Runs `work` in a BEGIN IMMEDIATE transaction: the write lock is taken up front. */
  exclusively<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }
}

/** A progress event's point on the loss curve: its step and its loss (null when not finite); null without a step. */
function progressPointOf(event: EventRecord): ProgressPoint | null {
  const data = event.data as { step?: unknown; metrics?: { loss?: unknown } } | null;
  if (typeof data?.step !== 'number') return null;
  const loss = data.metrics?.loss;
  return {
    runId: event.runId,
    attempt: event.attempt ?? 1,
    at: event.at,
    step: data.step,
    loss: typeof loss === 'number' && Number.isFinite(loss) ? loss : null,
  };
}
