/**
 * What the dashboard's API answers (see the README's "Dashboard" section): the same views as
 * `vigil ps --json` and `vigil show --json`, with what a page needs besides (a loss sparkline,
 * the cause, ETA, the timeline, checkpoints, the stacks, a downsampled chart series, a log tail).
 * Only reads: the server opens the database as the CLI does, WAL readers never block supervisors.
 * Commands and messages pass through the report's redaction: no secret reaches the page.
 */

import { jobRow } from '../core/queue/views.ts';
import { Redactor, secretValuesOf } from '../core/report/redact.ts';
import { timelineOf } from '../core/report/timeline.ts';
import type { Progress } from '../core/progress/progress-tracker.ts';
import { LIVE_STATUSES } from '../core/run-status.ts';
import { isoTime, runListRow, runView } from '../core/runs/views.ts';
import type { GpuInfo } from '../core/gpus/gpu-info.ts';
import { downsample, type SeriesPoint, type StepRange } from '../core/web/downsample.ts';
import { gpuView, visibleGpus } from '../core/web/gpu-view.ts';
import { SqliteQueue } from '../store/queue.ts';
import { seenBeforeOf } from '../store/failure-memory.ts';
import { readProgressSeries } from '../store/progress-series.ts';
import { attemptFiles, readRunFileEnd } from '../store/run-files.ts';
import type { RunRecord, RunStore } from '../store/runs.ts';
import { observeRun } from '../supervisor/reconcile.ts';

const SPARKLINE_POINTS = 48;
const STACKS_TAIL_BYTES = 64 * 1024;
const DEFAULT_LOG_TAIL = 64 * 1024;
const MAX_LOG_TAIL = 4 * 1024 * 1024;
const TIMELINE_LIMIT = 500;

/** What the page is given of a run is redacted with this: secret-named values and token shapes, and the values of this server's secret variables. */
export const pageRedactor = () => new Redactor(secretValuesOf(process.env));

/** `limit`: the newest so many runs only (the page's first screenful, while the whole list is on its way). */
export function runsPayload(store: RunStore, now: number, limit: number | null = null, gpus: readonly GpuInfo[] | null = null) {
  const sparklines = store.db.prepare(
    `SELECT json_extract(data, '$.metrics.loss') FROM events WHERE run_id = ? AND kind = 'progress' ORDER BY at DESC LIMIT ${SPARKLINE_POINTS}`,
  );
  const redact = pageRedactor();
  const attemptsOf = store.attemptsByRun();
  const runs = store.listRuns(limit === null ? {} : { limit }).map((record) => {
    const run = observeRun(store, record);
    const attempts = attemptsOf.get(run.id) ?? [];
    // Only a live run can be paused: an ended one is not asked.
    const pausedAt = LIVE_STATUSES.includes(run.observedStatus) ? store.pausedSince(run.id) : null;
    const row = runListRow({ run, status: run.observedStatus, attempts, now, pausedAt });
    const progress = (run.progress ?? null) as Progress | null;
    const losses = (sparklines.pluck().all(run.id) as unknown[]).filter((v): v is number => typeof v === 'number').reverse();
    const failed = [...attempts].reverse().find((attempt) => attempt.diagnosis !== null);
    return {
      ...row,
      command: redact.argv(row.command),
      epoch: progress?.epoch ?? null,
      loss: progress?.metrics.loss ?? null,
      rate: progress?.rate ?? null,
      eta_s: etaSeconds(progress),
      restarts: Math.max(0, attempts.length - 1),
      sparkline: losses,
      cause: (failed?.diagnosis as { category?: string } | undefined)?.category ?? null,
      gpus: visibleGpus(run.trainingEnv),
    };
  });
  const queue = new SqliteQueue(store.db);
  const jobs = queue.listNow(['queued', 'claimed']).map((job) => {
    const row = jobRow(job, [], now);
    return { ...row, command: redact.argv(job.command) };
  });
  const total = limit === null ? runs.length : (store.db.prepare('SELECT count(*) FROM runs').pluck().get() as number);
  const live = runs.filter((run) => LIVE_STATUSES.includes(run.status));
  return { now: isoTime(now), total_runs: total, runs, queue: jobs, gpus: gpuView(gpus, live) };
}

function etaSeconds(progress: Progress | null): number | null {
  if (!progress || progress.step === null || progress.total === null || !progress.rate || progress.rate <= 0) return null;
  return Math.max(0, Math.round((progress.total - progress.step) / progress.rate));
}

export function runPayload(store: RunStore, record: RunRecord) {
  const run = observeRun(store, record);
  const attempts = store.attempts(run.id);
  const lastAttempt = attempts.at(-1);
  const events = store.eventsButProgress(run.id);
  const view = runView({
    run,
    status: run.observedStatus,
    livePids: run.livePids,
    attempts,
    exceptions: events.filter((event) => event.kind === 'python_exception'),
    pausedAt: store.pausedSince(run.id),
    seenBefore: seenBeforeOf(store.db, run.id),
  });
  const redact = pageRedactor();
  return redact.deep({
    ...view,
    command: redact.argv(view.command),
    timeline: timelineOf(attempts, events)
      .slice(-TIMELINE_LIMIT)
      .map((entry) => ({ at: isoTime(entry.at), attempt: entry.attempt, kind: entry.kind, summary: entry.text })),
    checkpoints: checkpointsOf(events),
    stacks: readTail(lastAttempt ? attemptFiles(run.runDir, lastAttempt.n).stacks : null, STACKS_TAIL_BYTES)?.text ?? null,
  });
}

