/**
 * `vigil run --exit-codes cause`: vigil's own exit code says what a scheduler needs to decide on a
 * retry. Kubernetes' podFailurePolicy acts on a container's exit code alone: with these, a Job can
 * `FailJob` on a failure that will repeat (a bug, a misconfiguration) instead of burning its
 * backoffLimit, and count one that a retry may cure. The table is the README's ("Kubernetes").
 */

export const CAUSE_EXIT_CODES = {
  succeeded: 0,
  /** Failed, and the diagnosis says a retry may help (or cannot tell): a transient cause. */
  retryMayHelp: 75, // EX_TEMPFAIL
  /** Failed, and the diagnosis says it will fail the same way: fix the cause first. */
  fixFirst: 76,
  /** Stopped from outside (SIGTERM: a pod's deletion or eviction), as a shell reports SIGTERM. */
  stopped: 143,
} as const;

export function causeExitCode(status: string, diagnosis: { retryable?: boolean } | null): number {
  if (status === 'succeeded') return CAUSE_EXIT_CODES.succeeded;
  if (status === 'stopped') return CAUSE_EXIT_CODES.stopped;
  return diagnosis?.retryable === false ? CAUSE_EXIT_CODES.fixFirst : CAUSE_EXIT_CODES.retryMayHelp;
}
