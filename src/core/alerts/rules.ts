/**
 * Which alerts a run's recorded history fires. The supervisor's writes (attempts started and
 * updated, the run updated, events added) are folded, one at a time, into a small state, and each
 * write returns the alerts it fires. Pure: the same writes give the same alerts, whatever the clock.
 *
 * Episodes: a stall fires once when declared; progress afterwards ends it, and a stall after
 * that is a new episode (and a new alert): the watchdog declares each episode once. A restart is one episode per attempt; the run's end
 * one alert. A stall the watchdog ends by killing the attempt (`--on-hang kill`) is not said on its
 * own: the attempt's end follows at once and its alert (restarting, failed, gave up) carries the
 * stall's diagnosis — one alert, not two. Should that end not come (a process that cannot be
 * killed), `dueAlerts` says the stall after STALL_END_GRACE_MS.
 */

import { formatDuration } from '../duration.ts';
import type { Alert, AlertKind, AlertLevel } from './alert.ts';

/** What the supervisor writes, as the rules see it (structural: the store's records fit). */
export type ObservedWrite =
  | { type: 'attempt_started'; runId: string; n: number; at: number }
  | { type: 'attempt'; runId: string; n: number; at: number; fields: AttemptFields }
  | { type: 'run'; runId: string; at: number; fields: RunFields }
  | { type: 'event'; runId: string; attempt: number | null; at: number; kind: string; data: unknown };

export type AttemptFields = {
  endedAt?: number | null;
  exitCode?: number | null;
  signal?: string | null;
  diagnosis?: unknown;
  restartReason?: string | null;
  restartDelayMs?: number | null;
  resumedFrom?: string | null;
  lostSteps?: number | null;
};

export type RunFields = {
  status?: string;
  endedAt?: number | null;
  exitCode?: number | null;
  signal?: string | null;
  flags?: readonly string[];
};

export type RuleOptions = { name: string | null; notifyFinished: boolean };

type AttemptMemo = {
  endedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  diagnosis: DiagnosisFacts | null;
  restartReason: string | null;
};

/** The parts of a Diagnosis an alert quotes. */
type DiagnosisFacts = {
  category: string | null;
  summary: string | null;
  exception: string | null;
  fix: string | null;
  where: string | null;
};

export type RuleState = {
  runId: string | null;
  attempts: Readonly<Record<number, AttemptMemo>>;
  /** The attempt running now, null between attempts and after the end. */
  running: number | null;
  /** A stall declared and not yet ended by progress. */
  stalled: boolean;
  /** When the stall was declared: only a step made after it ends it (stored progress may lag behind). */
  stalledAt: number | null;
  lastProgressAt: number | null;
  lastStep: number | null;
  /** Per kind, how many episodes so far. */
  episodes: Readonly<Record<string, number>>;
  /** After a restart: the attempt whose first progress says it recovered, and when the failed one ended. */
  recovering: { n: number; failedAt: number; resumedFrom: string | null; lostSteps: number | null } | null;
  /** Why the first attempt was refused (a resume refused, a full disk), for the run's failure alert. */
  refusal: string | null;
  /** A stall whose attempt the watchdog is ending: said by the attempt's end, or late (dueAlerts). */
  endingStall: DeferredAlert | null;
  ended: boolean;
};

type DeferredAlert = { kind: AlertKind; level: AlertLevel; title: string; figures: Alert['figures']; at: number; attempt: number | null };

/** How long a stall the watchdog is ending waits for the attempt's end before it is said alone. */
export const STALL_END_GRACE_MS = 90_000;

export const INITIAL_RULE_STATE: RuleState = {
  runId: null,
  attempts: {},
  running: null,
  stalled: false,
  stalledAt: null,
  lastProgressAt: null,
  lastStep: null,
  episodes: {},
  recovering: null,
  refusal: null,
  endingStall: null,
  ended: false,
};

const SUSPICIOUS_FLAGS = ['no_progress', 'incomplete'] as const;

/** The next state, and the alerts this write fires. */
export function alertsFor(state: RuleState, write: ObservedWrite, options: RuleOptions): { state: RuleState; alerts: Alert[] } {
  const next: RuleState = { ...state, runId: state.runId ?? write.runId };
  const fired: Alert[] = [];
  const fire = (kind: AlertKind, level: AlertLevel, title: string, figures: Alert['figures'], command = `vigil show ${write.runId}`) => {
    const episode = (next.episodes[kind] ?? 0) + 1;
    next.episodes = { ...next.episodes, [kind]: episode };
    fired.push({ kind, level, title, run: { id: write.runId, name: options.name }, figures, command, at: write.at, episode });
  };
  switch (write.type) {
    case 'attempt_started':
      next.running = write.n;
      next.stalled = false;
      next.attempts = { ...next.attempts, [write.n]: emptyMemo() };
      break;
    case 'attempt':
      onAttempt(next, write, fire);
      break;
    case 'event':
      onEvent(next, write, fire);
      break;
    case 'run':
      onRun(next, write, options, fire);
      break;
  }
  return { state: next, alerts: fired };
}

