/**
 * `vigil run`: launches the job in its own session and process group, tags it, keeps its log,
 * watches it to the end, ends every process it left behind, and records what happened. The job
 * never depends on vigil: its output goes straight to a file, so killing vigil costs the job
 * nothing; and nothing that happens to the store ends supervision (store-writer.ts).
 *
 * Read top-down: prepareRun → runAttempt → recordOutcome, with teardown in `finally`.
 */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { type ExitStatus, shellExitCode } from '../core/exit-status.ts';
import type { Progress } from '../core/progress/progress-tracker.ts';
import type { RunFlag } from '../core/runs/flags.ts';
import { describeStopReason } from '../core/runs/stop-reason.ts';
import type { StoredStatus } from '../core/run-status.ts';
import { removeCgroup } from '../platform/cgroup.ts';
import type { ExactJob } from '../platform/exact-launch.ts';
import { substituteCheckpoint } from '../core/checkpoints/placeholder.ts';
import type { MemoryMeasure } from '../platform/memory.ts';
import type { RunStore } from '../store/runs.ts';
import { formatDuration } from '../core/duration.ts';
import { adaptParams, paramEnvironment, type Params, substituteParams } from '../core/restart/params.ts';
import { type AttemptSummary, decideRestart, type RestartPolicy } from '../core/restart/policy.ts';
import type { PreparedRun } from './prepare.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  applyRetention,
  type CheckpointSpec,
  chooseResume,
  forecastCheckpointDisk,
  keepCheckpointsDuringAttempt,
  warnOfDisk,
  type Resume,
  sealAfterAttempt,
} from './resume.ts';
import { type AttemptOutcome, runAttempt } from './attempt.ts';
import type { OutputSink } from './output-sink.ts';
import { prepareRun } from './prepare.ts';
import { type RecordedOutcome, recordAttemptEnd, recordRunEnd } from './record.ts';
import { STOP_REQUEST_FILE, SupervisorSignals } from './signals.ts';
import { StoreWriter } from './store-writer.ts';
import type { RunWatchdog, WatchdogOptions } from './watchdog.ts';

/** The blueprint of a run (torch elastic's WorkerSpec): what to launch and how to watch it. */
export type JobSpec = {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  name: string | null;
  /** VIGIL_HOME, absolute: for messages about its disk. */
  home: string;
  stopTimeoutMs: number;
  saveGraceMs: number;
  logWarnBytes: number;
  useCgroup: boolean;
  echo: boolean;
  watchdog: WatchdogOptions;
  /** Instrument every Python process (faulthandler, stack dumps, exception and import events). */
  pythonHooks: boolean;
  /** The signal the Python hooks dump stacks on, e.g. "SIGUSR2". */
  dumpSignal: string;
  /** The exact bytes of the command and cwd, when some are not valid UTF-8 (`command`/`cwd` then hold lossy text). */
  exact?: ExactJob;
  /** When to start another attempt (`--restart`, `--max-restarts`, `--backoff`, `--retry-on`, `--on` …). */
  restart: RestartPolicy;
  /** `--param NAME=VALUE`: values the command uses as {NAME}, adapted between attempts by `--on` rules. */
  params: Params;
  /** `--checkpoints` (absolute), `--checkpoint-glob`, `--settle`: where the job's checkpoints are, to resume from. */
  checkpoints: CheckpointSpec;
  /** A hangup (closed terminal, dropped SSH session): the job goes on (`ignore`), or is stopped. */
  onHangup: 'ignore' | 'stop';
};

export type RunOutcome = {
  runId: string;
  status: StoredStatus;
  exit: ExitStatus;
  exitCode: number;
  /** Why the job could not be started, when it could not. */
  launchError: Error | null;
  durationMs: number;
  logPath: string;
  peakRssBytes: number;
  peakMemoryMeasure: MemoryMeasure;
  stopReason: string | null;
  survivors: number[];
  diagnosis: Diagnosis | null;
  progress: Progress;
  flags: RunFlag[];
  /** Where the outcome was recorded: the database, or only the run's outcome slot (see outcome-slot.ts). */
  recorded: 'database' | 'slot' | 'lost';
};

