/**
 * Turning attempts' outcomes into the run's record. Each attempt's observed exit status goes to
 * the database first, on its own: the diagnosis is enrichment and comes after, so that neither a
 * missing log nor a slow or failing diagnosis can stand between what happened and the record.
 * If the database cannot take the run's final outcome in time, it goes to the run's reserved
 * slot (outcome-slot.ts), from which the next vigil command records it.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withFatalStack } from '../core/diagnosis/fatal-stack.ts';
import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import { processName } from '../core/diagnosis/process-names.ts';
import { DRILL_FAULT_FILE, type DrillFault, drillFaultDiagnosis, isDrillFault } from '../core/drill/fault.ts';
import type { ExitStatus } from '../core/exit-status.ts';
import type { RunFlag } from '../core/runs/flags.ts';
import { describeStopReason, stopMeansFailure } from '../core/runs/stop-reason.ts';
import { outcomeOf, type StoredStatus } from '../core/run-status.ts';
import { isHangDiagnosis } from '../core/watchdog/hang-diagnosis.ts';
import { outcomeFlags } from '../core/watchdog/outcome-flags.ts';
import { stallAfterException } from '../core/watchdog/stall-after-exception.ts';
import { diagnoseFile } from '../diagnosis/diagnose-file.ts';
import type { AttemptOutcome } from './attempt.ts';
import { clearOutcomeSlot, outcomeSlotPath, type SlotOutcome, writeOutcomeSlot } from './outcome-slot.ts';
import type { PreparedRun } from './prepare.ts';
import type { PythonRegistry } from './python-events.ts';
import type { StoreWriter } from './store-writer.ts';
import { withSlurmState } from './slurm.ts';

/** How long the final record waits for a database that cannot be written (the slot holds it meanwhile). */
const FINAL_PATIENCE_MS = 30_000;

export type RecordedOutcome = {
  status: StoredStatus;
  flags: RunFlag[];
  recorded: 'database' | 'slot' | 'lost';
};

/**
 * An attempt has ended: its exit status is written first, on its own, then its diagnosis (which
 * never throws). Returns what it ended as, for the restart decision.
 */
export function recordAttemptEnd(
  run: PreparedRun,
  attempt: AttemptOutcome,
  writer: StoreWriter,
  warn: (message: string) => void,
): { status: StoredStatus; diagnosis: Diagnosis | null } {
  const status = statusOf(attempt);
  const { exit, endedAt } = attempt;
  writer.updateAttempt(run.id, attempt.n, {
    endedAt,
    exitCode: exit.code,
    signal: exit.signal,
    peakRssBytes: attempt.peakRssBytes,
    memoryMeasure: attempt.peakMemoryMeasure,
  });
  const diagnosis = diagnoseOutcome(attempt, status, warn);
  if (diagnosis) writer.updateAttempt(run.id, attempt.n, { diagnosis });
  return { status, diagnosis };
}

/**
 * The run is over (no further attempt): its status, exit and flags. When the database cannot
 * take them, they go to the run's outcome slot at once, then vigil waits up to FINAL_PATIENCE_MS
 * for the database. `onDurable` is called as soon as the outcome is safe somewhere.
 */
export async function recordRunEnd(
  run: PreparedRun,
  last: AttemptOutcome,
  status: StoredStatus,
  writer: StoreWriter,
  warn: (message: string) => void,
  onDurable: () => void,
): Promise<RecordedOutcome> {
  const flags = flagsOf(last, status, writer.degraded);
  const { exit, endedAt } = last;
  writer.updateRun(run.id, { status, endedAt, exitCode: exit.code, signal: exit.signal, flags });
  const stopReason = last.stopReason ? describeStopReason(last.stopReason) : null;
  const slot = { attempt: last.n, status, exit, endedAt, stopReason, peakRssBytes: last.peakRssBytes, flags };
  return { status, flags, recorded: await settleEndRecord(writer, run.dir, slot, warn, onDurable) };
}

