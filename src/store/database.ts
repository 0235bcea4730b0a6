/**
 * Opens the SQLite database (WAL) and brings its schema up to date. A file that is not vigil's
 * (corrupt, another program's, a newer vigil's) is refused before anything writes to it, and
 * never recreated: it stays byte for byte as it was.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ExitCode, VigilError } from '../errors.ts';
import { MIGRATIONS } from './migrations.ts';
import { createPrivateFileIfMissing, tightenMode } from './private-files.ts';
import { BUSY_TIMEOUT_MS, corruptDatabase, noteDatabaseInUse, storeErrorToVigilError } from './store-errors.ts';

export type Db = Database.Database;

export type OpenOptions = {
  /** Check every page (PRAGMA quick_check: ~2 ms per 1000 runs) before use: `vigil run` must not start a job it cannot record. */
  verify?: boolean;
  /** Open without writing anything, for a VIGIL_HOME that is not writable (see openReadOnly). */
  readonly?: boolean;
  /**
   * For commands that only read (`ps`, `queue`, `show`): when the database cannot be opened for
   * writing because its disk is full (SQLite cannot make its -wal and -shm files), read it as
   * openReadOnly does rather than fail — a full disk is when users most need to look.
   */
  readOnlyFallback?: boolean;
};

/** The tables every vigil database has had since version 1. */
const VIGIL_TABLES = ['runs', 'attempts', 'events'];

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  noteDatabaseInUse(path);
  let db: Db | undefined;
  try {
    if (options.readonly) return openReadOnly(path);
    createPrivateFileIfMissing(path); // so that SQLite, which gives -wal and -shm the database's mode, makes them private too
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
    refuseForeign(db, path); // before anything writes: even switching to WAL rewrites the header
    if (options.verify) verifyIntegrity(db, path);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) tightenMode(file); // a home from before vigil made them private
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (error) {
    db?.close();
    if (options.readOnlyFallback && isFullDiskError(error)) return openReadOnly(path);
    throw storeErrorToVigilError(error, path) ?? error;
  }
}

const isFullDiskError = (error: unknown): boolean =>
  /^SQLITE_(FULL|IOERR|CANTOPEN)/.test(String((error as { code?: unknown }).code)) || (error as { code?: unknown }).code === 'ENOSPC';

/**
 * A database on a read-only VIGIL_HOME, opened without writing anything. In WAL mode SQLite
 * reads through the -shm file: when one is there (a vigil was running, or died), a read-only
 * connection uses it and sees the latest commits. A database closed cleanly has none, and
 * SQLite cannot make one on read-only media (this better-sqlite3 build does not take the
 * `immutable=1` URI); then the file alone is the whole database, and an in-memory copy is read
 * (its header marked rollback-journal so that SQLite does not look for the WAL).
 */
const SHM_REGION_BYTES = 32 * 1024;

function openReadOnly(path: string): Db {
  let db: Db;
  // A -shm smaller than one 32 KiB region is no connection's (SQLite sizes it at once): one a failed open on a full disk left behind.
  if (existsSync(`${path}-shm`) && statSync(`${path}-shm`).size >= SHM_REGION_BYTES) {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } else {
    const image = readFileSync(path);
    if (image.length >= 20 && image[18] === 2 && image[19] === 2) image.fill(1, 18, 20); // WAL → rollback, in memory only
    db = new Database(image, { readonly: true });
  }
  try {
    refuseForeign(db, path);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < MIGRATIONS.length) {
      throw new VigilError(
        `database ${path} has schema version ${version} and must be upgraded to ${MIGRATIONS.length} first, which needs a writable VIGIL_HOME (run any vigil command with write access once)`,
        ExitCode.stateDir,
      );
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Refuses a database that is not vigil's: another program's tables, or a newer vigil's schema. Reads only. */
function refuseForeign(db: Db, path: string): void {
  refuseNewer(db, path);
  // One read transaction, one snapshot: another vigil creating the schema on a fresh home at this
  // very moment must not be seen half-way (its tables, but the version read just before).
  const { version, names } = db.transaction(() => ({
    version: db.pragma('user_version', { simple: true }) as number,
    names: db.prepare(`SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).pluck().all() as string[],
  }))();
  const isNew = version === 0 && names.length === 0;
  const isVigils = version > 0 && VIGIL_TABLES.every((table) => names.includes(table));
  if (isNew || isVigils) return;
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  throw new VigilError(
    `${path} is not a vigil database (schema version ${version}, ${names.length === 0 ? 'no tables' : `tables ${shown}`}); it was left untouched: set VIGIL_HOME to another directory or move the file aside`,
    ExitCode.databaseCorrupt,
  );
}

function verifyIntegrity(db: Db, path: string): void {
  const rows = (db.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
  if (rows.length === 1 && rows[0] === 'ok') return;
  // One line: a row may hold several lines, under a "*** in database main ***" heading.
  const problems = rows.flatMap((row) => row.split('\n').map((line) => line.trim())).filter((line) => line && !line.startsWith('***'));
  throw corruptDatabase(path, `quick_check: ${problems.slice(0, 2).join('; ')}${problems.length > 2 ? '; …' : ''}`);
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
