/**
 * Errors are data: a `VigilError` carries the exit code and a message already written for
 * people; the single catch in main.ts prints it as one line. Anything else is a bug.
 */

/** Distinct exit codes for vigil's own failures (the job's codes pass through unchanged). */
export const ExitCode = {
  usage: 2, // bad options, missing command, missing input file
  stateDir: 3, // VIGIL_HOME cannot be created or written
  databaseCorrupt: 4, // the database file is not a SQLite database we can read
  databaseNewer: 5, // written by a newer vigil: we do not touch it
  runNotFound: 6,
  runAmbiguous: 7,
  nameInUse: 8, // --name held by a live run
  notExecutable: 126,
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
