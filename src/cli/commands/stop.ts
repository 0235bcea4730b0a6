import { formatDuration } from '../../core/duration.ts';
import { removeCgroup } from '../../platform/cgroup.ts';
import { isSameProcessAlive } from '../../platform/proc.ts';
import { RunProcesses, sendSignal, waitFor } from '../../platform/run-processes.ts';
import { stopRun } from '../../supervisor/terminate.ts';
import { findRun, openContext } from '../context.ts';

/** Slack on top of the grace period for the supervisor to kill, reap and record. */
const SUPERVISOR_SLACK_MS = 15_000;

export async function stopCommand(query: string, options: { timeout?: number }): Promise<void> {
  const context = openContext();
  const { store } = context;
  const run = findRun(context, query);
  const graceMs = options.timeout ?? run.stopTimeoutMs;

  if (run.observedStatus === 'running' && run.supervisorPid !== null) {
    // The supervisor does the stopping (it owns the job and records the outcome): tell it the
    // timeout and that the request is ours, then signal it and wait for it to finish.
    store.exclusively(() => {
      store.updateRun(run.id, { stopTimeoutMs: graceMs });
      store.addEvent({ runId: run.id, attempt: null, at: Date.now(), kind: 'stop_requested', data: { timeout_ms: graceMs } });
    });
    sendSignal(run.supervisorPid, 'SIGTERM');
    const supervisorPid = run.supervisorPid;
    const ended = await waitFor(() => !isSameProcessAlive(supervisorPid, run.supervisorStart), graceMs + SUPERVISOR_SLACK_MS, 100);
    const after = store.getRun(run.id);
    process.stdout.write(
      ended ? `stopped run ${run.id} (${after?.status ?? 'ended'})\n` : `run ${run.id}: supervisor ${supervisorPid} has not finished yet\n`,
    );
    if (!ended) process.exitCode = 1;
    return;
  }

  if (run.observedStatus === 'orphaned') {
    // Nobody supervises these processes: stop them here and record the outcome ourselves.
    const started = Date.now();
    const latest = store.attempts(run.id).at(-1);
    const processes = new RunProcesses(run.id, run.cgroupPath);
    const { killed, survivors } = await stopRun(processes, latest?.pgid ?? null, { signal: 'SIGTERM', graceMs });
    const now = Date.now();
    store.exclusively(() => {
      store.updateRun(run.id, { status: 'stopped', endedAt: now });
      if (latest) store.updateAttempt(run.id, latest.n, { endedAt: now, stopReason: 'vigil stop' });
      store.addEvent({ runId: run.id, attempt: latest?.n ?? null, at: now, kind: 'stopped_orphan', data: { killed, survivors } });
    });
    if (run.cgroupPath) removeCgroup(run.cgroupPath);
    const how = killed ? `SIGKILL after ${formatDuration(graceMs)}` : `SIGTERM, ${formatDuration(now - started)}`;
    process.stdout.write(`stopped orphaned run ${run.id} (${how})\n`);
    if (survivors.length > 0) {
      process.stderr.write(`vigil: processes ${survivors.join(', ')} could not be killed\n`);
      process.exitCode = 1;
    }
    return;
  }

  process.stdout.write(`run ${run.id} is not running (${run.observedStatus})\n`);
}
