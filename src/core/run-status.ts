/**
 * The life of a run, as stored and as shown.
 *
 *   running ──(job exits 0)──────────────► succeeded
 *      │    ──(job exits ≠0 / signal)────► failed
 *      │    ──(vigil stop, Ctrl-C, …)────► stopped
 *      └──(supervisor dies)──► orphaned ──(`vigil stop`)──────────────► stopped
 *                                 └──(tagged processes end on their own)─► unknown
 *
 * `orphaned` is never stored: it is what a stored `running` run looks like when its
 * supervisor is gone but processes carrying its tag are alive. `unknown` means the run
 * ended unwatched, so its exit status was never seen; it is said as such, never invented.
 */
export type StoredStatus = 'running' | 'succeeded' | 'failed' | 'stopped' | 'unknown';
export type RunStatus = StoredStatus | 'orphaned';

export const LIVE_STATUSES: readonly RunStatus[] = ['running', 'orphaned'];

export type Liveness = { supervisorAlive: boolean; taggedProcessesAlive: boolean };

/** What a stored status means now, and whether the store must record that the run ended. */
export function observeStatus(stored: StoredStatus, liveness: Liveness): { status: RunStatus; endedUnwatched: boolean } {
  if (stored !== 'running' || liveness.supervisorAlive) return { status: stored, endedUnwatched: false };
  if (liveness.taggedProcessesAlive) return { status: 'orphaned', endedUnwatched: false };
  return { status: 'unknown', endedUnwatched: true };
}

/**
 * What a run whose supervisor died with no process left ended as: the last attempt's outcome when
 * the supervisor recorded its exit before dying (the run ended as that attempt did: no other
 * attempt came), else `unknown`.
 */
export function endedUnwatchedStatus(
  lastAttempt: { exitCode: number | null; signal: string | null; stopReason: string | null } | null,
): StoredStatus {
  if (!lastAttempt || (lastAttempt.exitCode === null && lastAttempt.signal === null)) return 'unknown';
  return outcomeOf({ code: lastAttempt.exitCode, signal: lastAttempt.signal }, lastAttempt.stopReason !== null);
}

/** The outcome of an attempt that vigil watched to its end. */
export function outcomeOf(exit: { code: number | null; signal: string | null }, stopRequested: boolean): StoredStatus {
  if (stopRequested) return 'stopped';
  return exit.code === 0 ? 'succeeded' : 'failed';
}