/**
 * An end just handed to `writer`, made durable: when the database cannot take it now, it goes to the run's outcome slot at
 * once (`onDurable` is called as soon as it is safe somewhere), then the database is waited for up to FINAL_PATIENCE_MS.
 * Says where it is kept when the database never took it. `slot`: null where there is no attempt to keep it for.
 */
export async function settleEndRecord(
  writer: StoreWriter,
  runDir: string,
  slot: SlotOutcome | null,
  warn: (message: string) => void,
  onDurable: () => void = () => undefined,
): Promise<RecordedOutcome['recorded']> {
  const inSlot = writer.pending > 0 && slot !== null && writeOutcomeSlot(runDir, slot);
  if (writer.pending === 0 || inSlot) onDurable();
  if (await writer.flush(Date.now() + FINAL_PATIENCE_MS)) {
    if (inSlot) clearOutcomeSlot(runDir);
    return 'database';
  }
  writer.close();
  if (inSlot)
    warn(`the database could not be written; the outcome is kept in ${outcomeSlotPath(runDir)} and the next vigil command records it`);
  else warn('the database could not be written and the outcome could not be kept on disk either: the run will show as unknown');
  return inSlot ? 'slot' : 'lost';
}

function statusOf(attempt: AttemptOutcome): StoredStatus {
  if (attempt.launchError || attempt.watchdogDiagnosis) return 'failed';
  if (attempt.stopReason && stopMeansFailure(attempt.stopReason)) return 'failed';
  return outcomeOf(attempt.exit, attempt.stopReason !== null);
}

function flagsOf(attempt: AttemptOutcome, status: StoredStatus, storeDegraded: boolean): RunFlag[] {
  const flags = new Set<RunFlag>([
    ...attempt.watchdogFlags,
    ...(outcomeFlags({
      progress: attempt.progress,
      advances: attempt.advances,
      stages: attempt.stages,
      succeeded: status === 'succeeded',
      imports: attempt.registry.imports,
    }) as RunFlag[]),
  ]);
  if (storeDegraded) flags.add('store_degraded');
  return [...flags];
}

/**
 * The watchdog's diagnosis (the log's when the stall came after an uncaught exception), or the
 * log's for a failed attempt; never an exception (a deleted run directory, an unreadable log).
 */
function diagnoseOutcome(attempt: AttemptOutcome, status: StoredStatus, warn: (message: string) => void): Diagnosis | null {
  const fromLog = (exit: ExitStatus) => {
    try {
      return withSlurmState(diagnoseAttempt(attempt.logPath, exit, attempt.pyDir, attempt.registry));
    } catch (error) {
      warn(`could not diagnose the attempt from ${attempt.logPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return null;
    }
  };
  const watchdog = attempt.watchdogDiagnosis;
  if (watchdog) {
    if (!isHangDiagnosis(watchdog) || watchdog.raised.length === 0) return watchdog;
    // The exit was vigil's own stop of the stalled job: the log's diagnosis is of the exception alone.
    const exception = fromLog({ code: null, signal: null });
    return exception ? stallAfterException(watchdog, exception) : watchdog;
  }
  if (status !== 'failed' || attempt.launchError) return null;
  const fault = drillFaultOn(attempt);
  if (fault) return drillFaultDiagnosis(fault);
  return fromLog(attempt.exit);
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

/** The fault a drill injected into this attempt's main process, if it did (core/drill/fault.ts). */
function drillFaultOn(attempt: AttemptOutcome): DrillFault | null {
  try {
    const fault: unknown = JSON.parse(readFileSync(join(dirname(attempt.pyDir), DRILL_FAULT_FILE), 'utf8'));
    return isDrillFault(fault) && fault.attempt === attempt.n && fault.pid === attempt.pid ? fault : null;
  } catch {
    return null; // no drill
  }
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