/** Alerts that time fires, not a write: a stall whose attempt's end has not come within its grace. */
export function dueAlerts(state: RuleState, now: number, options: RuleOptions): { state: RuleState; alerts: Alert[] } {
  const stall = state.endingStall;
  if (stall === null || state.runId === null || now - stall.at < STALL_END_GRACE_MS) return { state, alerts: [] };
  const episode = (state.episodes[stall.kind] ?? 0) + 1;
  const alert: Alert = {
    kind: stall.kind,
    level: stall.level,
    title: stall.title,
    run: { id: state.runId, name: options.name },
    figures: stall.figures,
    command: `vigil show ${state.runId}`,
    at: stall.at,
    episode,
  };
  return { state: { ...state, endingStall: null, episodes: { ...state.episodes, [stall.kind]: episode } }, alerts: [alert] };
}

type Fire = (kind: AlertKind, level: AlertLevel, title: string, figures: Alert['figures'], command?: string) => void;

function onAttempt(state: RuleState, write: Extract<ObservedWrite, { type: 'attempt' }>, fire: Fire): void {
  const { fields, n } = write;
  const memo: AttemptMemo = { ...(state.attempts[n] ?? emptyMemo()) };
  if (fields.endedAt !== undefined) memo.endedAt = fields.endedAt;
  if (fields.exitCode !== undefined) memo.exitCode = fields.exitCode;
  if (fields.signal !== undefined) memo.signal = fields.signal;
  if (fields.diagnosis !== undefined) memo.diagnosis = diagnosisFacts(fields.diagnosis);
  if (fields.restartReason !== undefined) memo.restartReason = fields.restartReason;
  state.attempts = { ...state.attempts, [n]: memo };
  if (fields.endedAt !== undefined && state.running === n) {
    state.running = null;
    state.stalled = false;
  }
  if (fields.endedAt !== undefined && state.endingStall?.attempt === n) state.endingStall = null; // its end says it
  if (typeof fields.restartDelayMs === 'number') {
    state.recovering = { n: n + 1, failedAt: memo.endedAt ?? write.at, resumedFrom: null, lostSteps: null };
    fire('restarting', 'warn', `attempt ${n} ${endedHow(memo)}; attempt ${n + 1} in ${formatDuration(fields.restartDelayMs)}`, {
      ...causeFigures(memo),
      attempt: n,
      delay_s: Math.round(fields.restartDelayMs / 1000),
      reason: memo.restartReason,
    });
  }
  // The restart's cost is written just after its decision: the recovery alert quotes it.
  if (fields.resumedFrom !== undefined && state.recovering?.n === n + 1)
    state.recovering = { ...state.recovering, resumedFrom: fields.resumedFrom, lostSteps: fields.lostSteps ?? null };
}

function onEvent(state: RuleState, write: Extract<ObservedWrite, { type: 'event' }>, fire: Fire): void {
  const data = (write.data ?? {}) as Record<string, unknown>;
  switch (write.kind) {
    case 'progress': {
      // The time the step last changed; progress is stored every few seconds, so an event may only repeat older news.
      const madeAt = typeof data.updated_at === 'number' ? data.updated_at : write.at;
      if (state.stalled && state.stalledAt !== null && madeAt <= state.stalledAt) break;
      state.stalled = false;
      state.lastProgressAt = madeAt;
      const step = typeof data.step === 'number' ? data.step : null;
      if (step !== null) state.lastStep = step;
      const recovering = state.recovering;
      if (recovering && write.attempt === recovering.n && step !== null) {
        state.recovering = null;
        const seconds = Math.round((write.at - recovering.failedAt) / 1000);
        fire('recovered', 'info', `back at step ${step.toLocaleString('en-US')} after ${formatDuration(write.at - recovering.failedAt)}`, {
          attempt: recovering.n,
          step,
          seconds_since_failure: seconds,
          resumed_from: recovering.resumedFrom,
          lost_steps: recovering.lostSteps,
        });
      }
      break;
    }
    case 'hang':
    case 'startup_stall': {
      // The watchdog says a stall once per episode (it says it again only after progress).
      state.stalled = true;
      state.stalledAt = write.at;
      const stall: DeferredAlert = {
        kind: write.kind,
        level: 'warn',
        title: text(data.summary) ?? (write.kind === 'hang' ? 'stalled: no progress' : 'stalled at start-up'),
        figures: { attempt: write.attempt, step: state.lastStep, stacks: typeof data.stacks === 'number' ? data.stacks : null },
        at: write.at,
        attempt: write.attempt,
      };
      if (data.ends_attempt === true) state.endingStall = stall;
      else fire(stall.kind, stall.level, stall.title, stall.figures);
      break;
    }
    case 'nan_loss': {
      const metric = text(data.metric) ?? 'loss';
      // An inf grad norm is routine under fp16 loss scaling; a NaN loss is not.
      if (!/loss/i.test(metric)) break;
      const step = typeof data.step === 'number' ? data.step : null;
      fire('nan_loss', 'error', `${metric} is ${String(data.value)}${step !== null ? ` at step ${step}` : ''}`, {
        metric,
        value: String(data.value),
        step,
        attempt: write.attempt,
      });
      break;
    }
    case 'disk_forecast': {
      const level = data.level === 'fail' ? 'error' : 'warn';
      // One warning and one failure forecast per run: the same forecast recurs after each attempt.
      if ((state.episodes[`disk_forecast:${level}`] ?? 0) > 0) break;
      state.episodes = { ...state.episodes, [`disk_forecast:${level}`]: 1 };
      fire(
        'disk_forecast',
        level,
        `disk: ${text(data.message) ?? 'checkpoints will not fit'}`,
        { forecast: text(data.level) },
        `vigil checkpoints ${write.runId}`,
      );
      break;
    }
    case 'resume_refused':
      state.refusal = text(data.reason);
      break;
    default:
  }
}

