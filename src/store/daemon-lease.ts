/**
 * One daemon per VIGIL_HOME: the lease is a row, taken in a write transaction, so two daemons
 * starting at once cannot both win. A holder that is no longer alive (`isAlive`: pid and start
 * time) loses it to the next one.
 */

import type { Db } from './database.ts';

export type DaemonHolder = { pid: number; start: string | null; startedAt: number };

export type LeaseResult = { kind: 'acquired' } | { kind: 'held'; holder: DaemonHolder };

type Row = { pid: number; start: string | null; started_at: number };

const toHolder = (row: Row): DaemonHolder => ({ pid: row.pid, start: row.start, startedAt: row.started_at });

export function acquireDaemonLease(db: Db, self: DaemonHolder, isAlive: (holder: DaemonHolder) => boolean): LeaseResult {
  return db
    .transaction((): LeaseResult => {
      const row = db.prepare('SELECT pid, start, started_at FROM daemon WHERE slot = 1').get() as Row | undefined;
      if (row && isAlive(toHolder(row)) && !(row.pid === self.pid && row.start === self.start))
        return { kind: 'held', holder: toHolder(row) };
      db.prepare('INSERT OR REPLACE INTO daemon (slot, pid, start, started_at) VALUES (1, ?, ?, ?)').run(
        self.pid,
        self.start,
        self.startedAt,
      );
      return { kind: 'acquired' };
    })
    .immediate();
}

/** The holder, alive or not (the caller checks). */
export function readDaemonLease(db: Db): DaemonHolder | null {
  const row = db.prepare('SELECT pid, start, started_at FROM daemon WHERE slot = 1').get() as Row | undefined;
  return row ? toHolder(row) : null;
}

/** Given up on a clean exit; only by its holder. */
export function releaseDaemonLease(db: Db, pid: number): void {
  db.prepare('DELETE FROM daemon WHERE slot = 1 AND pid = ?').run(pid);
}
