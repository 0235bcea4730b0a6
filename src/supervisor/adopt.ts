/**
 * `vigil adopt RUN`: a run whose supervisor died while its processes live on (orphaned) gets a
 * new supervisor — this process — that watches it to its end: its watchdog too (adopted-watch.ts),
 * so a job that hangs after its supervisor died is found and ended as it would have been. The
 * job's exit status was its parent's to see and is lost, so the run ends as `unknown` (or
 * `stopped` when stopped through `vigil stop`, `failed` when the watchdog ended it), never as an
 * invented success or failure. Its output still reaches its log: the job writes it straight to
 * the file. The daemon adopts the orphans of its jobs this way.
 */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { describeStopReason, stopMeansFailure, type StopReason, watchdogStopReason } from '../core/runs/stop-reason.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { removeCgroup } from '../platform/cgroup.ts';
import { isSameProcessAlive, processStartTime } from '../platform/proc.ts';
import { killAndWait, RunProcesses, waitFor } from '../platform/run-processes.ts';
import { daemonPaths } from '../store/paths.ts';
import type { RunRecord, RunStore } from '../store/runs.ts';
import { join } from 'node:path';
import { AdoptedWatch } from './adopted-watch.ts';
import { settleEndRecord } from './record.ts';
import { StoreWriter } from './store-writer.ts';
import { linkToDaemon } from './daemon-link.ts';
import { STOP_REQUEST_FILE, SupervisorSignals } from './signals.ts';
import { StopController } from './stop-controller.ts';

/** How often the adopted processes are looked for: no parent is told when they exit. */
const WATCH_INTERVAL_MS = 500;

export type AdoptedEnd = { status: 'unknown' | 'stopped' | 'failed'; diagnosis: Diagnosis | null };

export async function adoptRun(
  store: RunStore,
  runId: string,
  home: string,
  warn: (message: string) => void = () => undefined,
  { force = false }: { force?: boolean } = {},
): Promise<AdoptedEnd> {
  if (force) await endStuckSupervisor(store, runId);
  const run = claimOrphan(store, runId);
  const unlink = run.jobId ? linkToDaemon(daemonPaths(home).socket, run.jobId) : () => undefined;
  const processes = new RunProcesses(run.id, run.cgroupPath);
  const latest = store.attempts(run.id).at(-1) ?? null;
  const stop = new StopController({ processes, pgid: latest?.pgid ?? null, mainPid: null });
  let stopReason: StopReason | null = null;
  let diagnosis: Diagnosis | null = null;
  const stopFor = (reason: StopReason) => {
    stopReason ??= reason;
    void stop.close(stopReason, { signal: 'SIGTERM', graceMs: run.stopTimeoutMs });
  };
  const signals = new SupervisorSignals();
  signals.install();
  signals.running((signal) => {
    if (signal !== 'SIGHUP') stopFor({ kind: 'vigil-stop', force: false });
  });
  const stopWatching = signals.watchStopRequests(join(run.runDir, STOP_REQUEST_FILE));
  const watch = latest
    ? await AdoptedWatch.start({
        store,
        home,
        run,
        attempt: latest,
        processes,
        warn,
        fail: (reason, found) => {
          if (stopReason) return;
          diagnosis = found;
          stopFor(watchdogStopReason(reason));
        },
      }).catch((error: Error) => {
        // Whatever keeps the watchdog from the files, the job's end is still watched and recorded.
        warn(`the watchdog cannot follow run ${run.id}'s log (${error.message}): only its end is watched`);
        return null;
      })
    : null;
  try {
    await waitFor(() => !processes.anyAlive(), Number.POSITIVE_INFINITY, WATCH_INTERVAL_MS);
    signals.recording();
    await watch?.finish();
    const reason = stopReason as StopReason | null;
    const status: AdoptedEnd['status'] = reason === null ? 'unknown' : stopMeansFailure(reason) ? 'failed' : 'stopped';
    const writer = watch?.writer ?? new StoreWriter(store, { home, warn });
    const end = { status, reason, diagnosis, flags: watch ? [...watch.watchdog.flags] : [] };
    await recordEnd(store, writer, run, latest?.n ?? null, end, warn);
    return { status, diagnosis };
  } finally {
    stopWatching();
    unlink();
    if (run.cgroupPath) removeCgroup(run.cgroupPath);
  }
}

