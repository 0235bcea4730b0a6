/**
 * One attempt of a run: launch the command, follow its log and its Python events, watch it,
 * stop it when asked, and end every process it leaves behind. Returns what happened as a value
 * (`AttemptOutcome`); recording it is the caller's. The states it goes through are documented at
 * `AttemptState` (src/core/runs/attempt-state.ts).
 */

import { RESTART_REQUEST_FILE, watchRequestFile } from './request-file.ts';
import type { ChildProcess } from 'node:child_process';
import { closeSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Diagnosis, prepareDiagnoser, warmUpRules } from '../core/diagnosis/diagnose.ts';
import type { ExitStatus } from '../core/exit-status.ts';
import { SMALL_LOG_BYTES } from '../diagnosis/diagnose-file.ts';
import type { Params } from '../core/restart/params.ts';
import type { Progress } from '../core/progress/progress-tracker.ts';
import type { RunFlag } from '../core/runs/flags.ts';
import { type StopReason, watchdogStopReason } from '../core/runs/stop-reason.ts';
import type { StageSnapshot } from '../core/watchdog/stage-counters.ts';
import { ExitCode, VigilError } from '../errors.ts';
import type { ExactJob } from '../platform/exact-launch.ts';
import type { MemoryMeasure } from '../platform/memory.ts';
import { waitFor } from '../platform/run-processes.ts';
import { type AttemptFiles, attemptFiles, createRunDir, createRunFile, openRunFileForAppend } from '../store/run-files.ts';
import { AttemptLifecycle } from './attempt-lifecycle.ts';
import { AttemptWatch } from './attempt-watch.ts';
import type { PreparedRun } from './prepare.ts';
import type { PythonRegistry } from './python-events.ts';
import type { SupervisorSignals } from './signals.ts';
import { spawnJob } from './spawn.ts';
import type { RunWriter } from './store-writer.ts';
import type { SuperviseHooks } from './supervise.ts';

/** How often the log's size is looked at to decide whether the diagnoser's prefilter will be needed. */
const WARM_UP_CHECK_MS = 1000;

export type AttemptOutcome = {
  n: number;
  pid: number | null;
  exit: ExitStatus;
  /** Why the job could not be started, when it could not (the exit is then 126 or 127). */
  launchError: Error | null;
  startedAt: number;
  endedAt: number;
  logPath: string;
  pyDir: string;
  /** Why vigil stopped the job, when it did before the job exited on its own. */
  stopReason: StopReason | null;
  /** Set when the watchdog ended the attempt (a hang, a NaN loss): the attempt failed, for this reason. */
  watchdogDiagnosis: Diagnosis | null;
  /** Processes that outlived repeated SIGKILLs (uninterruptible sleep): reported, never hidden. */
  survivors: number[];
  peakRssBytes: number;
  /** How peakRssBytes was measured: the cgroup's own figure, PSS, or the RSS sum. */
  peakMemoryMeasure: MemoryMeasure;
  progress: Progress;
  advances: number;
  /** The newest checkpoint step it reported (null: none), for the crash-loop rule. */
  checkpointStep: number | null;
  announcedCheckpoints: ReadonlySet<string>;
  stages: StageSnapshot[];
  watchdogFlags: RunFlag[];
  registry: PythonRegistry;
  /** Echoes what the terminal or pipe has not taken yet; awaited only once the outcome is recorded. */
  drainEcho: () => Promise<void>;
};

