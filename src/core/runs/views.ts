/**
 * The JSON views of runs: `vigil show --json` (runView) and `vigil ps --json` (runListRow), built
 * from plain records so that the CLI, a daemon and a web page print the same thing. The input
 * types are structural: the store's records satisfy them without this module knowing the store.
 * Keys are snake_case and times ISO strings; a key once published is never renamed.
 */

import type { Fingerprint } from '../fingerprint.ts';
import type { SeenBefore } from '../memory/seen-before.ts';
import type { Progress } from '../progress/progress-tracker.ts';
import { LIVE_STATUSES, type RunStatus } from '../run-status.ts';
import type { StageSnapshot } from '../watchdog/stage-counters.ts';

export type RunFacts = {
  id: string;
  name: string | null;
  command: readonly string[];
  cwd: string;
  runDir: string;
  createdAt: number;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  cgroupPath: string | null;
  progress?: unknown;
  flags?: readonly string[];
  stages?: unknown;
  /** The group this run is one node of (src/core/group/identity.ts). */
  group?: { id: string; node: string; nodeRank: number | null } | null;
};

export type AttemptFacts = {
  n: number;
  pid: number | null;
  pgid: number | null;
  startedAt: number;
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  /** The peak memory of the process tree, in bytes, as `memoryMeasure` measured it. */
  peakRssBytes: number | null;
  /** 'pss', 'cgroup' or 'rss' (see src/platform/memory.ts); null for attempts recorded before it was stored. */
  memoryMeasure?: string | null;
  logPath: string;
  /** Why vigil stopped it ("SIGINT", "vigil stop", "hang", …: describeStopReason), null when it ended on its own. */
  stopReason: string | null;
  diagnosis: unknown;
  /** The adaptive values (`--param`) this attempt ran with. */
  params?: Readonly<Record<string, number | string>> | null;
  /** The inputs' fingerprints it ran with (`--fingerprint`), for what changed between a failure and a success. */
  fingerprints?: readonly Fingerprint[] | null;
  /** Why the next attempt was (or was not) started, after what delay. */
  restartReason?: string | null;
  restartDelayMs?: number | null;
  /** The checkpoint the next attempt resumed from (null: it started fresh), and the progress lost in between. */
  resumedFrom?: string | null;
  lostSteps?: number | null;
  lostSeconds?: number | null;
};

/** A `python_exception` event: data is what the watchdog stored ({pid, process, thread, type, message}). */
export type ExceptionEventFacts = { attempt: number | null; at: number; data: unknown };

export type ExceptionView = {
  attempt: number | null;
  at: string | null;
  pid?: number;
  process: string;
  thread: string;
  type: string;
  message: string;
};

