/**
 * The supervisor's writes to the store, shaped so that no store failure ever ends supervision
 * or loses the job's outcome.
 *
 * Writes are applied in order. One that fails for a reason that may pass — another process
 * holding the write lock (SQLITE_BUSY), a full disk (SQLITE_FULL), an I/O error — stays queued
 * with everything after it and is retried with backoff from a timer, never from the caller's
 * stack. The connection's busy timeout is cut to BUSY_TIMEOUT_MS, so a foreign lock never holds
 * the event loop (echo, watchdog, signals) for longer than that. A write that can never succeed
 * (a constraint, a bug) is dropped with a warning. Held writes are bounded: a keyed write
 * (the latest progress) replaces its pending predecessor, and past MAX_PENDING further events
 * are counted and dropped. The person at the terminal hears once what went wrong, and once
 * that it mended.
 */

import type { ObservedWrite } from '../core/alerts/rules.ts';
import type { AttemptRecord, EventRecord, RunRecord, RunStore } from '../store/runs.ts';
import type { WriteMirror } from './shared-record.ts';

/** What the supervisor and its watchdog write; `StoreWriter` is the one implementation. */
export interface RunWriter {
  insertAttempt(attempt: AttemptRecord): void;
  updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): void;
  updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): void;
  addEvent(event: EventRecord): void;
  /** Several writes applied as one transaction, or held and retried together. A `key` makes it replace a pending write with the same key. */
  together(work: () => void, key?: string): void;
}

type PendingWrite = { key: string | null; apply: () => void };

const BUSY_TIMEOUT_MS = 50;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;
const MAX_PENDING = 10_000;

export class StoreWriter implements RunWriter {
  #store: RunStore;
  #home: string;
  #warn: (message: string) => void;
  /** Told of every write as it is made (alerts: supervisor/alerter.ts); it must not throw nor wait. */
  #observe: (write: ObservedWrite) => void;
  /** Told of every write with all it holds (the shared store: supervisor/shared-record.ts); it must not throw nor wait. */
  #mirror: WriteMirror | null;
  #pending: PendingWrite[] = [];
  #retryTimer: NodeJS.Timeout | null = null;
  #retryMs = FIRST_RETRY_MS;
  #applying = false;
  /** The cause of the current outage, as told to the user; null while writes go through. */
  #failing: string | null = null;
  #dropped = 0;
  /** Whether any write had to be held or dropped during this run. */
  degraded = false;

  constructor(
    store: RunStore,
    options: { home: string; warn: (message: string) => void; observe?: (write: ObservedWrite) => void; mirror?: WriteMirror | null },
  ) {
    this.#store = store;
    this.#home = options.home;
    this.#warn = options.warn;
    this.#observe = options.observe ?? (() => undefined);
    this.#mirror = options.mirror ?? null;
    store.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }

  get pending(): number {
    return this.#pending.length;
  }

  insertAttempt(attempt: AttemptRecord): void {
    this.#observe({ type: 'attempt_started', runId: attempt.runId, n: attempt.n, at: attempt.startedAt });
    this.#mirror?.insertAttempt(attempt);
    this.#write(null, () => this.#store.insertAttempt(attempt));
  }

  updateAttempt(runId: string, n: number, fields: Partial<Omit<AttemptRecord, 'runId' | 'n'>>): void {
    this.#observe({ type: 'attempt', runId, n, at: Date.now(), fields });
    this.#mirror?.updateAttempt(runId, n, fields);
    this.#write(null, () => this.#store.updateAttempt(runId, n, fields));
  }

  updateRun(id: string, fields: Partial<Omit<RunRecord, 'id' | 'command'>>): void {
    this.#observe({ type: 'run', runId: id, at: Date.now(), fields });
    this.#mirror?.updateRun(id, fields);
    this.#write(null, () => this.#store.updateRun(id, fields));
  }

  addEvent(event: EventRecord): void {
    this.#observe({ type: 'event', ...event });
    this.#mirror?.addEvent(event);
    this.#write(null, () => this.#store.addEvent(event));
  }

  together(work: () => void, key?: string): void {
    this.#write(key ?? null, work);
  }

  /** Tries to write everything held until `deadline` (ms since epoch); true when nothing is left. */
  async flush(deadline: number): Promise<boolean> {
    for (;;) {
      if (this.#retryTimer) clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      if (this.#drain()) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#retryMs, Math.max(1, deadline - Date.now()))));
    }
  }

  /** Stops retrying (what is still held is the caller's to keep elsewhere). */
  close(): void {
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #write(key: string | null, apply: () => void): void {
    // Inside a `together` being applied: part of that transaction.
    if (this.#applying) return apply();
    if (key !== null) this.#pending = this.#pending.filter((write) => write.key !== key);
    if (this.#pending.length >= MAX_PENDING) {
      if (this.#dropped++ === 0) this.#warn(`more than ${MAX_PENDING} database writes are held; further events are dropped until it mends`);
      return;
    }
    this.#pending.push({ key, apply });
    // While a retry is scheduled, order is kept by waiting for it.
    if (!this.#retryTimer) this.#drain();
  }

  /** Applies held writes in order; on a failure that may pass, schedules a retry. True when all are written. */
  #drain(): boolean {
    while (this.#pending.length > 0) {
      const next = this.#pending[0] as PendingWrite;
      try {
        this.#applying = true;
        this.#store.exclusively(next.apply);
      } catch (error) {
        if (isTransient(error)) {
          this.#held(error);
          return false;
        }
        this.degraded = true;
        this.#warn(`a write to the database failed and was dropped: ${(error as Error).message}`);
      } finally {
        this.#applying = false;
      }
      this.#pending.shift();
    }
    if (this.#failing !== null) {
      this.#warn(
        `the database is writable again; the held updates are written${this.#dropped > 0 ? ` (${this.#dropped} events were dropped)` : ''}`,
      );
      this.#failing = null;
      this.#dropped = 0;
    }
    this.#retryMs = FIRST_RETRY_MS;
    return true;
  }

  #held(error: unknown): void {
    this.degraded = true;
    if (this.#failing === null) {
      this.#failing = storeFailureCause(error, this.#home);
      this.#warn(`cannot write to the database (${this.#failing}); supervision goes on, updates are held and retried`);
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#drain();
    }, this.#retryMs);
    this.#retryTimer.unref();
    this.#retryMs = Math.min(MAX_RETRY_MS, this.#retryMs * 2);
  }
}

/** Store failures that may pass: a lock, a full disk, an I/O error, a file briefly unwritable. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL|NOMEM|CORRUPT|NOTADB)/.test(code) || code === 'ENOSPC';
}

/** One line for people: what is wrong, in their terms. */
export function storeFailureCause(error: unknown, home: string): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return `ENOSPC: the disk of VIGIL_HOME (${home}) is full`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return `${code}: another process holds the database's write lock`;
  if (code.startsWith('SQLITE_READONLY')) return `${code}: VIGIL_HOME (${home}) is not writable`;
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return `${code}: the database file is damaged`;
  return `${code || 'error'}: ${(error as Error).message}`;
}
