/**
 * A health check's verdict (`vigil doctor`): its status, one line of finding with the figure it
 * measured, and the fix: what `--fix` did, or the command the user should run.
 */

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type CheckResult = {
  /** Stable name for scripts (`--json`): `disk`, `memory`, `gpus`… */
  id: string;
  status: CheckStatus;
  /** One line, with the measured figure (or, for `skip`, why it was skipped). */
  finding: string;
  /** What to do about it; null when nothing is to be done. */
  fix: string | null;
};

export const check = (id: string, status: CheckStatus, finding: string, fix: string | null = null): CheckResult => ({
  id,
  status,
  finding,
  fix,
});

/** doctor's exit: 0 when nothing failed (warnings and skips included), 1 otherwise. */
export const doctorFailed = (results: readonly CheckResult[]): boolean => results.some((r) => r.status === 'fail');