export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * How long a run took: from the start of its first attempt to the end of its last (the time
 * vigil spent setting up before the job started is not the job's). Null while it runs, or
 * when no attempt ever started. `vigil run`'s summary and `vigil show` both say this.
 */
export function runDurationMs(attempts: readonly Pick<AttemptFacts, 'startedAt' | 'endedAt'>[]): number | null {
  const first = attempts[0];
  const last = attempts.at(-1);
  if (!first || !last || last.endedAt === null) return null;
  return last.endedAt - first.startedAt;
}

/** What is remembered of attempt N's failure (src/core/memory/seen-before.ts). */
export type SeenBeforeOf = (n: number) => SeenBefore | null;

/** With `seenBefore`, a failed attempt's diagnosis gains `seen_before` (null: a failure not seen before). */
export function attemptView(attempt: AttemptFacts, seenBefore?: SeenBeforeOf) {
  return {
    n: attempt.n,
    pid: attempt.pid,
    pgid: attempt.pgid,
    exit_code: attempt.exitCode,
    signal: attempt.signal,
    started_at: isoTime(attempt.startedAt),
    ended_at: isoTime(attempt.endedAt),
    duration_ms: runDurationMs([attempt]),
    peak_rss_bytes: attempt.peakRssBytes,
    /** How peak_rss_bytes was measured: `pss`, `cgroup`, or `rss` (the sum of RSS, and what runs recorded before it was stored used). */
    peak_memory_measure: attempt.memoryMeasure ?? (attempt.peakRssBytes === null ? null : 'rss'),
    log_path: attempt.logPath,
    stop_reason: attempt.stopReason,
    diagnosis:
      seenBefore && attempt.diagnosis
        ? { ...(attempt.diagnosis as Record<string, unknown>), seen_before: seenBefore(attempt.n) }
        : attempt.diagnosis,
    params: attempt.params ?? null,
    /** The inputs' fingerprints it ran with (`--fingerprint`): path, kind, bytes, files, sha256. */
    fingerprints: attempt.fingerprints ?? null,
    restart_reason: attempt.restartReason ?? null,
    restart_delay_ms: attempt.restartDelayMs ?? null,
    resumed_from: attempt.resumedFrom ?? null,
    lost_steps: attempt.lostSteps ?? null,
    lost_seconds: attempt.lostSeconds ?? null,
  };
}

export type RunViewInput = {
  run: RunFacts;
  /** The status observed now (`orphaned` is never stored). */
  status: RunStatus;
  livePids: readonly number[];
  attempts: readonly AttemptFacts[];
  exceptions: readonly ExceptionEventFacts[];
  /** When `vigil pause` paused it (RunStore.pausedSince), null or absent when it is not paused. */
  pausedAt?: number | null;
  seenBefore?: SeenBeforeOf;
};

/** Paused (`vigil pause`) is a live run's state alongside its status, which stays `running`: scripts that test the status keep working. */
function pausedAt(status: RunStatus, at: number | null | undefined): number | null {
  return LIVE_STATUSES.includes(status) && at != null ? at : null;
}

/** One run, everything known of it: `vigil show --json`. */
export function runView({ run, status, livePids, attempts, exceptions, pausedAt: pausedSince, seenBefore }: RunViewInput) {
  const paused = pausedAt(status, pausedSince);
  return {
    id: run.id,
    name: run.name,
    status,
    paused: paused !== null,
    paused_at: isoTime(paused),
    command: run.command,
    cwd: run.cwd,
    run_dir: run.runDir,
    log_path: attempts.at(-1)?.logPath ?? null,
    created_at: isoTime(run.createdAt),
    ended_at: isoTime(run.endedAt),
    duration_ms: runDurationMs(attempts),
    exit_code: run.exitCode,
    signal: run.signal,
    cgroup: run.cgroupPath,
    live_pids: livePids,
    progress: (run.progress ?? null) as Progress | null,
    flags: run.flags ?? [],
    stages: (run.stages ?? []) as StageSnapshot[],
    exceptions: exceptions.map((event): ExceptionView => ({
      attempt: event.attempt,
      at: isoTime(event.at),
      ...(event.data as Omit<ExceptionView, 'attempt' | 'at'>),
    })),
    attempts: attempts.map((attempt) => attemptView(attempt, seenBefore)),
  };
}

export type RunView = ReturnType<typeof runView>;

export type RunListRowInput = {
  run: RunFacts;
  status: RunStatus;
  attempts: readonly AttemptFacts[];
  now: number;
  /** When `vigil pause` paused it (RunStore.pausedSince), null or absent when it is not paused. */
  pausedAt?: number | null;
};

/** One line of `vigil ps --json`. */
export function runListRow({ run, status, attempts, now, pausedAt: pausedSince }: RunListRowInput) {
  const progress = (run.progress ?? null) as Progress | null;
  return {
    id: run.id,
    name: run.name,
    status,
    paused: pausedAt(status, pausedSince) !== null,
    pid: attempts.at(-1)?.pid ?? null,
    created_at: isoTime(run.createdAt),
    ended_at: isoTime(run.endedAt),
    age_ms: now - run.createdAt,
    attempts: attempts.length,
    flags: run.flags ?? [],
    step: progress?.step ?? null,
    total: progress?.total ?? null,
    group: run.group ? { id: run.group.id, node: run.group.node, node_rank: run.group.nodeRank } : null,
    command: run.command,
  };
}

export type RunListRow = ReturnType<typeof runListRow>;
