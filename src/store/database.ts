/** Opens the SQLite database (WAL) and brings its schema up to date; never recreates a bad file. */

import Database from 'better-sqlite3';
import { ExitCode, VigilError } from '../errors.ts';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

export function openDatabase(path: string): Db {
  let db: Db | undefined;
  try {
    db = new Database(path, { timeout: 10_000 });
    refuseNewer(db, path); // before anything writes: even switching to WAL rewrites the header
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof VigilError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new VigilError(
        `database ${path} is corrupt or not a vigil database (${(error as Error).message}); it was left untouched: move it aside to start afresh`,
        ExitCode.databaseCorrupt,
        { cause: error },
      );
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_IOERR' || code.startsWith('SQLITE_READONLY')) {
      throw new VigilError(`cannot open database ${path}: ${(error as Error).message}`, ExitCode.stateDir, { cause: error });
    }
    throw error;
  }
}

function migrate(db: Db, path: string): void {
  const readVersion = () => db.pragma('user_version', { simple: true }) as number;
  if (readVersion() === MIGRATIONS.length) return;
  // IMMEDIATE takes the write lock before the version is read again, so when two vigils start
  // on a fresh home at once, the second sees the first one's work and applies nothing twice.
  const apply = db.transaction(() => {
    refuseNewer(db, path);
    const version = readVersion();
    for (let next = version; next < MIGRATIONS.length; next += 1) {
      db.exec(MIGRATIONS[next] as string);
      db.pragma(`user_version = ${next + 1}`);
    }
  });
  apply.immediate();
}

function refuseNewer(db: Db, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version <= MIGRATIONS.length) return;
  throw new VigilError(
    `database ${path} has schema version ${version}, newer than this vigil understands (${MIGRATIONS.length}); upgrade vigil — the database was left untouched`,
    ExitCode.databaseNewer,
  );
}
