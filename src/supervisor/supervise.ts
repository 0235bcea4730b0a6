/**
 * `vigil run`: launches the job in its own session and process group, tags it, keeps its log,
 * watches it to the end, ends every process it left behind, and records what happened. The job
 * never depends on vigil: its output goes straight to a file, so killing vigil costs the job
 * nothing; and nothing that happens to the store ends supervision (store-writer.ts).
 *
 * Read top-down: prepareRun → runAttempts (attempt-loop.ts) → recordRunEnd, with teardown in `finally`.
 */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { type ExitStatus, shellExitCode } from '../core/exit-status.ts';
import type { Progress } from '../core/progress/progress-tracker.ts';
import type { RunFlag } from '../core/runs/flags.ts';
import { describeStopReason } from '../core/runs/stop-reason.ts';
import type { StoredStatus } from '../core/run-status.ts';
import { removeCgroup } from '../platform/cgroup.ts';
import type { ExactJob } from '../platform/exact-launch.ts';
import type { Params } from '../core/restart/params.ts';
import type { RestartPolicy } from '../core/restart/policy.ts';
import { join } from 'node:path';
import type { MemoryMeasure } from '../platform/memory.ts';
import type { GroupMember, RunRecord, RunStore } from '../store/runs.ts';
import { sharedQueueUrl, thisNode } from '../store/open-queue.ts';
import { sharedRecordFor } from './shared-record.ts';
import type { GroupRequest } from '../store/postgres/runs.ts';
import { GroupRestart } from './group-restart.ts';
import { askThroughFile, RESTART_REQUEST_FILE } from './request-file.ts';
import { askToStop } from './stop-request.ts';
import type { CheckpointSpec } from './resume.ts';
import type { AttemptOutcome } from './attempt.ts';
import { runAttempts } from './attempt-loop.ts';
import type { OutputSink } from './output-sink.ts';
import { prepareRun } from './prepare.ts';
import { type RecordedOutcome, recordRunEnd } from './record.ts';
import { STOP_REQUEST_FILE, SupervisorSignals } from './signals.ts';
import { StoreWriter } from './store-writer.ts';
import { linkToDaemon } from './daemon-link.ts';
import { recordRunContext } from './run-context.ts';
import { ALERT_FLUSH_MS, type AlertSettings, alerterFor } from './alerter.ts';
import { daemonPaths } from '../store/paths.ts';
import type { RunWatchdog } from './watchdog.ts';
import type { WatchdogSettings } from '../core/watchdog/settings.ts';
import { SlurmEdge, type SlurmSettings } from './slurm.ts';

/** The blueprint of a run (torch elastic's WorkerSpec): what to launch and how to watch it. */
export type JobSpec = {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  name: string | null;
  /** The queued job this run is for (src/core/queue/job.ts): its supervisor stays linked to the daemon. */
  jobId: string | null;
  /** The job over several machines this run is one node of; null: a run alone. */
  group?: GroupMember | null;
  /** The shared store's URL (`--database`, `database:`), over VIGIL_DATABASE_URL. */
  sharedStore?: string;
  /** VIGIL_HOME, absolute: for messages about its disk. */
  home: string;
  stopTimeoutMs: number;
  saveGraceMs: number;
  logWarnBytes: number;
  useCgroup: boolean;
  echo: boolean;
  watchdog: WatchdogSettings;
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
  /** `--notify`, `--heartbeat`: who hears of the run's failures, stalls and restarts (supervisor/alerter.ts). */
  alerts?: AlertSettings;
  /** Inside a Slurm job (SLURM_JOB_ID): its warning signal and whether to requeue after the save (supervisor/slurm.ts). */
  slurm?: SlurmSettings;
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
  /** An attempt failed and another follows: its diagnosis is recorded (e.g. to say whether it was seen before, at once). */
  onFailedBeforeRestart?: (runId: string, n: number) => void;
  /** Called before each echo of the job's output. */
  beforeEcho?: () => void;
};

/** How long a group's restart request waits for this node's attempt to take it. */
const GROUP_RESTART_TAKE_MS = 2000;

/** How long a failed job's end waits to read its group's requests (a stop asked just before, see AttemptContext.stopAskedBetween). */
const LATE_REQUEST_WAIT_MS = 1500;

/** How long the run's end waits for the shared store to take what it holds (the local record has it all anyway). */
const SHARED_FLUSH_MS = 3000;

/** One per process: signal handlers stay installed until vigil exits (see signals.ts). */
const signals = new SupervisorSignals();

