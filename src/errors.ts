/**
 * Errors are data: a `VigilError` carries the exit code and a message already written for
 * people; the single catch in main.ts prints it as one line. Anything else is a bug.
 */

/**
 * vigil's exit codes. `vigil run` exits with the job's own code (0-255, 128+N when a signal N
 * killed it); the codes below are vigil's own failures, raised before the job could start or by
 * the other commands. Every one is documented in the README ("Exit codes").
 */
export const ExitCode = {
  /** A command-level failure that is not a usage error: `vigil stop` could not end the run in time, processes survived SIGKILL, `vigil pause` could not stop every process within 5 s. */
  failure: 1,
  usage: 2, // bad options, missing command, missing input file
  stateDir: 3, // VIGIL_HOME cannot be created, read or written
  databaseCorrupt: 4, // the database file is not a SQLite database we can read: left untouched
  databaseNewer: 5, // written by a newer vigil: we do not touch it
  runNotFound: 6,
  runAmbiguous: 7,
  nameInUse: 8, // --name held by a live run
  /** The job's inputs (--fingerprint) changed since the checkpoint it would resume from (--on-fingerprint-change refuse). */
  resumeRefused: 9,
  /** The disk where the job's checkpoints go cannot hold even one more of them: the run is not started. */
  noRoomForCheckpoint: 10,
  /** `vigil daemon`: another daemon already serves this VIGIL_HOME. */
  daemonRunning: 11,
  /** `vigil submit`: the same job (command, cwd, declared env, name) is already queued or running (--allow-duplicate to submit it anyway). */
  duplicateJob: 12,
  /** `vigil cancel`: the job is no longer queued (it runs: stop its run; or it ended). */
  notQueued: 13,
  /** `vigil pause` / `vigil resume`: the run is not running (it ended), or has no process alive to pause (between attempts). */
  notRunning: 14,
  /** `vigil pause`: the run is already paused; `vigil resume`: it is not paused. Nothing was done. */
  pauseUnchanged: 15,
  /** The shared queue's PostgreSQL (VIGIL_DATABASE_URL) cannot be reached, refuses us, or its URL is not one. */
  databaseUnreachable: 16,
  /** Another process held the database's write lock past the busy wait (10 s): the command stopped, nothing of it written. */
  databaseLocked: 17,
  /** Ctrl-C (or SIGTERM) while `vigil run` was still waiting to start the job: nothing was started (128 + SIGINT). */
  interrupted: 130,
  /** A bug in vigil: the one top-level catch prints the trace and asks for a report. */
  internal: 70,
  notExecutable: 126, // the command exists but cannot be run (permissions, a bad cwd, E2BIG)
  commandNotFound: 127,
} as const;

export class VigilError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.exitCode = exitCode;
  }
}
