/**
 * `vigil restart RUN`: ends the run's current attempt (its stop sequence: signal, grace, SIGKILL)
 * and starts the next one at once — resuming from its newest verified checkpoint when it has
 * `--checkpoints` — whatever its restart policy says. For a person who changed something (data,
 * a config the job rereads) and wants it taken now.
 */

import { join } from 'node:path';
import { ExitCode, VigilError } from '../../errors.ts';
import { waitFor } from '../../platform/run-processes.ts';
import { askThroughFile, RESTART_REQUEST_FILE } from '../../supervisor/request-file.ts';
import { findRun, openContext } from '../context.ts';

/** How long the supervisor has to take the request (it looks ten times a second while an attempt runs). */
const TAKE_TIMEOUT_MS = 5000;
/** Slack beyond the run's stop timeout for the next attempt to start. */
const START_SLACK_MS = 30_000;

export async function restartCommand(query: string): Promise<void> {
  const context = openContext();
  const run = findRun(context, query);
  if (run.observedStatus !== 'running' || run.supervisorPid === null)
    throw new VigilError(`run ${run.id} is not running (${run.observedStatus}): nothing to restart`, ExitCode.notRunning);
  const lastAttempt = () => context.store.attempts(run.id).at(-1)?.n ?? 0;
  const before = lastAttempt();
  // Not taken (between attempts, in a backoff): withdrawn, or the next attempt would take it and end at once.
  if (!(await askThroughFile(join(run.runDir, RESTART_REQUEST_FILE), TAKE_TIMEOUT_MS)))
    throw new VigilError(`run ${run.id} has no attempt running to restart (between attempts?); nothing done`, ExitCode.notRunning);
  process.stdout.write(`run ${run.id}: attempt ${before} is stopping; attempt ${before + 1} starts right after\n`);
  if (await waitFor(() => lastAttempt() > before, run.stopTimeoutMs + START_SLACK_MS, 100))
    process.stdout.write(`run ${run.id}: attempt ${lastAttempt()} started (vigil logs -f ${run.id})\n`);
  else {
    process.stdout.write(`run ${run.id}: no new attempt yet (see vigil show ${run.id})\n`);
    process.exitCode = ExitCode.failure;
  }
}
