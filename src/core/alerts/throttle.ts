/**
 * Deduplication and rate limits, as Alertmanager groups and repeats: one alert per (run, kind,
 * episode), at most `perKind` alerts of a kind and `perRun` alerts of a run within `windowMs`.
 * What the limits hold back is sent later as one digest. A run's last word (failed, gave up) is
 * never held: it goes out, and takes any digest due with it. Pure over (history, now).
 */

import type { Alert, AlertLevel } from './alert.ts';

export type SentAlert = Pick<Alert, 'kind' | 'episode' | 'at'> & { runId: string };

export type ThrottlePolicy = { windowMs: number; perKind: number; perRun: number };

export const DEFAULT_THROTTLE: ThrottlePolicy = { windowMs: 10 * 60_000, perKind: 3, perRun: 10 };

export type Admission = 'send' | 'duplicate' | 'hold';

const FINAL_KINDS: ReadonlySet<Alert['kind']> = new Set(['failed', 'gave_up', 'finished', 'suspicious_success']);
const NEVER_DEDUPLICATED: ReadonlySet<Alert['kind']> = new Set(['digest', 'test']);

export function admit(history: readonly SentAlert[], alert: Alert, now: number, policy: ThrottlePolicy = DEFAULT_THROTTLE): Admission {
  const runId = alert.run.id;
  const ofRun = history.filter((sent) => sent.runId === runId);
  if (!NEVER_DEDUPLICATED.has(alert.kind) && ofRun.some((sent) => sent.kind === alert.kind && sent.episode === alert.episode))
    return 'duplicate';
  if (FINAL_KINDS.has(alert.kind)) return 'send';
  const recent = ofRun.filter((sent) => now - sent.at < policy.windowMs);
  if (recent.length >= policy.perRun) return 'hold';
  if (recent.filter((sent) => sent.kind === alert.kind).length >= policy.perKind) return 'hold';
  return 'send';
}

/** Whether the held alerts are due as a digest: the oldest has waited a window, or the run has ended. */
export function digestDue(held: readonly Alert[], now: number, runEnded: boolean, policy: ThrottlePolicy = DEFAULT_THROTTLE): boolean {
  const oldest = held[0];
  return oldest !== undefined && (runEnded || now - oldest.at >= policy.windowMs);
}

/** The held alerts of one run as one: "6 more alerts: hang ×4, restarting ×2", at the worst level among them. */
export function digestOf(held: readonly Alert[], now: number, episode: number): Alert {
  const first = held[0];
  if (!first) throw new Error('digestOf: nothing held');
  const counts = new Map<string, number>();
  for (const alert of held) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  const last = held.at(-1) as Alert;
  return {
    kind: 'digest',
    level: worstLevel(held.map((alert) => alert.level)),
    title: `${held.length} more alert${held.length === 1 ? '' : 's'}: ${[...counts].map(([kind, n]) => `${kind} ×${n}`).join(', ')}`,
    run: first.run,
    figures: { ...Object.fromEntries(counts), first_at: new Date(first.at).toISOString(), latest: last.title },
    command: last.command,
    at: now,
    episode,
  };
}

const RANK: Record<AlertLevel, number> = { info: 0, warn: 1, error: 2 };

function worstLevel(levels: readonly AlertLevel[]): AlertLevel {
  return levels.reduce<AlertLevel>((worst, level) => (RANK[level] > RANK[worst] ? level : worst), 'info');
}