export type AttemptContext = {
  run: PreparedRun;
  n: number;
  writer: RunWriter;
  signals: SupervisorSignals;
  hooks: SuperviseHooks;
  /** This attempt's words after the program ({NAME} filled in) and what it adds to the environment (VIGIL_PARAM_*). */
  args: string[];
  env: Record<string, string>;
  /** The same command byte for byte, when it is not all UTF-8 (see platform/exact-launch.ts). */
  exact?: ExactJob;
  /** The adaptive values it runs with, recorded with it. */
  params: Params;
  /** A stop asked for through `vigil stop` (it records its request, then signals us), or null. */
  readStopRequest: () => { timeoutMs: number; force: boolean } | null;
  /**
   * A node of a group on a shared store: whether the group asked it to stop between two times,
   * reading the group's requests now. `vigil stop GROUP` reaches each node at its next beat: the
   * node stopped first takes its peers' jobs down with it (a collective fails) before their
   * supervisors have read the same request. Such a failure is the stop's.
   */
  stopAskedBetween?: (from: number, to: number) => Promise<boolean>;
};

export async function runAttempt(context: AttemptContext): Promise<AttemptOutcome> {
  const { run, n, writer, hooks } = context;
  const files = createAttemptFiles(run.dir, n);
  let watch: AttemptWatch | null = null; // made once the job exists; a stop asks first only if its events say it listens
  const lifecycle = new AttemptLifecycle({
    runId: run.id,
    n,
    processes: run.processes,
    writer,
    stopTimeoutMs: run.spec.stopTimeoutMs,
    onHangup: run.spec.onHangup,
    saveGraceMs: run.spec.saveGraceMs,
    stopFile: join(run.dir, `attempt-${n}.stop`),
    listensForStop: () => watch?.registry.listensForStop === true,
    readStopRequest: context.readStopRequest,
    onHangupIgnored: () => hooks.onWarning?.(`hangup (the terminal went away): the job goes on; follow it with: vigil logs -f ${run.id}`),
  });
  context.signals.running(lifecycle.onSignal); // before the launch: a Ctrl-C during it is kept, not fatal

  const launched = await launch(context, files);
  const startedAt = Date.now();
  const pid = launched.child?.pid ?? null;
  recordAttemptStart(context, files, pid, startedAt);
  let watchdogDiagnosis: Diagnosis | null = null;
  watch = new AttemptWatch({
    run,
    n,
    files,
    startedAt,
    writer,
    hooks,
    onWatchdogFailure: (reason, diagnosis) => {
      if (lifecycle.state !== 'running') return;
      watchdogDiagnosis = diagnosis;
      lifecycle.requestStop(watchdogStopReason(reason));
    },
  });
  lifecycle.launched(pid);
  // `vigil restart`: this attempt ends as a stop would, and the loop starts the next at once.
  const unwatchRestart = watchRequestFile(join(run.dir, RESTART_REQUEST_FILE), () => {
    if (lifecycle.state === 'running') lifecycle.requestStop({ kind: 'restart' });
  });
  let warmUp: NodeJS.Timeout | undefined;
  try {
    await watch.start();
    warmUp = warmUpDiagnoser(files.log);
    const exit = await launched.exited;
    const exitedAt = Date.now();
    clearInterval(warmUp);
    const failed = exit.code !== 0 || exit.signal !== null;
    if (lifecycle.stopReason === null && failed && (await context.stopAskedBetween?.(startedAt, exitedAt)))
      lifecycle.stoppedBeforeExit({ kind: 'vigil-stop', force: false });
    const stopReason = lifecycle.exited(exit);
    const survivors = await endLeftovers(run, lifecycle, stopReason);
    await watch.finish();
    lifecycle.state = 'ended';
    return {
      n,
      pid,
      exit,
      launchError: launched.error,
      startedAt,
      endedAt: Date.now(),
      logPath: files.log,
      pyDir: files.pyDir,
      stopReason,
      watchdogDiagnosis,
      survivors,
      peakRssBytes: watch.peakMemoryBytes,
      peakMemoryMeasure: watch.peakMemoryMeasure,
      progress: watch.watchdog.progress(),
      advances: watch.watchdog.tracker.advances,
      checkpointStep: watch.watchdog.checkpointStep,
      announcedCheckpoints: watch.watchdog.announcedCheckpoints,
      stages: watch.watchdog.stages.snapshot(Date.now()),
      watchdogFlags: [...watch.watchdog.flags] as RunFlag[],
      registry: watch.registry,
      drainEcho: () => watch.sink.drainEcho(),
    };
  } finally {
    clearTimeout(warmUp);
    unwatchRestart();
    context.signals.recording();
    lifecycle.dispose();
    watch.close();
  }
}

