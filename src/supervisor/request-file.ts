/**
 * A request to a running supervisor as a file in its run directory (`vigil stop`, `vigil
 * restart`): the command writes it, the supervisor takes it and removes it — the removal is the
 * acknowledgement the command waits for. A file rather than a signal: it cannot land while Node
 * tears the process down, and it says which request it is.
 */

import { existsSync, rmSync } from 'node:fs';

const POLL_MS = 100;

export const RESTART_REQUEST_FILE = 'restart-request';

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
