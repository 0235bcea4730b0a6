/**
 * `vigil pause RUN` / `vigil resume RUN`: every process of a run stopped where it stands and
 * continued later (src/platform/run-pause.ts), done by the command itself so that an orphaned run
 * can be paused as well as a supervised one. The supervisor learns of it from the `paused` file in
 * the run directory, which exists exactly while the run is paused (its watchdog looks on each tick
 * and stops the stall clock meanwhile: time frozen is not time without progress). The store keeps
 * it as `paused` / `resumed` events, which `vigil ps` and `vigil show` read.
 *
 * The file is also the claim: creating it (O_EXCL) makes one `vigil pause` the one that pauses,
 * renaming it away makes one `vigil resume` the one that continues.
 */

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIVE_STATUSES } from '../core/run-status.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { type PauseMethod, pauseProcesses, resumeProcesses } from '../platform/run-pause.ts';
import { RunProcesses } from '../platform/run-processes.ts';
import type { RunStore } from '../store/runs.ts';
import type { ObservedRun } from './reconcile.ts';

/** The name of the file that says, in a run directory, that the run is paused. */
export const PAUSE_FILE = 'paused';

export async function pauseRun(store: RunStore, run: ObservedRun): Promise<{ method: PauseMethod; pids: number }> {
  refuseUnlessLive(run, 'pause');
  const latest = store.attempts(run.id).at(-1) ?? null;
  const processes = new RunProcesses(run.id, run.cgroupPath);
  const pids = processes.pids().length;
  if (pids === 0) throw new VigilError(`run ${run.id} has no process alive to pause (between attempts?)`, ExitCode.notRunning);
  const file = join(run.runDir, PAUSE_FILE);
  try {
    // First: the watchdog stops the stall clock before the job stops printing.
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new VigilError(`run ${run.id} is already paused (vigil resume ${run.id} continues it)`, ExitCode.pauseUnchanged);
  }
  try {
    const method = await pauseProcesses(processes, latest?.pgid ?? null);
    if (method === null) throw new VigilError(`run ${run.id}: not every process stopped within 5s; it was continued`, ExitCode.failure);
    store.addEvent({ runId: run.id, attempt: latest?.n ?? null, at: Date.now(), kind: 'paused', data: { method, pids } });
    return { method, pids };
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
}

export async function resumeRun(store: RunStore, run: ObservedRun): Promise<{ pausedMs: number | null }> {
  refuseUnlessLive(run, 'resume');
  const file = join(run.runDir, PAUSE_FILE);
  const claimed = `${file}.resuming-${process.pid}`;
  try {
    renameSync(file, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new VigilError(`run ${run.id} is not paused`, ExitCode.pauseUnchanged);
  }
  if (!(await resumeProcesses(new RunProcesses(run.id, run.cgroupPath)))) {
    renameSync(claimed, file); // still paused, as far as anyone can tell: a later resume tries again
    throw new VigilError(`run ${run.id}: some of its processes are still stopped after 5s`, ExitCode.failure);
  }
  try {
    const pausedAt = store.pausedSince(run.id);
    const now = Date.now();
    const pausedMs = pausedAt === null ? null : now - pausedAt;
    const latest = store.attempts(run.id).at(-1) ?? null;
    store.addEvent({ runId: run.id, attempt: latest?.n ?? null, at: now, kind: 'resumed', data: { paused_ms: pausedMs ?? 0 } });
    return { pausedMs };
  } finally {
    rmSync(claimed, { force: true });
  }
}

function refuseUnlessLive(run: ObservedRun, verb: 'pause' | 'resume'): void {
  if (!LIVE_STATUSES.includes(run.observedStatus))
    throw new VigilError(`run ${run.id} is not running (${run.observedStatus}): nothing to ${verb}`, ExitCode.notRunning);
}
