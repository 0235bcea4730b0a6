/**
 * Pausing every process of a run, and continuing it (`vigil pause` / `vigil resume`). Where the
 * run has a cgroup its freezer does it: one write covers the whole tree, forks included, and
 * nothing in the job can catch it (cgroup v2 `cgroup.freeze`; done once `cgroup.events` says
 * `frozen 1`). Elsewhere each process gets SIGSTOP, uncatchable too: its process group first, so
 * that a child being forked stops with its parent, then every process of the run, again and again
 * until all are seen stopped. A process of the run outside its cgroup is stopped the same way.
 */

import { cgroupFrozen, cgroupPids, setCgroupFrozen } from './cgroup.ts';
import { processState } from './proc.ts';
import { type RunProcesses, sendSignal, waitFor } from './run-processes.ts';

export type PauseMethod = 'cgroup' | 'signals';

/** How long the tree may take to stop or continue (uninterruptible sleep delays it) before giving up. */
const SETTLE_MS = 5000;
const LOOK_EVERY_MS = 50;

/**
 * Pauses every process of the run; resolves to how, or to null when they could not all be
 * stopped in time (whatever was stopped is continued again: a half-paused job is the worst of both).
 */
export async function pauseProcesses(processes: RunProcesses, pgid: number | null): Promise<PauseMethod | null> {
  const cgroupPath = processes.cgroupPath;
  const frozen = cgroupPath !== null && setCgroupFrozen(cgroupPath, true);
  if (!frozen && pgid !== null) sendSignal(-pgid, 'SIGSTOP');
  const notFrozen = () => {
    const inCgroup = new Set(frozen ? cgroupPids(cgroupPath) : []);
    return processes.pids().filter((pid) => !inCgroup.has(pid));
  };
  const settled = await waitFor(
    () => {
      const running = notFrozen().filter((pid) => !stoppedOrGone(pid));
      for (const pid of running) sendSignal(pid, 'SIGSTOP');
      return running.length === 0 && (!frozen || cgroupFrozen(cgroupPath));
    },
    SETTLE_MS,
    LOOK_EVERY_MS,
  );
  if (settled) return frozen ? 'cgroup' : 'signals';
  continueProcesses(processes);
  return null;
}

/**
 * Continues whatever of the run is paused: thaws its cgroup, SIGCONT to each stopped process.
 * Harmless on a run that is not paused; a stop calls it after its signal, so a paused job can
 * act on that signal (save, exit) instead of waiting frozen for the SIGKILL.
 */
export function continueProcesses(processes: RunProcesses): void {
  if (processes.cgroupPath) setCgroupFrozen(processes.cgroupPath, false);
  for (const pid of processes.pids()) if (processState(pid) === 'T') sendSignal(pid, 'SIGCONT');
}

/** Continues the run and waits until none of it is frozen or stopped; false when some still is at the deadline. */
export function resumeProcesses(processes: RunProcesses): Promise<boolean> {
  return waitFor(
    () => {
      continueProcesses(processes);
      const { cgroupPath } = processes;
      return !(cgroupPath !== null && cgroupFrozen(cgroupPath)) && !processes.pids().some((pid) => processState(pid) === 'T');
    },
    SETTLE_MS,
    LOOK_EVERY_MS,
  );
}

/** Stopped (T), or ended (a zombie, dead, or no longer there): nothing left to stop. */
function stoppedOrGone(pid: number): boolean {
  const state = processState(pid);
  return state === null || state === 'T' || state === 'Z' || state === 'X';
}
