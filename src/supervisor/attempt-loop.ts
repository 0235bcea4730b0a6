/**
 * One run, many attempts: attempt after attempt, as the restart policy decides
 * (core/restart/policy.ts), until one ends the run. Each attempt is recorded as it ends, with why
 * the next one was or was not started, where it resumes from and what the restart cost.
 *
 * Read top-down: runAttempts → (refusalBeforeAttempt | attemptAndAftercare) → decideRestart →
 * announceRestart → waitBeforeRestart.
 */

import type { Diagnosis } from '../core/diagnosis/diagnose.ts';
import type { StoredStatus } from '../core/run-status.ts';
import { formatDuration } from '../core/duration.ts';
import { adaptParams, paramEnvironment, type Params, substituteParams } from '../core/restart/params.ts';
import { type AttemptSummary, decideRestart, type RestartDecision } from '../core/restart/policy.ts';
import type { RunStore } from '../store/runs.ts';
import { ExitCode, VigilError } from '../errors.ts';
import { type AttemptOutcome, runAttempt } from './attempt.ts';
import { exactForAttempt } from './attempt-command.ts';
import type { PreparedRun } from './prepare.ts';
import { recordAttemptEnd } from './record.ts';
import { describeRestartCost } from './restart-cost.ts';
import {
  chooseResume,
  forecastCheckpointDisk,
  keepCheckpointsDuringAttempt,
  type Resume,
  retainAndForecast,
  sealAfterAttempt,
  warnOfDisk,
} from './resume.ts';
import type { SupervisorSignals } from './signals.ts';
import type { StoreWriter } from './store-writer.ts';
import type { GroupDecision } from '../core/group/restart-together.ts';
import { verifiedSteps } from './checkpoints.ts';
import type { GroupRestart } from './group-restart.ts';
import type { SuperviseHooks } from './supervise.ts';

/** How the run ended: its last attempt, what that attempt ended as, and when the first one started. */
export type AttemptsEnd = { last: AttemptOutcome; status: StoredStatus; diagnosis: Diagnosis | null; firstStartedAt: number };

type Ended = { attempt: AttemptOutcome; status: StoredStatus; diagnosis: Diagnosis | null };

export type AttemptLoopContext = {
  run: PreparedRun;
  store: RunStore;
  writer: StoreWriter;
  signals: SupervisorSignals;
  hooks: SuperviseHooks;
  /** `vigil stop`'s request (timeout, force), read when a stop signal arrives. */
  readStopRequest: () => { timeoutMs: number; force: boolean } | null;
  /** A node of a group on a shared store: whether its group asked it to stop between two times (see AttemptContext). */
  stopAskedBetween?: (from: number, to: number) => Promise<boolean>;
  /** A node of a group with a shared store: the group decides each restart once, for all its nodes. */
  group?: GroupRestart | null;
};

export async function runAttempts(context: AttemptLoopContext): Promise<AttemptsEnd> {
  const { run, writer, hooks } = context;
  const history: AttemptSummary[] = [];
  const end = (ended: Ended): AttemptsEnd => ({
    last: ended.attempt,
    status: ended.status,
    diagnosis: ended.diagnosis,
    firstStartedAt: history[0]?.startedAt ?? ended.attempt.startedAt,
  });
  let params = run.spec.params;
  let previous: Ended | null = null;
  let chosen: Resume | null = null; // chosen before the backoff, to say it in the restart line
  for (let n = 1; ; n += 1) {
    const resume = chosen ?? (await chooseResume(run, n, substituteParams(run.args, params), writer, warnerOf(hooks)));
    const refusal = await refusalBeforeAttempt(run, resume, previous);
    if (refusal) {
      if (!previous) throw await refuseBeforeStart(run, writer, refusal.beforeStart, refusal.exitCode);
      writer.updateAttempt(run.id, n - 1, { restartReason: refusal.beforeRestart });
      // A refused resume is an event whether it stops the first attempt or a restart (drills and alerts look for it).
      if (resume.refused !== null)
        writer.addEvent({ runId: run.id, attempt: n - 1, at: Date.now(), kind: 'resume_refused', data: { reason: resume.refused } });
      hooks.onRestart?.(`not restarting: ${refusal.reason}`);
      return end(previous);
    }
    const ended = await attemptAndAftercare(context, n, resume, params);
    history.push(summarize(ended));
    previous = ended;
    const local = decideRestart(history, run.spec.restart);
    const together = await groupDecision(context, n, ended, history);
    const decision = together ? followGroup(together, local) : local;
    if (decision.kind === 'stop') {
      recordNoRestart(context, ended, decision.reason);
      return end(ended);
    }
    const adapted = decision.adaptive ? adaptParams(params, decision.adaptive) : { params, changes: [] };
    params = adapted.params;
    chosen = await chooseResume(run, n + 1, substituteParams(run.args, params), writer, warnerOf(hooks), together?.resumeStep);
    if (ended.status === 'failed') hooks.onFailedBeforeRestart?.(run.id, n);
    announceRestart(context, history.at(-1) as AttemptSummary, decision, chosen, adapted.changes);
    // A group's nodes all start at the moment it decided on, not each after its own delay.
    const delayMs = together ? Math.max(0, together.startAt - Date.now()) : decision.delayMs;
    if (!(await waitBeforeRestart(context.signals, delayMs))) {
      writer.updateAttempt(run.id, n, { restartReason: 'stopped by the user during the backoff' });
      return end({ ...ended, attempt: { ...ended.attempt, stopReason: { kind: 'signal', signal: 'SIGTERM' } }, status: 'stopped' });
    }
  }
}

