/**
 * A dead man's switch (healthchecks.io style): the run pings a URL while it is healthy and making
 * progress, so that a machine that dies outright — which nothing on it can report — is noticed by
 * the pings that stop coming. No ping while stalled, nor when the last progress is stale; a run
 * that fails pings `URL/fail`. Pure: the decision from the run's health and the clock.
 */

export type Health = { running: boolean; stalled: boolean; lastProgressAt: number | null; ended: boolean; failed: boolean };

export type HeartbeatAction = 'ping' | 'fail' | 'none';

/** Progress is stored at most every few seconds: it counts as recent for a few intervals, and never less than this. */
const MIN_FRESH_MS = 15_000;

export function heartbeatAction(health: Health, now: number, lastPingAt: number | null, intervalMs: number): HeartbeatAction {
  if (health.ended) return health.failed ? 'fail' : 'none';
  if (!health.running || health.stalled || health.lastProgressAt === null) return 'none';
  if (now - health.lastProgressAt > Math.max(3 * intervalMs, MIN_FRESH_MS)) return 'none';
  if (lastPingAt !== null && now - lastPingAt < intervalMs) return 'none';
  return 'ping';
}

/** healthchecks.io's URL for a failure: the ping URL with `/fail` appended. */
export function failUrl(url: string): string {
  return `${url.replace(/\/+$/, '')}/fail`;
}
