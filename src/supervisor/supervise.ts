/**
 * `vigil run`: launches the job in its own session and process group, tags it, keeps its log,
 * watches it to the end, and ends every process it left behind. The job never depends on
 * vigil: its output goes straight to a file, so killing vigil costs the job nothing.
 */

import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { diagnoseFile } from '../diagnosis/diagnose-file.ts';
import { type ExitStatus, shellExitCode } from '../core/exit-status.ts';
import { newRunId } from '../core/run-id.ts';
import { formatSize } from '../core/size.ts';
import { outcomeOf, type StoredStatus } from '../core/run-status.ts';
import type { RunStore } from '../store/runs.ts';
import { claimRunName } from './reconcile.ts';
import { createRunCgroup, removeCgroup } from '../platform/cgroup.ts';
import { LogFollower } from './log-follower.ts';
import { OutputSink } from './output-sink.ts';
import { processStartTime, residentBytes } from '../platform/proc.ts';
import { resolveExecutable } from '../platform/resolve-executable.ts';
import { RunProcesses, waitFor } from '../platform/run-processes.ts';
import { killRun, signalRun } from './terminate.ts';
import type { Progress } from '../core/progress/progress-tracker.ts';
import { outcomeFlags } from '../core/watchdog/outcome-flags.ts';
import { withFatalStack } from '../core/diagnosis/fatal-stack.ts';
import { processName } from '../core/diagnosis/process-names.ts';
import { PythonEventFollower, PythonRegistry } from './python-events.ts';
import { spawnJob } from './spawn.ts';
import { RunWatchdog, type WatchdogOptions } from './watchdog.ts';

export type JobSpec = {
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  name: string | null;
  stopTimeoutMs: number;
  logWarnBytes: number;
  useCgroup: boolean;
  echo: boolean;
  watchdog: WatchdogOptions;
  /** Instrument every Python process (faulthandler, stack dumps, exception and import events). */
  pythonHooks: boolean;
  /** The signal the Python hooks dump stacks on, e.g. "SIGUSR2". */
  dumpSignal: string;
};

export type RunOutcome = {
  runId: string;
  status: StoredStatus;
  exit: ExitStatus;
  exitCode: number;
  durationMs: number;
  logPath: string;
  peakRssBytes: number;
  stopReason: string | null;
  survivors: number[];
  diagnosis: Diagnosis | null;
  progress: Progress;
  flags: string[];
};

export type SuperviseHooks = {
  /** Called once the run is recorded, before the job starts (e.g. to print its id). */
  onStart?: (runId: string, logPath: string) => void;
  onWarning?: (message: string) => void;
  /** The watchdog and the echo, once the job runs (for a live status line). */
  onWatchdog?: (watchdog: RunWatchdog, sink: OutputSink) => void;
  /** Called before each echo of the job's output. */
  beforeEcho?: () => void;
};

const RSS_SAMPLE_MS = 1000;