const warnerOf = (hooks: SuperviseHooks) => (message: string) => hooks.onWarning?.(message);

/** A node of a group asks its group (null: no group, restarts off, or no shared store to ask through now). */
async function groupDecision(
  context: AttemptLoopContext,
  n: number,
  ended: Ended,
  history: readonly AttemptSummary[],
): Promise<GroupDecision | null> {
  if (!context.group) return null;
  const { dirs, glob } = context.run.spec.checkpoints;
  const steps = dirs.length === 0 ? [] : await verifiedSteps(dirs, glob ?? undefined).catch(() => []);
  const summary = history.at(-1) as AttemptSummary;
  return context.group.decide(
    n,
    {
      outcome: summary.outcome,
      endedAt: ended.attempt.endedAt,
      diagnosis: ended.diagnosis,
      verifiedSteps: steps,
      restartAsked: summary.restartAsked === true,
    },
    history,
  );
}

/** The group's decision in the loop's terms; an adaptive change stays this node's own. */
function followGroup(together: GroupDecision, local: RestartDecision): RestartDecision {
  if (!together.restart) return { kind: 'stop', reason: together.reason };
  return {
    kind: 'restart',
    delayMs: Math.max(0, together.startAt - Date.now()),
    reason: together.reason,
    adaptive: local.kind === 'restart' ? local.adaptive : null,
  };
}

/**
 * Why attempt N may not start, or null: its inputs changed since its checkpoint
 * (`--on-fingerprint-change refuse`, exit 9), or not even one more checkpoint fits on the disk
 * (an attempt now would crash at its next save, exit 10).
 */
async function refusalBeforeAttempt(
  run: PreparedRun,
  resume: Resume,
  previous: Ended | null,
): Promise<{ reason: string; beforeStart: string; beforeRestart: string; exitCode: number } | null> {
  if (resume.refused !== null)
    return { reason: resume.refused, beforeStart: resume.refused, beforeRestart: resume.refused, exitCode: ExitCode.resumeRefused };
  const disk = await forecastCheckpointDisk(run, previous?.attempt.progress ?? { step: null, total: null }).catch(() => null);
  if (disk?.level === 'fail')
    return {
      reason: disk.message,
      beforeStart: `not starting: ${disk.message}`,
      beforeRestart: `not restarting: ${disk.message}`,
      exitCode: ExitCode.noRoomForCheckpoint,
    };
  return null;
}

/** The run ends before its first attempt: recorded as failed, and said in one line. */
async function refuseBeforeStart(run: PreparedRun, writer: StoreWriter, reason: string, exitCode: number): Promise<VigilError> {
  const now = Date.now();
  writer.updateRun(run.id, { status: 'failed', endedAt: now, flags: [] });
  writer.addEvent({ runId: run.id, attempt: null, at: now, kind: 'resume_refused', data: { reason } });
  await writer.flush(now + 5000);
  return new VigilError(reason, exitCode);
}

/**
 * One attempt, with its checkpoints kept while it runs, then recorded, its checkpoints sealed,
 * retention applied and the disk forecast checked, before any restart is decided.
 */
