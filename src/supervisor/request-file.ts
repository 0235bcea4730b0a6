/**
 * A request to a running supervisor as a file in its run directory (`vigil stop`, `vigil
 * restart`): the command writes it, the supervisor takes it and removes it — the removal is the
 * acknowledgement the command waits for. A file rather than a signal: it cannot land while Node
 * tears the process down, and it says which request it is.
 *
 * Taking and withdrawing are both one unlink: whichever comes first wins and the other learns it
 * lost, so a request is never both taken by the supervisor and given up on (then signalled) by the
 * command — which the supervisor would read as a second request, one that skips the grace period.
 */

import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
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
  try {
    return !claimRequest(file); // taken just now, between the last look and the withdrawal: taken
  } catch {
    return false; // it cannot be withdrawn: not taken, the signal still works
  }
}

/** Calls `onRequest` each time `file` appears and is taken here (not withdrawn first); returns the stop of the watch. */
export function watchRequestFile(file: string, onRequest: () => void): () => void {
  const timer = setInterval(() => {
    try {
      if (existsSync(file) && claimRequest(file)) onRequest();
    } catch {
      // A request this supervisor cannot remove is not taken (`vigil stop` falls back to its signal).
    }
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Removes the request file: true for the side whose unlink removed it, false when it was not there
 * (the other side had it). Any other failure (a directory that cannot be written, a read-only file
 * system) is thrown: neither side has the request then, and the command signals instead.
 */
export function claimRequest(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