export type SuperviseHooks = {
  /** Called once the run is recorded, before the job starts (e.g. to print its id). */
  onStart?: (runId: string, logPath: string) => void;
  onWarning?: (message: string) => void;
  /** The watchdog and the echo, once the job runs (for a live status line). */
  onWatchdog?: (watchdog: RunWatchdog, sink: OutputSink) => void;
  /** A restart decided (or refused), in one line: "attempt 2 in 7s: … — cause nccl_timeout". */
  onRestart?: (line: string) => void;
  /** Called before each echo of the job's output. */
  beforeEcho?: () => void;
};

/** One per process: signal handlers stay installed until vigil exits (see signals.ts). */
const signals = new SupervisorSignals();

export async function superviseRun(spec: JobSpec, store: RunStore, runsDir: string, hooks: SuperviseHooks = {}): Promise<RunOutcome> {
  const warn = (message: string) => hooks.onWarning?.(message);
  const writer = new StoreWriter(store, { home: spec.home, warn });
  signals.install();
  const abandon = new AbortController();
  signals.preparing(() => abandon.abort());
  const run = await prepareRun(spec, store, runsDir, hooks, abandon.signal);
  const stopGuard = keepSupervisingThroughBugs(warn);
  const stopWatching = signals.watchStopRequests(join(run.dir, STOP_REQUEST_FILE));
  try {
    hooks.onStart?.(run.id, `${run.dir}/attempt-1.log`);
    const { last, status, diagnosis, firstStartedAt } = await runAttempts(run, store, writer, hooks);
    const exitCode = shellExitCode(last.exit) ?? 1;
    const recorded = await recordRunEnd(run, last, status, writer, warn, () => signals.recorded(exitCode));
    signals.recorded(exitCode);
    return outcomeFor(run.id, last, diagnosis, recorded, exitCode, firstStartedAt);
  } finally {
    stopWatching();
    stopGuard();
    writer.close();
    if (run.cgroupPath) removeCgroup(run.cgroupPath);
  }
}

/**
 * Attempt after attempt, as the restart policy decides (src/core/restart/policy.ts), until one
 * ends the run. Each attempt is recorded as it ends, with why the next one was or was not started.
 */
