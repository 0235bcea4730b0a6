/**
 * One attempt of a run: launch the command, follow its log and its Python events, watch it,
 * stop it when asked, and end every process it leaves behind. Returns what happened as a value
 * (`AttemptOutcome`); recording it is the caller's. The states it goes through are documented at
 * `AttemptState` (src/core/runs/attempt-state.ts).
 */

import type { ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import type { ExitStatus } from '../core/exit-status.ts';
import type { Progress } from '../core/progress/progress-tracker.ts';
import type { AttemptState } from '../core/runs/attempt-state.ts';
import type { RunFlag } from '../core/runs/flags.ts';
import { describeStopReason, type StopReason } from '../core/runs/stop-reason.ts';
import { formatSize } from '../core/size.ts';
import type { StageSnapshot } from '../core/watchdog/stage-counters.ts';
import { type MemoryMeasure, TreeMemorySampler } from '../platform/memory.ts';
import { waitFor } from '../platform/run-processes.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { createRunDir, createRunFile, openRunFileForAppend } from '../store/run-files.ts';
import { LogFollower } from './log-follower.ts';
import { OutputSink } from './output-sink.ts';
import type { PreparedRun } from './prepare.ts';
import { PythonEventFollower, PythonRegistry } from './python-events.ts';
import type { StopSignal, SupervisorSignals } from './signals.ts';
import { spawnJob } from './spawn.ts';
import { StopController } from './stop-controller.ts';
import type { RunWriter } from './store-writer.ts';
import type { SuperviseHooks } from './supervise.ts';
import { RunWatchdog } from './watchdog.ts';

const MEMORY_SAMPLE_MS = 1000;

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
  /** A stop asked for through `vigil stop` (it records its request, then signals us), or null. */
  readStopRequest: () => { timeoutMs: number; force: boolean } | null;
};

export async function runAttempt(context: AttemptContext): Promise<AttemptOutcome> {
  const { run, n, writer, hooks } = context;
  const files = createAttemptFiles(run.dir, n);
  let state: AttemptState = 'starting';

  const launched = await launch(run, n, files);
  const startedAt = Date.now();
  const pid = launched.child?.pid ?? null;
  writer.insertAttempt({
    runId: run.id,
    n,
    pid,
    pgid: pid,
    startedAt,
    endedAt: null,
    exitCode: null,
    signal: null,
    peakRssBytes: null,
    logPath: files.log,
    stopReason: null,
    diagnosis: null,
  });

  const stop = new StopController({ processes: run.processes, pgid: pid, mainPid: pid });
  const graceMs = () => context.readStopRequest()?.timeoutMs ?? run.spec.stopTimeoutMs;
  const record = (reason: StopReason) => writer.updateAttempt(run.id, n, { stopReason: describeStopReason(reason) });
  const requestStop = (reason: StopReason) => {
    if (stop.request(reason, { signal: 'SIGTERM', graceMs: graceMs(), record })) state = 'stopping';
  };
  let watchdogDiagnosis: Diagnosis | null = null;

  const registry = new PythonRegistry();
  const sink = new OutputSink({
    logPath: files.log,
    timesPath: files.times,
    warn: (message) => hooks.onWarning?.(message),
    echo: run.spec.echo ? process.stdout : null,
    ...(hooks.beforeEcho ? { beforeEcho: hooks.beforeEcho } : {}),
    warnAtBytes: run.spec.logWarnBytes,
    onSizeWarning: (bytes) => {
      writer.addEvent({ runId: run.id, attempt: n, at: Date.now(), kind: 'log_size_warning', data: { bytes } });
      hooks.onWarning?.(
        `the log of run ${run.id} has passed ${formatSize(bytes)} (${files.log}); is the job printing the same thing in a loop?`,
      );
    },
  });
  const watchdog = new RunWatchdog(run.spec.watchdog, {
    runId: run.id,
    attempt: n,
    startedAt,
    store: writer,
    processes: run.processes,
    registry,
    stacksPath: files.stacks,
    // Before a stall is declared, everything the job wrote is read: vigil may have fallen behind, not the job.
    catchUp: () => follower.catchUp(),
    warn: (message) => hooks.onWarning?.(message),
    fail: (reason, diagnosis) => {
      if (state !== 'running') return;
      watchdogDiagnosis = diagnosis;
      requestStop(
        reason === 'nan loss' ? { kind: 'nan-loss' } : { kind: 'hang', stall: reason === 'startup stall' ? 'startup' : 'progress' },
      );
    },
  });
  // Reading and recording never wait for the echo: it follows the log on its own (log-echo.ts).
  const follower = new LogFollower(
    files.log,
    (chunk, offset, seenAt) => {
      watchdog.output(chunk, seenAt);
      sink.consume(chunk, offset, seenAt);
    },
    0,
    sink.truncated,
  );
  const events = new PythonEventFollower(files.events, watchdog.pythonEvent);
  const memory = new TreeMemorySampler();
  let peakRssBytes = 0;
  let peakMemoryMeasure: MemoryMeasure = memory.measure([], run.cgroupPath).measure;
  const sampleMemory = () => {
    const { bytes, measure } = memory.measure(run.processes.pids(), run.cgroupPath);
    peakRssBytes = Math.max(peakRssBytes, bytes);
    peakMemoryMeasure = measure;
    watchdog.memoryBytes = bytes;
  };
  const sampler = setInterval(sampleMemory, MEMORY_SAMPLE_MS);
  setTimeout(sampleMemory, 100).unref();

  try {
    if (launched.child) state = 'running';
    context.signals.running((signal) => onStopSignal(signal));
    const onStopSignal = (signal: StopSignal) => {
      if (signal === 'SIGHUP' && run.spec.onHangup === 'ignore') return noteHangup(context);
      if (state === 'running' || state === 'stopping') {
        const asked = context.readStopRequest();
        requestStop(asked ? { kind: 'vigil-stop', force: asked.force } : { kind: 'signal', signal });
      } else if (state === 'exited') void stop.kill();
    };
    await Promise.all([follower.start(), events.start(), sink.start()]);
    watchdog.start();
    hooks.onWatchdog?.(watchdog, sink);

    const exit = await launched.exited;
    const stopReason = stop.reason;
    state = 'exited';
    await endLeftovers(run, stop, stopReason, graceMs());
    const survivors = stop.killing ? await stop.killing : [];
    await Promise.all([follower.finish(), events.finish()]);
    state = 'ended';
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
      peakRssBytes,
      peakMemoryMeasure,
      progress: watchdog.progress(),
      advances: watchdog.tracker.advances,
      stages: watchdog.stages.snapshot(Date.now()),
      watchdogFlags: [...watchdog.flags] as RunFlag[],
      registry,
      drainEcho: () => sink.drainEcho(),
    };
  } finally {
    context.signals.recording();
    clearInterval(sampler);
    stop.dispose();
    watchdog.stop();
    sink.close();
  }
}

