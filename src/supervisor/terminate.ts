/**
 * Ending a run's processes: the signal first (to the job's process group, and to tagged
 * processes that left it), then after a grace period SIGKILL to everything that carries the
 * run's tag or sits in its cgroup, repeated until nothing is left.
 */

import { processGroupOf } from '../platform/proc.ts';
import { type RunProcesses, sendSignal, waitFor } from '../platform/run-processes.ts';

/** Delivers `signal` once to every process of the run: the group in one call, escapees one by one. */
export function signalRun(processes: RunProcesses, pgid: number | null, signal: NodeJS.Signals): void {
  if (pgid !== null) sendSignal(-pgid, signal);
  for (const pid of processes.pids()) {
    if (pgid === null || processGroupOf(pid) !== pgid) sendSignal(pid, signal);
  }
}

/**
 * SIGKILLs until no process of the run is left. Returns the pids that survived `giveUpMs`
 * (only processes in uninterruptible sleep can: the caller reports them, never hides them).
 */
export async function killRun(processes: RunProcesses, giveUpMs = 10_000): Promise<number[]> {
  const gone = await waitFor(
    () => {
      processes.killAll();
      return !processes.anyAlive();
    },
    giveUpMs,
    100,
  );
  return gone ? [] : processes.pids();
}

/** The whole stop sequence for a run nobody else is waiting on (e.g. an orphaned run). */
export async function stopRun(
  processes: RunProcesses,
  pgid: number | null,
  options: { signal: NodeJS.Signals; graceMs: number },
): Promise<{ killed: boolean; survivors: number[] }> {
  signalRun(processes, pgid, options.signal);
  if (await waitFor(() => !processes.anyAlive(), options.graceMs, 50)) return { killed: false, survivors: [] };
  return { killed: true, survivors: await killRun(processes) };
}
