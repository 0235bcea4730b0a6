/**
 * A request to a running supervisor as a file in its run directory (`vigil stop`, `vigil
 * restart`): the command writes it, the supervisor takes it and removes it — the removal is the
 * acknowledgement the command waits for. A file rather than a signal: it cannot land while Node
 * tears the process down, and it says which request it is.
 */

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { waitFor } from '../platform/run-processes.ts';

const POLL_MS = 100;

export const RESTART_REQUEST_FILE = 'restart-request';

/**
 * The asking side: writes the request and waits up to `timeoutMs` for the supervisor to take it.
 * Not taken in time (a stopped or stuck supervisor, no attempt watching), it is withdrawn, so that
 * nothing takes it later by surprise. False then, and when it cannot be written (a full disk).
 */
export async function askThroughFile(file: string, timeoutMs: number): Promise<boolean> {
  try {
    writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  } catch {
    return false;
  }
  if (await waitFor(() => !existsSync(file), timeoutMs, 20)) return true;
  rmSync(file, { force: true });
  return false;
}

/** Calls `onRequest` each time `file` appears (after removing it); returns the stop of the watch. */
export function watchRequestFile(file: string, onRequest: () => void): () => void {
  const timer = setInterval(() => {
    if (!existsSync(file)) return;
    rmSync(file, { force: true });
    onRequest();
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