type AttemptFiles = { log: string; events: string; times: string; stacks: string; pyDir: string };

function createAttemptFiles(runDir: string, n: number): AttemptFiles {
  const files = {
    log: join(runDir, `attempt-${n}.log`),
    events: join(runDir, `attempt-${n}.events`),
    times: join(runDir, `attempt-${n}.times`),
    stacks: join(runDir, `attempt-${n}.stacks`),
    pyDir: join(runDir, `attempt-${n}.py`),
  };
  createRunDir(runDir, `attempt-${n}.py`);
  createRunFile(files.events);
  createRunFile(files.log);
  return files;
}

type Launched = { child: ChildProcess | null; exited: Promise<ExitStatus>; error: Error | null };

/**
 * Starts the job with its output in the log. A launch the kernel refuses (E2BIG, a vanished
 * directory) is an outcome like any other: exit 126 or 127, with the reason kept.
 */
async function launch(run: PreparedRun, n: number, files: AttemptFiles): Promise<Launched> {
  const logFd = openRunFileForAppend(files.log);
  try {
    const { child, exited } = await spawnJob({
      executable: run.executable,
      args: run.args,
      spec: run.spec,
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
 */
async function endLeftovers(run: PreparedRun, stop: StopController, stopReason: StopReason | null, graceMs: number): Promise<void> {
  if (stopReason === null) {
    if (run.processes.anyAlive()) await stop.close({ kind: 'leftovers' }, { signal: 'SIGTERM', graceMs });
    return;
  }
  await waitFor(() => !run.processes.anyAlive() || stop.killing !== null, Number.POSITIVE_INFINITY);
}

let hangupNoted = false;
function noteHangup(context: AttemptContext): void {
  if (hangupNoted) return;
  hangupNoted = true;
  context.writer.addEvent({ runId: context.run.id, attempt: context.n, at: Date.now(), kind: 'hangup', data: null });
  context.hooks.onWarning?.(`hangup (the terminal went away): the job goes on; follow it with: vigil logs -f ${context.run.id}`);
}