function recordAttemptStart(context: AttemptContext, files: AttemptFiles, pid: number | null, startedAt: number): void {
  context.writer.insertAttempt({
    runId: context.run.id,
    n: context.n,
    pid,
    pgid: pid, // started with setsid(): its own process group
    startedAt,
    endedAt: null,
    exitCode: null,
    signal: null,
    peakRssBytes: null,
    logPath: files.log,
    stopReason: null,
    diagnosis: null,
    params: Object.keys(context.params).length > 0 ? context.params : null,
  });
}

function createAttemptFiles(runDir: string, n: number): AttemptFiles {
  const files = attemptFiles(runDir, n);
  createRunDir(runDir, basename(files.pyDir));
  createRunFile(files.events);
  createRunFile(files.log);
  return files;
}

type Launched = { child: ChildProcess | null; exited: Promise<ExitStatus>; error: Error | null };

/**
 * Starts the job with its output in the log. A launch the kernel refuses (E2BIG, a vanished
 * directory) is an outcome like any other: exit 126 or 127, with the reason kept.
 */
async function launch({ run, n, args, env, exact }: AttemptContext, files: AttemptFiles): Promise<Launched> {
  const logFd = openRunFileForAppend(files.log);
  try {
    const { child, exited } = await spawnJob({
      executable: run.executable,
      args,
      spec: { ...run.spec, env: { ...run.spec.env, ...env }, ...(exact ? { exact } : {}) },
      runId: run.id,
      runDir: run.dir,
      attempt: n,
      logFd,
      cgroupPath: run.cgroupPath,
      eventsPath: files.events,
      pyDir: files.pyDir,
    });
    return { child, exited, error: null };
  } catch (error) {
    const code = error instanceof VigilError ? error.exitCode : ExitCode.notExecutable;
    return { child: null, exited: Promise.resolve({ code, signal: null }), error: error as Error };
  } finally {
    closeSync(logFd);
  }
}

/**
 * The main process is gone; anything of the run still alive is a leftover that must not outlive
 * it. When vigil was already stopping the job, the grace timer set by that stop ends them.
 * Returns the processes that survived SIGKILL (uninterruptible sleep).
 */
async function endLeftovers(run: PreparedRun, lifecycle: AttemptLifecycle, stopReason: StopReason | null): Promise<number[]> {
  const stop = lifecycle.stopper;
  if (!stop) return [];
  if (stopReason === null) {
    if (run.processes.anyAlive()) await stop.close({ kind: 'leftovers' }, { signal: 'SIGTERM', graceMs: lifecycle.graceMs() });
  } else {
    await waitFor(() => !run.processes.anyAlive() || stop.killing !== null, Number.POSITIVE_INFINITY);
  }
  return stop.killing ? await stop.killing : [];
}

/**
 * What diagnosing a failure needs, made ready while the job runs rather than on the way to its
 * record and restart: the rules' compiled expressions a second in (every diagnosis uses them), and
 * the prefilter (~250 ms of CPU here) only once the log has outgrown what a diagnosis reads whole
 * without it (diagnose-file.ts): most runs never need it, and each would pay for it.
 */
function warmUpDiagnoser(logPath: string): NodeJS.Timeout {
  const timer = setInterval(() => {
    warmUpRules();
    let size: number;
    try {
      size = statSync(logPath).size;
    } catch {
      return; // not there yet, or gone: looked at again next time
    }
    if (size <= SMALL_LOG_BYTES) return;
    clearInterval(timer);
    prepareDiagnoser();
  }, WARM_UP_CHECK_MS);
  timer.unref();
  return timer;
}
