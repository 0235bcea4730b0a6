/**
 * A stop asked from inside the supervisor — Slurm's notice, the run's group through the shared
 * store — as `vigil stop` asks it from outside: the request and its grace period recorded (the stop
 * sequence reads them), then the request file the supervisor's watcher takes (signals.ts). A job
 * that listens (`vigil.should_stop()`) is asked to save first.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STOP_REQUEST_FILE } from './signals.ts';
import type { RunWriter } from './store-writer.ts';

/** Null when asked; else why the request file could not be written (a full disk). */
export function askToStop(run: { id: string; dir: string }, writer: RunWriter, timeoutMs: number): string | null {
  writer.addEvent({ runId: run.id, attempt: null, at: Date.now(), kind: 'stop_requested', data: { timeout_ms: timeoutMs } });
  try {
    writeFileSync(join(run.dir, STOP_REQUEST_FILE), `${process.pid}\n`, { mode: 0o600 });
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}
