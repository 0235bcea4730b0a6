/**
 * SQLite's failures as people should read them. A damaged database can surface in any query of
 * any command, long after it opened fine, so the one top-level catch (src/cli/main.ts) sends
 * every error through here; openDatabase does too.
 */

import Database from 'better-sqlite3';
import { ExitCode, VigilError } from '../errors.ts';

/** How long a connection waits for another process's write lock before SQLITE_BUSY (database.ts opens with it). */
export const BUSY_TIMEOUT_MS = 10_000;

/** The database this process opened, to name it in messages about errors raised later. */
let databaseInUse: string | null = null;

export function noteDatabaseInUse(path: string): void {
  databaseInUse = path;
}

/** A VigilError for a SQLite error that is not a bug (a corrupt, unreadable, read-only or locked database); null for anything else. */
export function storeErrorToVigilError(error: unknown, databasePath: string | null = databaseInUse): VigilError | null {
  if (!(error instanceof Database.SqliteError)) return null;
  const { code, message } = error;
  const path = databasePath ?? 'vigil.db';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return corruptDatabase(path, message, error);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new VigilError(
      `database ${path} is locked by another process (it held the write lock past ${BUSY_TIMEOUT_MS / 1000} s): the command stopped; try again (fuser ${path} names the holder)`,
      ExitCode.databaseLocked,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new VigilError(`cannot write database ${path}: ${message} (VIGIL_HOME must be writable for this command)`, ExitCode.stateDir, {
      cause: error,
    });
  }
  if (
    ['SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_FULL'].includes(code) ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_CANTOPEN')
  ) {
    // A full disk shows as FULL, or as an I/O error sizing the -shm file it could not grow.
    const full = code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || code === 'SQLITE_IOERR_WRITE';
    const hint = full ? ' (is its disk full? df -h on it)' : '';
    return new VigilError(`cannot use database ${path}: ${message}${hint}`, ExitCode.stateDir, { cause: error });
  }
  return null;
}

export function corruptDatabase(path: string, reason: string, cause?: unknown): VigilError {
  return new VigilError(
    `database ${path} is corrupt or not a vigil database (${reason}); it was left untouched: move it aside to start afresh`,
    ExitCode.databaseCorrupt,
    { cause },
  );
}