async function runAttempts(
  run: PreparedRun,
  store: RunStore,
  writer: StoreWriter,
  hooks: SuperviseHooks,
): Promise<{ last: AttemptOutcome; status: StoredStatus; diagnosis: Diagnosis | null; firstStartedAt: number }> {
  const warn = (message: string) => hooks.onWarning?.(message);
  const history: AttemptSummary[] = [];
  let params = run.spec.params;
  let previous: { attempt: AttemptOutcome; status: StoredStatus; diagnosis: Diagnosis | null } | null = null;
  let chosen: Resume | null = null; // chosen before the backoff, to say it in the restart line
  for (let n = 1; ; n += 1) {
    const resume = chosen ?? (await chooseResume(run, n, substituteParams(run.args, params), writer, warn));
    const disk = await forecastCheckpointDisk(run, previous?.attempt.progress ?? { step: null, total: null }).catch(() => null);
    if (disk?.level === 'fail' && resume.refused === null) {
      // Not even one more checkpoint fits: an attempt now would crash at its next save.
      if (!previous) throw await refuseBeforeStart(run, writer, `not starting: ${disk.message}`, ExitCode.noRoomForCheckpoint);
      writer.updateAttempt(run.id, n - 1, { restartReason: `not restarting: ${disk.message}` });
      hooks.onRestart?.(`not restarting: ${disk.message}`);
      return { last: previous.attempt, status: previous.status, diagnosis: previous.diagnosis, firstStartedAt: history[0]?.startedAt ?? 0 };
    }
    if (resume.refused !== null) {
      // The job's inputs changed since its checkpoint (--on-fingerprint-change refuse): no attempt starts.
      if (!previous) throw await refuseBeforeStart(run, writer, resume.refused, ExitCode.resumeRefused);
      writer.updateAttempt(run.id, n - 1, { restartReason: resume.refused });
      hooks.onRestart?.(`not restarting: ${resume.refused}`);
      return { last: previous.attempt, status: previous.status, diagnosis: previous.diagnosis, firstStartedAt: history[0]?.startedAt ?? 0 };
    }
    const stopHousekeeping = keepCheckpointsDuringAttempt(run, n, writer, warn, (step) => metricNear(store, run, step));
    const attempt = await runAttempt({
      run,
      n,
      writer,
      signals,
      hooks,
      args: resume.args,
      ...(run.spec.exact ? { exact: exactForAttempt(run.spec.exact, params, resume.from?.path ?? null) } : {}),
      env: { ...paramEnvironment(params), ...resume.env },
      params,
      readStopRequest: () => readStopRequest(store, run.id),
    });
    await stopHousekeeping();
    const { status, diagnosis } = recordAttemptEnd(run, attempt, writer, warn);
    await sealAfterAttempt(run, attempt.announcedCheckpoints, resume.fingerprints, warn);
    await applyRetention(run, n, writer, (step) => metricNear(store, run, step));
    warnOfDisk(run, n, await forecastCheckpointDisk(run, attempt.progress).catch(() => null), writer, warn);
    await attempt.drainEcho();
    history.push(summarize(attempt, status, diagnosis));
    previous = { attempt, status, diagnosis };
    const decision = decideRestart(history, run.spec.restart);
    if (decision.kind === 'stop') {
      if (run.spec.restart.mode !== 'no' && status !== 'stopped') writer.updateAttempt(run.id, n, { restartReason: decision.reason });
      if (run.spec.restart.mode !== 'no' && status === 'failed') hooks.onRestart?.(`not restarting: ${decision.reason}`);
      return { last: attempt, status, diagnosis, firstStartedAt: history[0]?.startedAt ?? attempt.startedAt };
    }
    const adapted = decision.adaptive ? adaptParams(params, decision.adaptive) : { params, changes: [] };
    params = adapted.params;
    writer.updateAttempt(run.id, n, { restartReason: decision.reason, restartDelayMs: decision.delayMs });
    chosen = await chooseResume(run, n + 1, substituteParams(run.args, params), writer, warn);
    const cost = chosen.refused === null ? `: ${recordResume(run, history.at(-1) as AttemptSummary, chosen, writer)}` : '';
    const changes = adapted.changes.length > 0 ? `; ${adapted.changes.join(', ')}` : '';
    hooks.onRestart?.(`attempt ${n + 1} in ${formatDuration(decision.delayMs)}${cost} — ${decision.reason}${changes}`);
    if (!(await waitBeforeRestart(decision.delayMs))) {
      writer.updateAttempt(run.id, n, { restartReason: 'stopped by the user during the backoff' });
      return {
        last: { ...attempt, stopReason: { kind: 'signal', signal: 'SIGTERM' } },
        status: 'stopped',
        diagnosis,
        firstStartedAt: history[0]?.startedAt ?? attempt.startedAt,
      };
    }
  }
}

/** The `--best-metric` value the job reported last at or before `step` (from the stored progress), null when unknown. */
function metricNear(store: RunStore, run: PreparedRun, step: number): number | null {
  const name = run.spec.checkpoints.bestMetric;
  if (!name) return null;
  let value: number | null = null;
  try {
    for (const event of store.events(run.id, 'progress')) {
      const progress = event.data as { step: number | null; metrics: Record<string, unknown> };
      const metric = progress.metrics[name];
      if (progress.step !== null && progress.step <= step && typeof metric === 'number') value = metric;
    }
  } catch {
    return null; // a store that cannot be read: keep-best keeps what it cannot rank
  }
  return value;
}

/** The run ends before its first attempt: recorded as failed, and said in one line (exit 9 or 10). */
async function refuseBeforeStart(run: PreparedRun, writer: StoreWriter, reason: string, exitCode: number): Promise<VigilError> {
  const now = Date.now();
  writer.updateRun(run.id, { status: 'failed', endedAt: now, flags: [] });
  writer.addEvent({ runId: run.id, attempt: null, at: now, kind: 'resume_refused', data: { reason } });
  await writer.flush(now + 5000);
  return new VigilError(reason, exitCode);
}

/**
 * {NAME} and {checkpoint} filled into a command that is not all UTF-8, byte for byte: each word
 * as latin1 text (one character per byte), the values as their UTF-8 bytes the same way.
 */
function exactForAttempt(exact: ExactJob, params: Params, checkpoint: string | null): ExactJob {
  const [program, ...words] = exact.command;
  const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
  const byteParams = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, asBytes(String(value))]));
  const filled = substituteCheckpoint(
    substituteParams(
      words.map((word) => word.toString('latin1')),
      byteParams,
    ),
    checkpoint === null ? null : asBytes(checkpoint),
  );
  return { ...exact, command: [program as Buffer, ...filled.map((word) => Buffer.from(word, 'latin1'))] };
}