export async function superviseRun(spec: JobSpec, store: RunStore, runsDir: string, hooks: SuperviseHooks = {}): Promise<RunOutcome> {
  const [program, ...args] = spec.command;
  if (!program) throw new Error('superviseRun needs a command');
  const executable = resolveExecutable(program, { cwd: spec.cwd, path: spec.env.PATH });

  const runId = newRunId(randomBytes(6));
  const runDir = join(runsDir, runId);
  mkdirSync(runDir, { recursive: true });
  const cgroupPath = spec.useCgroup ? createRunCgroup(runId) : null;
  const createdAt = Date.now();
  store.exclusively(() => {
    if (spec.name) claimRunName(store, spec.name);
    store.insertRun({
      id: runId,
      name: spec.name,
      command: spec.command,
      cwd: spec.cwd,
      runDir,
      status: 'running',
      createdAt,
      endedAt: null,
      supervisorPid: process.pid,
      supervisorStart: processStartTime(process.pid),
      cgroupPath,
      stopTimeoutMs: spec.stopTimeoutMs,
      exitCode: null,
      signal: null,
    });
  });

  const processes = new RunProcesses(runId, cgroupPath);
  const attempt = 1;
  const logPath = join(runDir, `attempt-${attempt}.log`);
  hooks.onStart?.(runId, logPath);

  const eventsPath = join(runDir, `attempt-${attempt}.events`);
  const pyDir = join(runDir, `attempt-${attempt}.py`);
  mkdirSync(pyDir, { recursive: true });
  closeSync(openSync(eventsPath, 'a'));
  const logFd = openSync(logPath, 'a');
  const child = spawnJob({ executable, args, spec, runId, runDir, attempt, logFd, cgroupPath, eventsPath, pyDir });
  closeSync(logFd);
  const exited = waitForExit(child); // listen at once: a quick job can exit before the next await returns
  const startedAt = Date.now();
  const pgid = child.pid ?? null;
  store.insertAttempt({
    runId,
    n: attempt,
    pid: child.pid ?? null,
    pgid,
    startedAt,
    endedAt: null,
    exitCode: null,
    signal: null,
    peakRssBytes: null,
    logPath,
    stopReason: null,
    diagnosis: null,
  });

  const sink = new OutputSink({
    logPath,
    timesPath: join(runDir, `attempt-${attempt}.times`),
    echo: spec.echo ? process.stdout : null,
    ...(hooks.beforeEcho ? { beforeEcho: hooks.beforeEcho } : {}),
    warnAtBytes: spec.logWarnBytes,
    onSizeWarning: (bytes) => {
      store.addEvent({ runId, attempt, at: Date.now(), kind: 'log_size_warning', data: { bytes } });
      hooks.onWarning?.(
        `the log of run ${runId} has passed ${formatSize(bytes)} (${logPath}); is the job printing the same thing in a loop?`,
      );
    },
    warn: (message) => hooks.onWarning?.(message),
  });

  // Stop requests: a signal to vigil (Ctrl-C, SIGTERM, SIGHUP), `vigil stop` (which records its
  // timeout in the store and then sends SIGTERM), or the watchdog (a hang, a NaN loss). A second
  // request skips the grace period.
  let stopReason: string | null = null;
  /** Set when the watchdog ends the attempt (a hang, a NaN loss): the attempt failed, for this reason. */
  let watchdogDiagnosis = null as Diagnosis | null;
  let graceTimer: NodeJS.Timeout | null = null;
  let killing: Promise<number[]> | null = null;
  const killEverything = () => (killing ??= killRun(processes));
  // `vigil stop --timeout` may have changed it in the store.
  const graceMs = () => store.getRun(runId)?.stopTimeoutMs ?? spec.stopTimeoutMs;
  const beginStop = (reason: string, signal: NodeJS.Signals) => {
    stopReason = reason;
    store.updateAttempt(runId, attempt, { stopReason });
    signalRun(processes, pgid, signal);
    graceTimer = setTimeout(() => void killEverything(), graceMs());
  };
  const requestStop = (signal: NodeJS.Signals) => {
    if (stopReason !== null) {
      void killEverything();
      return;
    }
    beginStop(store.events(runId, 'stop_requested').length > 0 ? 'vigil stop' : signal, signal);
  };

  const registry = new PythonRegistry();
  const watchdog = new RunWatchdog(spec.watchdog, {
    runId,
    attempt,
    startedAt,
    store,
    processes,
    registry,
    stacksPath: join(runDir, `attempt-${attempt}.stacks`),
    warn: (message) => hooks.onWarning?.(message),
    catchUp: () => follower.catchUp(),
    fail: (reason, diagnosis) => {
      if (stopReason !== null) return;
      watchdogDiagnosis = diagnosis;
      beginStop(reason, 'SIGTERM');
    },
  });
  const follower = new LogFollower(
    logPath,
    (chunk, offset, seenAt) => {
      watchdog.output(chunk, seenAt);
      sink.consume(chunk, offset, seenAt);
    },
    0,
    sink.truncated,
  );
  const events = new PythonEventFollower(eventsPath, watchdog.pythonEvent);
  await Promise.all([follower.start(), events.start(), sink.start()]);
  watchdog.start();
  hooks.onWatchdog?.(watchdog, sink);

  let peakRssBytes = 0;
  const sampleRss = () => {
    const total = processes.pids().reduce((sum, pid) => sum + residentBytes(pid), 0);
    peakRssBytes = Math.max(peakRssBytes, total);
    watchdog.memoryBytes = total;
  };
  const sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
  setTimeout(sampleRss, 100).unref();

  const stopSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of stopSignals) process.on(signal, requestStop);

  const exit = await exited;

  // The main process is gone; anything of the run still alive is a leftover that must not outlive it.
  if (processes.anyAlive() && stopReason === null) {
    signalRun(processes, null, 'SIGTERM');
    if (!(await waitFor(() => !processes.anyAlive(), graceMs()))) void killEverything();
  }
  await waitFor(() => !processes.anyAlive() || killing !== null, Number.POSITIVE_INFINITY);
  const survivors = killing ? await killing : [];
  if (graceTimer) clearTimeout(graceTimer);
  clearInterval(sampler);
  for (const signal of stopSignals) process.off(signal, requestStop);

  await Promise.all([follower.finish(), events.finish()]);
  watchdog.stop();
  sink.close();
  if (cgroupPath) removeCgroup(cgroupPath);

  const endedAt = Date.now();
  const status = watchdogDiagnosis ? 'failed' : outcomeOf(exit, stopReason !== null);
  const diagnosis = watchdogDiagnosis ?? (status === 'failed' ? diagnoseAttempt(logPath, exit, pyDir, registry) : null);
  const progress = watchdog.progress();
  const flags = [
    ...watchdog.flags,
    ...outcomeFlags({
      progress,
      advances: watchdog.tracker.advances,
      stages: watchdog.stages.snapshot(endedAt),
      succeeded: status === 'succeeded',
    }),
  ];
  store.exclusively(() => {
    store.updateAttempt(runId, attempt, { endedAt, exitCode: exit.code, signal: exit.signal, peakRssBytes, diagnosis });
    store.updateRun(runId, { status, endedAt, exitCode: exit.code, signal: exit.signal, flags });
  });
  await sink.drainEcho();
  return {
    runId,
    status,
    exit,
    exitCode: shellExitCode(exit) ?? 1,
    durationMs: endedAt - startedAt,
    logPath,
    peakRssBytes,
    stopReason,
    survivors,
    diagnosis,
    progress,
    flags,
  };
}

/** The log's diagnosis, joined with what the Python processes left: fatal-signal stacks, and who raised the exception. */
function diagnoseAttempt(logPath: string, exit: ExitStatus, pyDir: string, registry: PythonRegistry): Diagnosis {
  const fromLog = diagnoseFile(logPath, { exitCode: exit.code, signal: exit.signal, reported: registry.exceptions });
  const dumps = readFaultFiles(pyDir).map((dump) => ({
    ...dump,
    process: registry.processes.has(dump.pid) ? processName(dump.pid, registry.processes) : null,
  }));
  return withFatalStack(fromLog, dumps);
}

/** The faulthandler files the Python hooks left, one per process (small: only written on a fatal error or a dump). */
function readFaultFiles(pyDir: string): { pid: number; text: string }[] {
  try {
    return readdirSync(pyDir)
      .filter((file) => /^\d+\.fault$/.test(file))
      .map((file) => ({ pid: Number.parseInt(file, 10), text: readFileSync(join(pyDir, file), 'utf8').slice(0, 1 << 20) }))
      .filter((dump) => dump.text !== '');
  } catch {
    return [];
  }
}

function waitForExit(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 126, signal: null }));
  });
}