/** The checkpoints the run announced, newest first, with what became of them (deleted by retention, quarantined). */
function checkpointsOf(events: readonly { at: number; kind: string; data: unknown }[]) {
  const fate = new Map<string, string>();
  for (const event of events) {
    const data = (event.data ?? {}) as { path?: string; from?: string };
    if (event.kind === 'checkpoint_deleted' && data.path) fate.set(data.path, 'deleted');
    if (event.kind === 'checkpoint_quarantined' && data.from) fate.set(data.from, 'quarantined');
  }
  return events
    .filter((event) => event.kind === 'checkpoint')
    .map((event) => {
      const data = event.data as { path: string; step: number | null };
      return { path: data.path, step: data.step ?? null, at: isoTime(event.at), status: fate.get(data.path) ?? 'saved' };
    })
    .reverse();
}

/** The loss over steps, every attempt, downsampled to about two points per pixel; restarts, stalls, NaN and checkpoints as markers. */
export function seriesPayload(store: RunStore, record: RunRecord, width: number, range: StepRange | null) {
  const { points: kept, total } = readProgressSeries(store.db, record.id, width, range) ?? seriesFromEvents(store, record.id, width, range);
  const attempts = store.attempts(record.id);
  const marks = store.db
    .prepare(
      `SELECT at, attempt, kind, data FROM events WHERE run_id = ? AND kind IN ('hang', 'startup_stall', 'nan_loss', 'checkpoint') ORDER BY at, id`,
    )
    .all(record.id) as { at: number; attempt: number | null; kind: string; data: string | null }[];
  // Markers are placed by the points drawn (the nearest before them): close enough at any zoom.
  const stepAt = (at: number) => kept.findLast((p) => p.at <= at)?.step ?? null;
  const marker = (mark: (typeof marks)[number]) => {
    const data = mark.data ? (JSON.parse(mark.data) as { step?: number }) : {};
    return { attempt: mark.attempt, at: mark.at, step: data.step ?? stepAt(mark.at) };
  };
  return {
    total_points: total,
    attempts: attempts.map((a) => ({ n: a.n, started_at: isoTime(a.startedAt), ended_at: isoTime(a.endedAt) })),
    points: {
      step: kept.map((p) => p.step),
      loss: kept.map((p) => p.loss),
      at: kept.map((p) => p.at),
      attempt: kept.map((p) => p.attempt),
    },
    markers: {
      restarts: attempts.slice(1).map((a) => ({ attempt: a.n, at: a.startedAt, step: stepAt(a.startedAt) })),
      stalls: marks
        .filter((m) => m.kind === 'hang' || m.kind === 'startup_stall')
        .map((m) => ({ attempt: m.attempt, from: m.at, to: kept.find((p) => p.at > m.at && p.attempt === m.attempt)?.at ?? null })),
      nan: marks.filter((m) => m.kind === 'nan_loss').map(marker),
      checkpoints: marks.filter((m) => m.kind === 'checkpoint').map(marker),
    },
  };
}

/** A run recorded before the chart tables existed: its progress events, downsampled here (slower on long runs). */
function seriesFromEvents(
  store: RunStore,
  runId: string,
  width: number,
  range: StepRange | null,
): { points: SeriesPoint[]; total: number } {
  const rows = store.db
    .prepare(
      `SELECT at, attempt, json_extract(data, '$.step'), json_extract(data, '$.metrics.loss')
         FROM events WHERE run_id = ? AND kind = 'progress' ORDER BY at, id`,
    )
    .raw()
    .all(runId) as [number, number | null, unknown, unknown][];
  const points: SeriesPoint[] = [];
  for (const [at, attempt, step, loss] of rows)
    if (typeof step === 'number') points.push({ at, attempt: attempt ?? 1, step, loss: typeof loss === 'number' ? loss : null });
  return { points: downsample(points, width, range), total: points.length };
}

/** The last `tail` bytes of attempt N's log (the last attempt's when N is not given). */
export function logPayload(store: RunStore, record: RunRecord, attemptN: number | null, tail: number) {
  const attempts = store.attempts(record.id);
  const attempt = attemptN === null ? attempts.at(-1) : attempts.find((a) => a.n === attemptN);
  if (!attempt) return null;
  const read = readTail(attempt.logPath, Math.min(MAX_LOG_TAIL, tail > 0 ? tail : DEFAULT_LOG_TAIL));
  return { attempt: attempt.n, size: read?.size ?? 0, offset: read?.offset ?? 0, text: pageRedactor().text(read?.text ?? '') };
}

/** The end of a run file, from a line start when it is cut; null when there is none (or it is no plain file). */
export function readTail(path: string | null, bytes: number): { size: number; offset: number; text: string } | null {
  if (path === null) return null;
  let end: ReturnType<typeof readRunFileEnd>;
  try {
    end = readRunFileEnd(path, bytes);
  } catch {
    return null;
  }
  const newline = end.start > 0 ? end.bytes.indexOf(0x0a) : -1;
  const from = newline >= 0 ? newline + 1 : 0;
  return { size: end.size, offset: end.start + from, text: end.bytes.subarray(from).toString('utf8') };
}