function onRun(state: RuleState, write: Extract<ObservedWrite, { type: 'run' }>, options: RuleOptions, fire: Fire): void {
  const { status, endedAt, flags = [] } = write.fields;
  if (state.ended || status === undefined || endedAt === undefined || endedAt === null) return;
  state.ended = true;
  state.running = null;
  state.stalled = false;
  const numbers = Object.keys(state.attempts).map(Number);
  const lastN = numbers.length > 0 ? Math.max(...numbers) : null;
  const last = lastN === null ? null : (state.attempts[lastN] ?? null);
  const common = { attempts: numbers.length, step: state.lastStep };
  if (status === 'failed') {
    if (last === null) {
      fire('failed', 'error', `did not start: ${state.refusal ?? 'refused before its first attempt'}`, {
        reason: state.refusal,
        ...common,
      });
    } else if (last.restartReason !== null && numbers.length > 0) {
      fire('gave_up', 'error', `gave up after ${plural(numbers.length, 'attempt')}: ${last.restartReason.replace(/^gave up: /, '')}`, {
        ...causeFigures(last),
        reason: last.restartReason,
        ...common,
      });
    } else
      fire('failed', 'error', `failed: ${last.diagnosis?.summary ?? endedHow(last)}`, {
        ...causeFigures(last),
        ...exitFigures(last),
        ...common,
      });
    return;
  }
  const suspicious = SUSPICIOUS_FLAGS.filter((flag) => flags.includes(flag));
  if (status === 'succeeded' && suspicious.length > 0) {
    const why = suspicious.includes('no_progress') ? 'exited 0 without any progress' : 'exited 0 far short of its known total';
    fire('suspicious_success', 'warn', `suspicious success: ${why}`, { flags: suspicious.join(', '), ...common });
    return;
  }
  if (options.notifyFinished) fire('finished', 'info', `${status}`, { ...common, flags: flags.join(', ') || null });
}

function emptyMemo(): AttemptMemo {
  return { endedAt: null, exitCode: null, signal: null, diagnosis: null, restartReason: null };
}

function endedHow(memo: AttemptMemo): string {
  if (memo.diagnosis?.category) return `failed (${memo.diagnosis.category})`;
  if (memo.signal) return `was killed by ${memo.signal}`;
  return memo.exitCode === null ? 'failed' : `exited with code ${memo.exitCode}`;
}

function causeFigures(memo: AttemptMemo): Alert['figures'] {
  const diagnosis = memo.diagnosis;
  return {
    cause: diagnosis?.category ?? null,
    summary: diagnosis?.summary ?? null,
    exception: diagnosis?.exception ?? null,
    where: diagnosis?.where ?? null,
    fix: diagnosis?.fix ?? null,
  };
}

function exitFigures(memo: AttemptMemo): Alert['figures'] {
  return { exit_code: memo.exitCode, signal: memo.signal };
}

/** A Diagnosis (unknown: as stored), read for its category, summary, first fix and user frame. */
function diagnosisFacts(value: unknown): DiagnosisFacts | null {
  if (value === null || typeof value !== 'object') return null;
  const diagnosis = value as { category?: unknown; summary?: unknown; fixes?: unknown; where?: unknown; exception?: unknown };
  const exception = (diagnosis.exception ?? null) as { type?: unknown; message?: unknown } | null;
  const where = (diagnosis.where ?? null) as { file?: unknown; line?: unknown; function?: unknown } | null;
  return {
    category: text(diagnosis.category),
    summary: text(diagnosis.summary),
    exception: exception && text(exception.type) ? `${String(exception.type)}: ${String(exception.message ?? '')}`.slice(0, 500) : null,
    fix: Array.isArray(diagnosis.fixes) ? text(diagnosis.fixes[0]) : null,
    where:
      where && text(where.file) ? `${String(where.file)}:${String(where.line)}${where.function ? ` ${String(where.function)}` : ''}` : null,
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What the heartbeat asks of the run: an attempt running, not stalled, and when it last made progress. */
export function runHealth(state: RuleState): {
  running: boolean;
  stalled: boolean;
  lastProgressAt: number | null;
  ended: boolean;
  failed: boolean;
} {
  return {
    running: state.running !== null,
    stalled: state.stalled,
    lastProgressAt: state.lastProgressAt,
    ended: state.ended,
    failed: state.ended && (state.episodes.failed ?? 0) + (state.episodes.gave_up ?? 0) > 0,
  };
}