function summarize(attempt: AttemptOutcome, status: StoredStatus, diagnosis: Diagnosis | null): AttemptSummary {
  return {
    n: attempt.n,
    startedAt: attempt.startedAt,
    endedAt: attempt.endedAt,
    outcome: status === 'succeeded' ? 'succeeded' : status === 'stopped' ? 'stopped' : 'failed',
    category: diagnosis?.category ?? null,
    retryable: diagnosis?.retryable ?? null,
    step: attempt.progress.step,
    checkpointStep: attempt.checkpointStep,
  };
}

/**
 * What the restart costs: where attempt N+1 resumes from, and the progress between that
 * checkpoint and the end of attempt N (all of it when it starts fresh), stored on attempt N.
 * Returns it in words: "resuming from checkpoint-300 (lost 35 steps, 41s)".
 */
function recordResume(run: PreparedRun, previous: AttemptSummary, resume: Resume, writer: StoreWriter): string {
  const reached = previous.step;
  const lostSteps = reached === null ? null : Math.max(0, reached - (resume.from?.step ?? 0));
  const lostSeconds = lostTime(previous, resume) / 1000;
  writer.updateAttempt(run.id, previous.n, { resumedFrom: resume.from?.path ?? null, lostSteps, lostSeconds });
  const from = resume.from ? `resuming from ${basename(resume.from.path)}` : 'starting fresh';
  return `${from} (lost ${lostSteps === null ? 'no counted steps' : `${lostSteps} step${lostSteps === 1 ? '' : 's'}`}, ${formatDuration(lostSeconds * 1000)})`;
}

/** From the checkpoint's writing to the attempt's end (the whole attempt when it starts fresh). */
function lostTime(previous: AttemptSummary, resume: Resume): number {
  const duration = previous.endedAt - previous.startedAt;
  if (!resume.from) return duration;
  try {
    return Math.min(duration, Math.max(0, previous.endedAt - statSync(resume.from.path).mtimeMs));
  } catch {
    return duration;
  }
}

/** The backoff; a stop signal (Ctrl-C, `vigil stop`) during it ends the run instead. False when it did. */
function waitBeforeRestart(delayMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), delayMs);
    signals.running((signal) => {
      if (signal === 'SIGHUP') return;
      clearTimeout(timer);
      resolve(false);
    });
  });
}

function outcomeFor(
  runId: string,
  attempt: AttemptOutcome,
  diagnosis: Diagnosis | null,
  recorded: RecordedOutcome,
  exitCode: number,
  firstStartedAt: number,
): RunOutcome {
  return {
    runId,
    status: recorded.status,
    exit: attempt.exit,
    exitCode,
    launchError: attempt.launchError,
    durationMs: attempt.endedAt - firstStartedAt, // the run's: first attempt's start to the last one's end (runDurationMs)
    logPath: attempt.logPath,
    peakRssBytes: attempt.peakRssBytes,
    peakMemoryMeasure: attempt.peakMemoryMeasure,
    stopReason: attempt.stopReason ? describeStopReason(attempt.stopReason) : null,
    survivors: attempt.survivors,
    diagnosis,
    progress: attempt.progress,
    flags: recorded.flags,
    recorded: recorded.recorded,
  };
}

/**
 * `vigil stop` records its request (and its timeout) before it signals us. Read when a signal
 * arrives; a store that cannot be read makes it a plain signal, never an error.
 */
function readStopRequest(store: RunStore, runId: string): { timeoutMs: number; force: boolean } | null {
  try {
    const request = store.events(runId, 'stop_requested').at(-1);
    if (!request) return null;
    const data = (request.data ?? {}) as { timeout_ms?: number; force?: boolean };
    return { timeoutMs: data.timeout_ms ?? store.getRun(runId)?.stopTimeoutMs ?? 30_000, force: data.force === true };
  } catch {
    return null;
  }
}

/**
 * While a job runs, an unexpected error thrown from a timer or a callback must not end vigil:
 * that would leave the job unwatched, the one thing vigil exists to prevent. It is reported
 * (as the bug it is) and supervision goes on. Returns the function that removes the guard.
 */
function keepSupervisingThroughBugs(warn: (message: string) => void): () => void {
  const onError = (error: unknown) => {
    warn(`internal error (a bug: please report it); supervision goes on: ${(error as Error).stack ?? String(error)}`);
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}