/**
 * `--force`: a supervisor that cannot act (stopped with SIGSTOP, stuck) leaves its job unwatched while it holds the run.
 * It is SIGKILLed, so that it cannot record anything over us if it wakes; the job goes on, an orphan to adopt.
 */
async function endStuckSupervisor(store: RunStore, runId: string): Promise<void> {
  const run = store.getRun(runId);
  const pid = run?.supervisorPid ?? null;
  if (!run || pid === null || pid === process.pid || !isSameProcessAlive(pid, run.supervisorStart)) return;
  if (!(await killAndWait(pid, run.supervisorStart)))
    throw new VigilError(`run ${runId}'s supervisor (pid ${pid}) did not die of SIGKILL: nothing was adopted`, ExitCode.failure);
}

/**
 * The run becomes ours in one transaction: only a running run whose supervisor is gone can be adopted, and only once.
 * A run that cannot be is refused first on a plain read: a supervisor stopped while it held the write lock (SIGSTOP
 * mid-write) would otherwise keep this command waiting on that lock past its busy wait.
 */
function claimOrphan(store: RunStore, runId: string): RunRecord {
  assertAdoptable(store.getRun(runId), runId);
  return store.exclusively(() => {
    const run = store.getRun(runId);
    assertAdoptable(run, runId);
    store.updateRun(runId, { supervisorPid: process.pid, supervisorStart: processStartTime(process.pid) });
    store.addEvent({ runId, attempt: null, at: Date.now(), kind: 'adopted', data: { pid: process.pid, previous: run.supervisorPid } });
    return run;
  });
}

/** Only a run that exists, is running and has no live supervisor can be adopted. */
function assertAdoptable(run: RunRecord | null, runId: string): asserts run is RunRecord {
  if (!run) throw new VigilError(`no run ${runId}`, ExitCode.runNotFound);
  if (run.status !== 'running') throw new VigilError(`run ${runId} is not running (${run.status})`, ExitCode.failure);
  if (run.supervisorPid !== null && isSameProcessAlive(run.supervisorPid, run.supervisorStart))
    throw new VigilError(
      `run ${runId} is supervised (pid ${run.supervisorPid}): nothing to adopt (a supervisor stopped with SIGSTOP or stuck: vigil adopt --force)`,
      ExitCode.failure,
    );
}

/**
 * The end, written as the supervisor writes its own (settleEndRecord): through the writer, which holds it while another
 * process locks the database or the disk is full, kept in the run's outcome slot meanwhile.
 */
async function recordEnd(
  store: RunStore,
  writer: StoreWriter,
  run: RunRecord,
  attempt: number | null,
  end: { status: AdoptedEnd['status']; reason: StopReason | null; diagnosis: Diagnosis | null; flags: string[] },
  warn: (message: string) => void,
): Promise<void> {
  const now = Date.now();
  const stopReason = end.reason ? describeStopReason(end.reason) : null;
  writer.together(() => {
    const flags = [...new Set([...(store.getRun(run.id)?.flags ?? []), ...end.flags])];
    writer.updateRun(run.id, { status: end.status, endedAt: now, ...(flags.length > 0 ? { flags } : {}) });
    if (attempt !== null)
      writer.updateAttempt(run.id, attempt, {
        endedAt: now,
        ...(stopReason ? { stopReason } : {}),
        ...(end.diagnosis ? { diagnosis: end.diagnosis } : {}),
      });
    writer.addEvent({ runId: run.id, attempt, at: now, kind: 'ended_unwatched', data: { adopted: true } });
  });
  const slot =
    attempt === null
      ? null
      : { attempt, status: end.status, exit: { code: null, signal: null }, endedAt: now, stopReason, peakRssBytes: null, flags: end.flags };
  await settleEndRecord(writer, run.runDir, slot, warn);
  writer.close();
}
