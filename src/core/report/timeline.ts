/** The events of a run (src/core/runs/events.ts) and its attempts' starts and ends, as lines a person reads in time order. */

import { formatDuration } from '../duration.ts';
import { formatSize } from '../size.ts';
import type { AttemptFacts } from '../runs/views.ts';

/** `kind`: the event's kind, or `attempt_started`, `attempt_ended`, `restart` for an attempt's own entries. */
export type TimelineEntry = { at: number; attempt: number | null; kind: string; text: string };
export type StoredEvent = { attempt: number | null; at: number; kind: string; data: unknown };

/** Recorded often and drawn elsewhere (the chart, the stages): not timeline entries. */
const NOT_IN_TIMELINE = new Set(['progress', 'stages']);
const MAX_DETAIL = 300;

const clip = (text: string) => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text);

export function attemptEnd(attempt: Pick<AttemptFacts, 'signal' | 'exitCode' | 'endedAt'>): string {
  if (attempt.signal) return `killed by ${attempt.signal}`;
  if (attempt.exitCode !== null) return `exit ${attempt.exitCode}`;
  return attempt.endedAt !== null ? 'exit unknown' : 'running';
}

/** A field of an event cut before it is worked on: a 100 KB message repeated by 20,000 events must not be copied whole each time. */
const short = (value: unknown): string => String(value ?? '').slice(0, SHORT_CHARS);
const SHORT_CHARS = 2000;

/** One event in words; an unknown kind (a newer vigil's) as its kind and data. */
export function describeEvent(kind: string, data: unknown): string {
  const d = (data ?? {}) as Record<string, any>;
  switch (kind) {
    case 'phase':
      return `phase: ${d.name}`;
    case 'checkpoint':
      return `checkpoint saved: ${d.path}${d.step != null ? ` (step ${d.step})` : ''}`;
    case 'python_exception':
      return `${d.type} raised in ${d.process ?? `pid ${d.pid}`}${d.thread && d.thread !== 'MainThread' ? ` (thread ${d.thread})` : ''}: ${short(d.message).split('\n')[0]}`;
    case 'nan_loss':
      return `non-finite ${d.metric} (${String(d.value)})${d.step != null ? ` at step ${d.step}` : ''}`;
    case 'stage_stall':
      return `stage stall: ${short(d.message)}`;
    case 'hang':
    case 'startup_stall':
      return `${kind === 'hang' ? 'stall' : 'startup stall'}: ${short(d.summary)} (${d.stacks} stacks taken)`;
    case 'log_size_warning':
      return `warning: the log reached ${formatSize(Number(d.bytes))}`;
    case 'log_truncated':
      return `the log was truncated at byte ${d.at}`;
    case 'stop_requested':
      return `stop requested${d.force ? ' (force)' : ''}, timeout ${formatDuration(Number(d.timeout_ms))}`;
    case 'hangup':
      return 'the terminal hung up';
    case 'disk_forecast':
      return `disk forecast (${d.level}): ${short(d.message)}`;
    case 'checkpoint_deleted':
      return `checkpoint deleted: ${d.path} (${d.reason})`;
    case 'resume_refused':
      return `resume refused: ${short(d.reason)}`;
    case 'checkpoint_quarantined':
      return `checkpoint quarantined: ${d.from}${d.inPlace ? '' : ` → ${d.to}`} (${d.reason})`;
    case 'supervisor_paused':
      return `vigil itself was not running for ${formatDuration(Number(d.ms))}`;
    case 'paused':
      return `paused (${d.method}, ${d.pids} processes)`;
    case 'resumed':
      return `resumed after ${formatDuration(Number(d.paused_ms))}`;
    case 'store_unavailable':
      return `the state database was unavailable: ${d.cause}`;
    case 'stopped_orphan':
      return `orphaned processes stopped${d.survivors?.length ? `, ${d.survivors.length} survived` : ''}`;
    case 'ended_unwatched':
      return 'ended while no supervisor watched it';
    case 'outcome_recovered':
      return `outcome recovered (from ${d.from})`;
    case 'drill':
      return `drill ${d.kind}: ${d.status}${d.detail ? `, ${d.detail}` : ''}`;
    default:
      return `${kind}${data == null ? '' : `: ${short(JSON.stringify(data))}`}`;
  }
}

/** Attempts (start, end, restart decision) and events, in time order. */
export function timelineOf(attempts: readonly AttemptFacts[], events: readonly StoredEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const attempt of attempts) {
    entries.push({
      at: attempt.startedAt,
      attempt: attempt.n,
      kind: 'attempt_started',
      text: `attempt ${attempt.n} started (pid ${attempt.pid ?? '-'})`,
    });
    if (attempt.endedAt === null) continue;
    const stopped = attempt.stopReason ? `, stopped by ${attempt.stopReason}` : '';
    entries.push({
      at: attempt.endedAt,
      attempt: attempt.n,
      kind: 'attempt_ended',
      text: `attempt ${attempt.n} ended: ${attemptEnd(attempt)}${stopped}`,
    });
    if (attempt.restartReason) {
      const delay = attempt.restartDelayMs ? ` after ${formatDuration(attempt.restartDelayMs)}` : '';
      const from = attempt.resumedFrom ? `, resuming from ${attempt.resumedFrom}` : '';
      const lost = attempt.lostSteps != null ? `, ${attempt.lostSteps} steps lost` : '';
      entries.push({
        at: attempt.endedAt,
        attempt: attempt.n,
        kind: 'restart',
        text: `restart: ${attempt.restartReason}${delay}${from}${lost}`,
      });
    }
  }
  for (const event of events)
    if (!NOT_IN_TIMELINE.has(event.kind))
      entries.push({ at: event.at, attempt: event.attempt, kind: event.kind, text: clip(describeEvent(event.kind, event.data)) });
  // Stable: an attempt's end stays before the restart decided at the same moment.
  return entries.sort((a, b) => a.at - b.at);
}
