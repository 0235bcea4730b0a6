/**
 * `vigil drill`'s verdicts: from what a drill observed of a real run (when it injected the fault,
 * what vigil recorded after), whether vigil did what it promises, with the figures to show it.
 * Pure; the injecting and observing are src/drill's.
 */

import { lastPathPart } from '../text/last-path-part.ts';

export const DRILL_KINDS = ['crash', 'hang', 'worker', 'corrupt-checkpoint', 'supervisor', 'fingerprint'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

export type DrillResult = {
  kind: DrillKind;
  status: 'pass' | 'fail' | 'skip';
  /** One line: what vigil did and how long it took, or why it failed or was skipped. */
  detail: string;
  /** The run the drill ran the job as (null: it never started). */
  runId: string | null;
  /** Measured figures (milliseconds, steps). */
  figures: Record<string, number | null>;
};

const result = (
  kind: DrillKind,
  status: DrillResult['status'],
  detail: string,
  runId: string | null,
  figures: DrillResult['figures'] = {},
): DrillResult => ({ kind, status, detail, runId, figures });

/** `--only crash,hang` → those kinds, in the canonical order; an unknown name is an error (its message). */
export function parseKinds(only: string | undefined): DrillKind[] | string {
  if (only === undefined) return [...DRILL_KINDS];
  const names = only
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const unknown = names.filter((n) => !(DRILL_KINDS as readonly string[]).includes(n));
  if (unknown.length > 0) return `unknown drill ${unknown.join(', ')} (kinds: ${DRILL_KINDS.join(', ')})`;
  return DRILL_KINDS.filter((kind) => names.includes(kind));
}

/** What happened after the job's main process was killed (crash, corrupt-checkpoint, fingerprint share it). */
export type RestartObservation = {
  killedAt: number;
  /** The first verified checkpoint's step when the fault was injected, and the save interval seen (steps between checkpoints). */
  checkpointStep: number | null;
  saveInterval: number | null;
  /** The second attempt's start, what it resumed from and the steps the first lost, as vigil recorded them. */
  restartedAt: number | null;
  resumedFrom: string | null;
  lostSteps: number | null;
  refusedBecause: string | null;
  quarantined: string[];
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function judgeCrash(runId: string, seen: RestartObservation): DrillResult {
  const figures = { restart_ms: seen.restartedAt === null ? null : seen.restartedAt - seen.killedAt, lost_steps: seen.lostSteps };
  if (seen.restartedAt === null) return result('crash', 'fail', 'the job was killed but vigil did not restart it', runId, figures);
  if (seen.resumedFrom === null)
    return result(
      'crash',
      'fail',
      `restarted after ${seconds(figures.restart_ms as number)} but from scratch, not from a checkpoint`,
      runId,
      figures,
    );
  const lost = seen.lostSteps ?? 0;
  if (seen.saveInterval !== null && lost > seen.saveInterval)
    return result(
      'crash',
      'fail',
      `resumed, but ${lost} steps were lost: more than the save interval (${seen.saveInterval})`,
      runId,
      figures,
    );
  return result(
    'crash',
    'pass',
    `restarted after ${seconds(figures.restart_ms as number)}, resumed from ${lastPathPart(seen.resumedFrom)}, ${lost} step${lost === 1 ? '' : 's'} lost`,
    runId,
    figures,
  );
}

export function judgeCorruptCheckpoint(runId: string, planted: string, seen: RestartObservation): DrillResult {
  const figures = { restart_ms: seen.restartedAt === null ? null : seen.restartedAt - seen.killedAt };
  if (!seen.quarantined.includes(planted))
    return result('corrupt-checkpoint', 'fail', `the truncated ${lastPathPart(planted)} was not quarantined`, runId, figures);
  if (seen.resumedFrom === null || seen.resumedFrom === planted)
    return result('corrupt-checkpoint', 'fail', `quarantined, but the restart did not resume from the real checkpoint`, runId, figures);
  return result(
    'corrupt-checkpoint',
    'pass',
    `the truncated copy was quarantined; resumed from ${lastPathPart(seen.resumedFrom)}`,
    runId,
    figures,
  );
}

export function judgeFingerprint(runId: string, seen: RestartObservation): DrillResult {
  if (seen.refusedBecause !== null) return result('fingerprint', 'pass', `resume refused: ${seen.refusedBecause}`, runId);
  return result('fingerprint', 'fail', 'a changed input went unnoticed: the job resumed anyway', runId);
}

export type HangObservation = {
  stoppedAt: number;
  timeoutMs: number | null;
  detectedAt: number | null;
  stacks: number;
  restartedAt: number | null;
};

/** Slack over the configured timeout: the watchdog checks every second and the stacks take a moment. */
const HANG_SLACK_MS = 5_000;

export function judgeHang(runId: string, seen: HangObservation): DrillResult {
  const detectMs = seen.detectedAt === null ? null : seen.detectedAt - seen.stoppedAt;
  const figures = {
    detect_ms: detectMs,
    timeout_ms: seen.timeoutMs,
    restart_ms: seen.restartedAt === null ? null : seen.restartedAt - seen.stoppedAt,
  };
  if (detectMs === null) return result('hang', 'fail', 'the stopped job was never reported as stalled', runId, figures);
  if (seen.timeoutMs !== null && detectMs > seen.timeoutMs + HANG_SLACK_MS)
    return result(
      'hang',
      'fail',
      `stall reported after ${seconds(detectMs)}: later than the timeout (${seconds(seen.timeoutMs)})`,
      runId,
      figures,
    );
  if (seen.restartedAt === null)
    return result('hang', 'fail', `stall reported after ${seconds(detectMs)}, but the job was not restarted`, runId, figures);
  return result(
    'hang',
    'pass',
    `stall reported after ${seconds(detectMs)} with ${seen.stacks} stack${seen.stacks === 1 ? '' : 's'}, restarted`,
    runId,
    figures,
  );
}

export type WorkerObservation = {
  workerPid: number;
  diagnosis: { category: string; process: string | null; summary: string; evidence?: { text: string }[] } | null;
};

/** The diagnosis must name the worker that died: as the failing process, or by its pid in a decisive line. */
export function judgeWorker(runId: string, seen: WorkerObservation): DrillResult {
  if (seen.diagnosis === null)
    return result('worker', 'fail', `worker ${seen.workerPid} was killed but the attempt has no diagnosis`, runId);
  const pid = new RegExp(`\\b${seen.workerPid}\\b`);
  const named = /worker/i.test(seen.diagnosis.process ?? '') || (seen.diagnosis.evidence ?? []).some((e) => pid.test(e.text));
  const evidence = seen.diagnosis.evidence?.[0]?.text;
  return named
    ? result('worker', 'pass', `diagnosed ${seen.diagnosis.category}: ${evidence ?? seen.diagnosis.summary}`, runId)
    : result('worker', 'fail', `the diagnosis does not name worker ${seen.workerPid}: ${seen.diagnosis.summary}`, runId);
}

export type SupervisorObservation = { killedAt: number; orphanedAt: number | null; adopted: boolean };

export function judgeSupervisor(runId: string, seen: SupervisorObservation): DrillResult {
  const figures = { orphaned_ms: seen.orphanedAt === null ? null : seen.orphanedAt - seen.killedAt };
  if (seen.orphanedAt === null)
    return result('supervisor', 'fail', 'the run was not seen orphaned after its supervisor died', runId, figures);
  if (!seen.adopted) return result('supervisor', 'fail', 'found orphaned, but not re-adopted', runId, figures);
  return result(
    'supervisor',
    'pass',
    `found orphaned after ${seconds(figures.orphaned_ms as number)} and re-adopted; the job ran on`,
    runId,
    figures,
  );
}

export const skipped = (kind: DrillKind, why: string): DrillResult => result(kind, 'skip', why, null);
export const failed = (kind: DrillKind, why: string, runId: string | null = null): DrillResult => result(kind, 'fail', why, runId);
