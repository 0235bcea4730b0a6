/**
 * When a run should get another attempt, and after how long. Pure: from the attempts so far (what
 * each ended as, its diagnosis, how far it got) and the policy, one decision with its reason.
 *
 * Order of the rules (the first that applies decides):
 *   1. a run the user stopped (`vigil stop`, Ctrl-C) is never restarted;
 *   2. `--restart no`, or a success without `--restart always`: done;
 *   3. a cause the taxonomy knows a retry cannot help (import, config, shape, dtype, OOM …) fails
 *      fast — unless `--retry-on` names it, or an `--on` rule changes something for it first; an
 *      unrecognised crash (`other`) may be transient and is retried, the loop rules bound it;
 *   4. a crash loop: the same cause at the same step as the attempt before, or NO_PROGRESS_LIMIT
 *      attempts in a row that got no further than the one before and saw no new checkpoint (NVRx);
 *   5. `--max-restarts` within the sliding `--restart-window`;
 *   6. otherwise restart, after exponential backoff with full jitter: the ceiling doubles with each
 *      attempt in a row that ran shorter than `--min-uptime` and starts again after a stable one.
 */

export type AdaptiveRule = { category: string; halve: string[]; double: string[] };

export type RestartPolicy = {
  mode: 'no' | 'on-failure' | 'always';
  maxRestarts: number;
  windowMs: number;
  backoff: { minMs: number; maxMs: number };
  minUptimeMs: number;
  /** Categories to retry although the taxonomy says a retry will not help. */
  retryOn: readonly string[];
  /** `--on CATEGORY:halve=NAME,double=OTHER`: what to change before retrying that cause. */
  adaptive: readonly AdaptiveRule[];
};

export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  mode: 'no',
  maxRestarts: 3,
  windowMs: 60 * 60_000,
  backoff: { minMs: 5_000, maxMs: 5 * 60_000 },
  minUptimeMs: 2 * 60_000,
  retryOn: [],
  adaptive: [],
};

/** What the decision needs to know of one ended attempt. */
export type AttemptSummary = {
  n: number;
  startedAt: number;
  endedAt: number;
  outcome: 'succeeded' | 'failed' | 'stopped';
  /** The diagnosis' category and whether it says a retry can help (null: no diagnosis). */
  category: string | null;
  retryable: boolean | null;
  /** The last step the attempt reached, and the newest checkpoint step it saw written (null: none). */
  step: number | null;
  checkpointStep: number | null;
  /** Ended by `vigil restart`: the next attempt starts at once, whatever the policy says. */
  restartAsked?: boolean;
};

export type RestartDecision =
  { kind: 'restart'; delayMs: number; reason: string; adaptive: AdaptiveRule | null } | { kind: 'stop'; reason: string };

/** Attempts in a row without progress or a new checkpoint before the loop is called a crash loop. */
export const NO_PROGRESS_LIMIT = 3;

export function decideRestart(
  history: readonly AttemptSummary[],
  policy: RestartPolicy,
  random: () => number = Math.random,
): RestartDecision {
  const last = history.at(-1);
  if (!last) return { kind: 'stop', reason: 'no attempt yet' };
  // Asked for by a person: no policy, limit or backoff stands in its way.
  if (last.restartAsked) return { kind: 'restart', delayMs: 0, reason: 'asked for (vigil restart)', adaptive: null };
  if (last.outcome === 'stopped') return { kind: 'stop', reason: 'stopped by the user: never restarted' };
  if (policy.mode === 'no') return { kind: 'stop', reason: '--restart no' };
  if (last.outcome === 'succeeded' && policy.mode !== 'always') return { kind: 'stop', reason: 'succeeded' };

  const adaptive = last.outcome === 'failed' ? (policy.adaptive.find((rule) => rule.category === last.category) ?? null) : null;
  if (last.outcome === 'failed' && !worthRetrying(last, policy, adaptive)) {
    return {
      kind: 'stop',
      reason: `${last.category} is not retryable: a restart would fail the same way (--retry-on ${last.category} to retry anyway)`,
    };
  }
  const loop = crashLoop(history);
  if (loop) return { kind: 'stop', reason: loop };
  const restarts = history.filter((attempt) => attempt.n > 1 && attempt.startedAt >= last.endedAt - policy.windowMs).length;
  if (restarts >= policy.maxRestarts) {
    return {
      kind: 'stop',
      reason: `gave up: ${restarts} restarts within ${formatWindow(policy.windowMs)} (--max-restarts ${policy.maxRestarts})`,
    };
  }
  const cause = last.outcome === 'succeeded' ? 'exited 0 under --restart always' : `cause ${last.category ?? 'unknown'}`;
  return { kind: 'restart', delayMs: backoffDelay(history, policy, random), reason: cause, adaptive };
}

function worthRetrying(last: AttemptSummary, policy: RestartPolicy, adaptive: AdaptiveRule | null): boolean {
  if (last.category === null || last.category === 'other') return true;
  if (policy.retryOn.includes(last.category) || adaptive !== null) return true;
  return last.retryable !== false;
}

/** A reason when the attempts so far are a crash loop, else null. */
export function crashLoop(history: readonly AttemptSummary[]): string | null {
  const [before, last] = history.slice(-2);
  if (before && last && last.outcome === 'failed' && before.outcome === 'failed') {
    if (last.category !== null && last.category === before.category && last.step === before.step) {
      const where = last.step === null ? 'before any step' : `at step ${last.step}`;
      return `crash loop: attempts ${before.n} and ${last.n} both failed with ${last.category} ${where}`;
    }
  }
  const recent = history.slice(-NO_PROGRESS_LIMIT - 1);
  if (recent.length === NO_PROGRESS_LIMIT + 1) {
    const stuck = recent.slice(1).every((attempt, i) => {
      const previous = recent[i] as AttemptSummary;
      const furtherStep = (attempt.step ?? -1) > (previous.step ?? -1);
      const newCheckpoint = (attempt.checkpointStep ?? -1) > (previous.checkpointStep ?? -1);
      return attempt.outcome === 'failed' && !furtherStep && !newCheckpoint;
    });
    if (stuck) {
      return `crash loop: ${NO_PROGRESS_LIMIT} attempts in a row got no further and wrote no new checkpoint (last step ${recent.at(-1)?.step ?? 'none'})`;
    }
  }
  return null;
}

/** Full jitter (AWS): uniform in [0, min(max, min·2^k)], k = attempts in a row shorter than --min-uptime, less one. */
export function backoffDelay(history: readonly AttemptSummary[], policy: RestartPolicy, random: () => number): number {
  let short = 0;
  for (let i = history.length - 1; i >= 0; i -= 1) {
    const attempt = history[i] as AttemptSummary;
    if (attempt.endedAt - attempt.startedAt >= policy.minUptimeMs) break;
    short += 1;
  }
  const ceiling = Math.min(policy.backoff.maxMs, policy.backoff.minMs * 2 ** Math.max(0, short - 1));
  return Math.round(random() * ceiling);
}

function formatWindow(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : ms % 60_000 === 0 ? `${ms / 60_000}m` : `${ms / 1000}s`;
}
