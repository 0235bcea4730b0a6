/**
 * `vigil adopt RUN`: a run whose supervisor died while its processes live on (orphaned) gets a
 * new supervisor — this process — that watches it to its end. The job's exit status was its
 * parent's to see and is lost, so the run ends as `unknown` (or `stopped` when stopped through
 * `vigil stop`), never as an invented success or failure. Its output still reaches its log: the
 * job writes it straight to the file. The daemon adopts the orphans of its jobs this way.
 */

import { describeStopReason, type StopReason } from '../core/runs/stop-reason.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { removeCgroup } from '../platform/cgroup.ts';
import { isSameProcessAlive, processStartTime } from '../platform/proc.ts';
import { RunProcesses, waitFor } from '../platform/run-processes.ts';
import { daemonPaths } from '../store/paths.ts';
import type { RunRecord, RunStore } from '../store/runs.ts';
import { join } from 'node:path';
import { linkToDaemon } from './daemon-link.ts';
import { STOP_REQUEST_FILE, SupervisorSignals } from './signals.ts';
import { StopController } from './stop-controller.ts';

/** How often the adopted processes are looked for: no parent is told when they exit. */
const WATCH_INTERVAL_MS = 500;

export async function adoptRun(store: RunStore, runId: string, home: string): Promise<'unknown' | 'stopped'> {
  const run = claimOrphan(store, runId);
  const unlink = run.jobId ? linkToDaemon(daemonPaths(home).socket, run.jobId) : () => undefined;
  const processes = new RunProcesses(run.id, run.cgroupPath);
  const latest = store.attempts(run.id).at(-1) ?? null;
  const stop = new StopController({ processes, pgid: latest?.pgid ?? null, mainPid: null });
  let stopReason: StopReason | null = null;
  const signals = new SupervisorSignals();
  signals.install();
  signals.running((signal) => {
    if (signal === 'SIGHUP') return;
    stopReason ??= { kind: 'vigil-stop', force: false };
    void stop.close(stopReason, { signal: 'SIGTERM', graceMs: run.stopTimeoutMs });
  });
  const stopWatching = signals.watchStopRequests(join(run.runDir, STOP_REQUEST_FILE));
  try {
    await waitFor(() => !processes.anyAlive(), Number.POSITIVE_INFINITY, WATCH_INTERVAL_MS);
    signals.recording();
    const status = stopReason ? 'stopped' : 'unknown';
    recordEnd(store, run, latest?.n ?? null, status, stopReason);
    return status;
  } finally {
    stopWatching();
    unlink();
    if (run.cgroupPath) removeCgroup(run.cgroupPath);
  }
}

/** The run becomes ours in one transaction: only a running run whose supervisor is gone can be adopted, and only once. */
function claimOrphan(store: RunStore, runId: string): RunRecord {
  return store.exclusively(() => {
    const run = store.getRun(runId);
    if (!run) throw new VigilError(`no run ${runId}`, ExitCode.runNotFound);
    if (run.status !== 'running') throw new VigilError(`run ${runId} is not running (${run.status})`, ExitCode.failure);
    if (run.supervisorPid !== null && isSameProcessAlive(run.supervisorPid, run.supervisorStart))
      throw new VigilError(`run ${runId} is supervised (pid ${run.supervisorPid}): nothing to adopt`, ExitCode.failure);
    store.updateRun(runId, { supervisorPid: process.pid, supervisorStart: processStartTime(process.pid) });
    store.addEvent({ runId, attempt: null, at: Date.now(), kind: 'adopted', data: { pid: process.pid, previous: run.supervisorPid } });
    return run;
  });
}

function recordEnd(
  store: RunStore,
  run: RunRecord,
  attempt: number | null,
  status: 'unknown' | 'stopped',
  reason: StopReason | null,
): void {
  const now = Date.now();
  store.exclusively(() => {
    store.updateRun(run.id, { status, endedAt: now });
    if (attempt !== null)
      store.updateAttempt(run.id, attempt, { endedAt: now, ...(reason ? { stopReason: describeStopReason(reason) } : {}) });
    store.addEvent({ runId: run.id, attempt, at: now, kind: 'ended_unwatched', data: { adopted: true } });
  });
}