async function attemptAndAftercare(context: AttemptLoopContext, n: number, resume: Resume, params: Params): Promise<Ended> {
  const { run, store, writer, hooks } = context;
  const warn = warnerOf(hooks);
  const metricAt = (step: number) => metricNear(store, run, step);
  const stopHousekeeping = keepCheckpointsDuringAttempt(run, n, writer, warn, metricAt, resume.fingerprints);
  const attempt = await runAttempt({
    run,
    n,
    writer,
    signals: context.signals,
    hooks,
    args: resume.args,
    ...(run.spec.exact ? { exact: exactForAttempt(run.spec.exact, params, resume.from?.path ?? null) } : {}),
    env: { ...paramEnvironment(params), ...resume.env },
    params,
    readStopRequest: context.readStopRequest,
    ...(context.stopAskedBetween ? { stopAskedBetween: context.stopAskedBetween } : {}),
  });
  await stopHousekeeping();
  // What the attempt read, for the memory of failures: what differs between a failure and a later success.
  if (resume.fingerprints.length > 0) writer.updateAttempt(run.id, n, { fingerprints: resume.fingerprints });
  const { status, diagnosis } = recordAttemptEnd(run, attempt, writer, warn);
  await sealAfterAttempt(run, attempt.announcedCheckpoints, resume.fingerprints, warn);
  warnOfDisk(run, n, await retainAndForecast(run, n, writer, warn, metricAt, attempt.progress), writer, warn);
  await attempt.drainEcho();
  return { attempt, status, diagnosis };
}

/** No further attempt: why, on the attempt (when restarts were asked for), and in one line when it failed. */
function recordNoRestart({ run, writer, hooks }: AttemptLoopContext, ended: Ended, reason: string): void {
  if (run.spec.restart.mode === 'no' || ended.status === 'stopped') return;
  writer.updateAttempt(run.id, ended.attempt.n, { restartReason: reason });
  if (ended.status === 'failed') hooks.onRestart?.(`not restarting: ${reason}`);
}

/** Recorded on the attempt that ended, and said: "attempt 2 in 7s: resuming from checkpoint-300 (lost 35 steps, 41s) — cause …". */
function announceRestart(
  { run, writer, hooks }: AttemptLoopContext,
  ended: AttemptSummary,
  decision: Extract<RestartDecision, { kind: 'restart' }>,
  next: Resume,
  changes: readonly string[],
): void {
  writer.updateAttempt(run.id, ended.n, { restartReason: decision.reason, restartDelayMs: decision.delayMs });
  let cost = '';
  if (next.refused === null) {
    const described = describeRestartCost(ended, next.from);
    writer.updateAttempt(run.id, ended.n, described.record);
    cost = `: ${described.words}`;
  }
  const changed = changes.length > 0 ? `; ${changes.join(', ')}` : '';
  hooks.onRestart?.(`attempt ${ended.n + 1} in ${formatDuration(decision.delayMs)}${cost} — ${decision.reason}${changed}`);
}

/** The `--best-metric` value the job reported last at or before `step` (from the stored progress), null when unknown. */
function metricNear(store: RunStore, run: PreparedRun, step: number): number | null {
  const name = run.spec.checkpoints.bestMetric;
  if (!name) return null;
  let value: number | null = null;
  try {
    for (const event of store.events(run.id, 'progress')) {
      const progress = event.data as { step: number | null; metrics: Record<string, unknown> };
      const metric = progress.metrics[name];
      if (progress.step !== null && progress.step <= step && typeof metric === 'number') value = metric;
    }
  } catch {
    return null; // a store that cannot be read: keep-best keeps what it cannot rank
  }
  return value;
}

function summarize({ attempt, status, diagnosis }: Ended): AttemptSummary {
  return {
    n: attempt.n,
    startedAt: attempt.startedAt,
    endedAt: attempt.endedAt,
    outcome: status === 'succeeded' ? 'succeeded' : status === 'stopped' ? 'stopped' : 'failed',
    category: diagnosis?.category ?? null,
    retryable: diagnosis?.retryable ?? null,
    step: attempt.progress.step,
    checkpointStep: attempt.checkpointStep,
    restartAsked: attempt.stopReason?.kind === 'restart',
  };
}

/** The backoff; a stop signal (Ctrl-C, `vigil stop`) during it ends the run instead. False when it did. */
function waitBeforeRestart(signals: SupervisorSignals, delayMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), delayMs);
    signals.running((signal) => {
      if (signal === 'SIGHUP') return;
      clearTimeout(timer);
      resolve(false);
    });
  });
}
