/**
 * An alert: what a person is told about a run when they are not watching its terminal (a webhook,
 * a phone push, a command). Plain data, the same object every target gets (as JSON for `exec:`
 * and the generic webhook); `command` is the `vigil` command to look further.
 */

export type AlertLevel = 'info' | 'warn' | 'error';

export type AlertKind =
  /** The run ended failed (no restart asked for): the cause and its fix. */
  | 'failed'
  /** Restarts were asked for and none follows: the restart policy's reason and the last cause. */
  | 'gave_up'
  /** An attempt failed and another one starts after the backoff. */
  | 'restarting'
  /** The attempt after a restart is training again: back at which step, how long after the failure. */
  | 'recovered'
  | 'hang'
  | 'startup_stall'
  | 'nan_loss'
  | 'disk_forecast'
  /** Exited 0, yet suspect: `no_progress` or `incomplete`. */
  | 'suspicious_success'
  /** The run ended (opt-in: --notify-finished). */
  | 'finished'
  /** Several alerts of a run held back by the rate limit, in one. */
  | 'digest'
  /** `vigil notify test`. */
  | 'test';

export type Alert = {
  kind: AlertKind;
  level: AlertLevel;
  title: string;
  run: { id: string; name: string | null };
  figures: Record<string, number | string | null>;
  /** A `vigil` command that looks further, e.g. "vigil show 3f2a". */
  command: string;
  /** When it happened, ms since the epoch. */
  at: number;
  /**
   * Which occurrence this is, for deduplication: one alert per (run, kind, episode). A stall that
   * clears and comes back is episode 2.
   */
  episode: number;
};

/** One line for a person: "vigil: <run> failed: …" (push titles, Slack/Discord text). */
export function alertHeadline(alert: Alert): string {
  return `[vigil] ${alert.run.name ?? alert.run.id}: ${alert.title}`;
}

/** The figures as "key: value" lines, then the command to look further. */
export function alertBody(alert: Alert): string {
  const lines = Object.entries(alert.figures)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}: ${String(value)}`);
  return [...lines, `run: ${alert.run.id}${alert.run.name ? ` (${alert.run.name})` : ''}`, `look further: ${alert.command}`].join('\n');
}
