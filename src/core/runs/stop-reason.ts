/**
 * Why vigil ended a job's processes, recorded before it sends the first signal (as execa keeps
 * `context.terminationReason`): the outcome then says what happened, not what it looks like.
 */

export type StopReason =
  /** A signal to vigil itself: Ctrl-C, `kill`, a hangup under --on-hangup stop. */
  | { kind: 'signal'; signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP' }
  /** `vigil stop RUN` (through the supervisor), `--force` when it went around it. */
  | { kind: 'vigil-stop'; force: boolean }
  /** The watchdog: a stall (start-up or progress) under --on-hang kill. */
  | { kind: 'hang'; stall: 'startup' | 'progress' }
  /** The watchdog: a non-finite loss under --on-nan stop. */
  | { kind: 'nan-loss' }
  /** The main process exited; processes it left behind are ended so none outlives the run. */
  | { kind: 'leftovers' }
  /** `vigil restart RUN` (or the dashboard's restart): end this attempt, start the next at once. */
  | { kind: 'restart' };

/** The reason as stored in `attempts.stop_reason` and shown to people: "SIGINT", "vigil stop", "hang", … */
export function describeStopReason(reason: StopReason): string {
  switch (reason.kind) {
    case 'signal':
      return reason.signal;
    case 'vigil-stop':
      return reason.force ? 'vigil stop --force' : 'vigil stop';
    case 'hang':
      return reason.stall === 'startup' ? 'startup stall' : 'hang';
    case 'nan-loss':
      return 'nan loss';
    case 'leftovers':
      return 'leftovers';
    case 'restart':
      return 'vigil restart';
  }
}

/** The stop the watchdog asks for, by the reason it gives (`startup stall`, `hang`, `nan loss`). */
export function watchdogStopReason(reason: string): StopReason {
  return reason === 'nan loss' ? { kind: 'nan-loss' } : { kind: 'hang', stall: reason === 'startup stall' ? 'startup' : 'progress' };
}

/** A stop the user asked for ends the run as `stopped`; one the watchdog decided is a failure. */
export function stopMeansFailure(reason: StopReason): boolean {
  return reason.kind === 'hang' || reason.kind === 'nan-loss';
}