export async function superviseRun(spec: JobSpec, store: RunStore, runsDir: string, hooks: SuperviseHooks = {}): Promise<RunOutcome> {
  const warn = (message: string) => hooks.onWarning?.(message);
  const alerter = alerterFor(spec.alerts, spec.name, warn);
  const shared = sharedRecordFor(spec.sharedStore ?? sharedQueueUrl(spec.env), spec.group?.node ?? thisNode(spec.env), warn);
  const writer = new StoreWriter(store, { home: spec.home, warn, mirror: shared, ...(alerter ? { observe: alerter.observe } : {}) });
  signals.install();
  const abandon = new AbortController();
  signals.preparing(() => abandon.abort());
  const run = await prepareRun(spec, store, runsDir, hooks, abandon.signal);
  const groupRequests = groupRequestHandler(run, spec.stopTimeoutMs, writer, warn);
  shared?.runStarted(store.getRun(run.id) as RunRecord, groupRequests.take);
  const stopGuard = keepSupervisingThroughBugs(warn);
  const stopWatching = signals.watchStopRequests(join(run.dir, STOP_REQUEST_FILE));
  // For a supervisor that adopts the run if this one dies: it watches the job as this one would.
  writer.addEvent({ runId: run.id, attempt: null, at: Date.now(), kind: 'watch_settings', data: spec.watchdog });
  const unlink = spec.jobId === null ? () => undefined : linkToDaemon(daemonPaths(spec.home).socket, spec.jobId);
  const context = recordRunContext(spec, run.id, writer);
  const slurm = await SlurmEdge.start(spec.env, spec.slurm, run, writer, spec.stopTimeoutMs, warn);
  const attemptHooks: SuperviseHooks = slurm ? { ...hooks, onWatchdog: (w, sink) => (slurm.watch(w), hooks.onWatchdog?.(w, sink)) } : hooks;
  try {
    hooks.onStart?.(run.id, `${run.dir}/attempt-1.log`);
    const readStopRequest = () => readStopRequestOf(store, run.id);
    const { last, status, diagnosis, firstStartedAt } = await runAttempts({
      run,
      store,
      writer,
      signals,
      hooks: attemptHooks,
      readStopRequest,
      ...(shared && spec.group
        ? {
            stopAskedBetween: async (from: number, to: number) => {
              await shared.readRequestsNow(LATE_REQUEST_WAIT_MS);
              return groupRequests.stopAskedBetween(from, to);
            },
          }
        : {}),
      group: shared && spec.group && spec.restart.mode !== 'no' ? new GroupRestart(shared, run.id, spec.group, spec.restart, warn) : null,
    });
    const exitCode = shellExitCode(last.exit) ?? 1;
    const recorded = await recordRunEnd(run, last, status, writer, warn, () => signals.recorded(exitCode));
    signals.recorded(exitCode);
    slurm?.afterRun(recorded.status);
    return outcomeFor(run.id, last, diagnosis, recorded, exitCode, firstStartedAt);
  } finally {
    slurm?.dispose();
    unlink(); // last: the daemon reads the run's end once the link closes
    stopWatching();
    stopGuard();
    await context.settled();
    writer.close();
    await shared?.close(Date.now() + SHARED_FLUSH_MS);
    if (run.cgroupPath) removeCgroup(run.cgroupPath);
    await alerter?.close(Date.now() + ALERT_FLUSH_MS);
  }
}

/**
 * What the run's group asks of its nodes through the shared store, done as the local commands do;
 * and when it asked this node to stop (by the asking machine's clock).
 */
function groupRequestHandler(
  run: { id: string; dir: string },
  stopTimeoutMs: number,
  writer: StoreWriter,
  warn: (message: string) => void,
) {
  const stopsAskedAt: number[] = [];
  const take = (request: GroupRequest): void => {
    // `vigil restart GROUP`: as `vigil restart` asks this node (withdrawn if no attempt runs to take it).
    if (request.kind === 'restart') void askThroughFile(join(run.dir, RESTART_REQUEST_FILE), GROUP_RESTART_TAKE_MS);
    if (request.kind !== 'stop') return;
    stopsAskedAt.push(request.at);
    const timeoutMs = (request.data as { timeout_ms?: number } | null)?.timeout_ms ?? stopTimeoutMs;
    const failed = askToStop(run, writer, timeoutMs);
    if (failed !== null) warn(`could not take the group's stop request: ${failed}`);
  };
  const stopAskedBetween = (from: number, to: number) => stopsAskedAt.some((at) => at >= from && at <= to);
  return { take, stopAskedBetween };
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
function readStopRequestOf(store: RunStore, runId: string): { timeoutMs: number; force: boolean } | null {
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
