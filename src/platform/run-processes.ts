/**
 * The processes that belong to one run, wherever they went. With a cgroup the kernel keeps
 * the list; without one, the VIGIL_RUN_ID tag in each environment does. Both views are
 * consulted when a cgroup exists, so a process that joined neither way is still found.
 */

import { cgroupPids, killCgroup } from './cgroup.ts';
import { findTaggedProcesses, isSameProcessAlive } from './proc.ts';

export class RunProcesses {
  readonly runId: string;
  readonly cgroupPath: string | null;
  constructor(runId: string, cgroupPath: string | null) {
    this.runId = runId;
    this.cgroupPath = cgroupPath;
  }

  pids(): number[] {
    const tagged = findTaggedProcesses(this.runId);
    if (!this.cgroupPath) return tagged;
    return [...new Set([...cgroupPids(this.cgroupPath), ...tagged])].filter((pid) => pid !== process.pid);
  }

  anyAlive(): boolean {
    return this.pids().length > 0;
  }

  /** Sends `signal` to each process (not its group: group members are processes too). */
  signalAll(signal: NodeJS.Signals): void {
    for (const pid of this.pids()) sendSignal(pid, signal);
  }

  /** SIGKILL to everything: cgroup.kill first (fork-proof), then each tagged straggler. */
  killAll(): void {
    if (this.cgroupPath) killCgroup(this.cgroupPath);
    this.signalAll('SIGKILL');
  }
}

export function sendSignal(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGKILLs a process that cannot act (a supervisor stopped with SIGSTOP, stuck), so that it cannot record anything if it
 * wakes, and waits until it is gone; false when it outlived `timeoutMs`.
 */
export async function killAndWait(pid: number, startTime: string | null, timeoutMs = 5000): Promise<boolean> {
  sendSignal(pid, 'SIGKILL');
  return waitFor(() => !isSameProcessAlive(pid, startTime), timeoutMs, 20);
}

/** Polls `condition` every `intervalMs` until it holds (true) or the deadline passes (false). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(1, deadline - Date.now()))));
  }
}
