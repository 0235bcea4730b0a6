/**
 * Brings stored run states in line with what is alive now. A run whose supervisor died shows as
 * `orphaned` while its processes live, and is recorded as ended (`unknown`: nobody saw its
 * exit status) once they are gone. Every vigil command that reads runs goes through here.
 */

import { endedUnwatchedStatus, observeStatus, type RunStatus, type StoredStatus } from '../core/run-status.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { removeCgroup } from '../platform/cgroup.ts';
import { RunProcesses } from '../platform/run-processes.ts';
import { isSameProcessAlive } from '../platform/proc.ts';
import type { AttemptRecord, RunRecord, RunStore } from '../store/runs.ts';
import { clearOutcomeSlot, readOutcomeSlot, type SlotOutcome } from './outcome-slot.ts';

export type ObservedRun = RunRecord & { observedStatus: RunStatus; livePids: number[] };

export function observeRun(store: RunStore, run: RunRecord): ObservedRun {
  if (run.status !== 'running') return { ...run, observedStatus: run.status, livePids: [] };
  const supervisorAlive = run.supervisorPid !== null && isSameProcessAlive(run.supervisorPid, run.supervisorStart);
  if (!supervisorAlive) {
    const kept = readOutcomeSlot(run.runDir);
    if (kept) return recordKeptOutcome(store, run, kept);
  }
  const livePids = supervisorAlive ? [] : new RunProcesses(run.id, run.cgroupPath).pids();
  const { status, endedUnwatched } = observeStatus(run.status, { supervisorAlive, taggedProcessesAlive: livePids.length > 0 });
  if (!endedUnwatched) return { ...run, observedStatus: status, livePids };
  const last = store.attempts(run.id).at(-1) ?? null;
  const ended = endedUnwatchedStatus(last);
  if (!store.readonly) recordEndedUnwatched(store, run, ended, last); // a read-only store is only observed
  return { ...run, observedStatus: ended, livePids, exitCode: last?.exitCode ?? null, signal: last?.signal ?? null };
}

/**
 * The supervisor saw the job end but could not write the database (a full disk, a lock) and kept
 * the outcome in the run's slot: it is recorded now, as it happened, and the slot cleared.
 */
function recordKeptOutcome(store: RunStore, run: RunRecord, kept: SlotOutcome): ObservedRun {
  const fields = { status: kept.status, endedAt: kept.endedAt, exitCode: kept.exit.code, signal: kept.exit.signal, flags: kept.flags };
  try {
    store.exclusively(() => {
      if (store.getRun(run.id)?.status !== 'running') return;
      store.updateRun(run.id, fields);
      store.updateAttempt(run.id, kept.attempt, {
        endedAt: kept.endedAt,
        exitCode: kept.exit.code,
        signal: kept.exit.signal,
        peakRssBytes: kept.peakRssBytes,
        stopReason: kept.stopReason,
      });
      store.addEvent({ runId: run.id, attempt: kept.attempt, at: Date.now(), kind: 'outcome_recovered', data: { from: 'outcome slot' } });
    });
    clearOutcomeSlot(run.runDir);
  } catch {
    // Still unwritable: shown from the slot now, recorded by a later command.
  }
  if (run.cgroupPath) removeCgroup(run.cgroupPath);
  return { ...run, ...fields, observedStatus: kept.status, livePids: [] };
}

/** Best-effort: a database that cannot be written now (full, locked) is only observed; a later command records it. */
function recordEndedUnwatched(store: RunStore, run: RunRecord, status: StoredStatus, last: AttemptRecord | null): void {
  const now = Date.now();
  try {
    writeEndedUnwatched(store, run, now, status, last);
  } catch (error) {
    if (!/^SQLITE_(FULL|BUSY|LOCKED|IOERR|READONLY)/.test(String((error as { code?: unknown }).code))) throw error;
    return;
  }
  if (run.cgroupPath) removeCgroup(run.cgroupPath);
}

function writeEndedUnwatched(store: RunStore, run: RunRecord, now: number, status: StoredStatus, last: AttemptRecord | null): void {
  store.exclusively(() => {
    const current = store.getRun(run.id);
    if (current?.status !== 'running') return; // someone else recorded it meanwhile
    const exit = status === 'unknown' ? {} : { exitCode: last?.exitCode ?? null, signal: last?.signal ?? null };
    store.updateRun(run.id, { status, endedAt: last?.endedAt ?? now, ...exit });
    for (const attempt of store.attempts(run.id)) {
      if (attempt.endedAt === null) store.updateAttempt(run.id, attempt.n, { endedAt: now });
    }
    // A restart was decided (its delay recorded) but the supervisor died in the backoff: say the next attempt never came.
    if (last !== null && last.restartDelayMs !== null)
      store.updateAttempt(run.id, last.n, {
        restartReason: `${last.restartReason ?? 'restart decided'}; vigil ended during the backoff: attempt ${last.n + 1} never started`,
      });
    store.addEvent({ runId: run.id, attempt: null, at: now, kind: 'ended_unwatched', data: null });
  });
}

/**
 * Inside a write transaction: refuses `name` while a live run holds it; a stale holder (dead
 * supervisor, no process left) is recorded as ended and the name taken over.
 */
export function claimRunName(store: RunStore, name: string): void {
  for (const holder of store.runsNamed(name, 'running')) {
    const observed = observeRun(store, holder);
    if (observed.observedStatus === 'running') {
      throw new VigilError(
        `name "${name}" is taken by live run ${holder.id} (supervisor pid ${holder.supervisorPid}); stop it with: vigil stop ${name}`,
        ExitCode.nameInUse,
      );
    }
    if (observed.observedStatus === 'orphaned') {
      throw new VigilError(
        `name "${name}" is taken by orphaned run ${holder.id} (pid ${observed.livePids.join(', ')} still running without a supervisor); end it with: vigil stop ${holder.id}`,
        ExitCode.nameInUse,
      );
    }
  }
}
