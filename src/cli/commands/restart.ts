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
import { findRun, namesNoRun, openContext } from '../context.ts';
import { thisNode } from '../../store/open-queue.ts';
import { openSharedRuns } from '../shared-store.ts';

/** How long the supervisor has to take the request (it looks ten times a second while an attempt runs). */
const TAKE_TIMEOUT_MS = 5000;
/** Slack beyond the run's stop timeout for the next attempt to start. */
const START_SLACK_MS = 30_000;

export async function restartCommand(query: string): Promise<void> {
  const context = openContext();
  if (namesNoRun(context, query) && (await restartSharedGroup(query))) return;
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

/**
 * A group on the shared store: every node's supervisor is asked through it (read each second) and
 * ends its attempt as `vigil restart` does; the group's one decision then starts every node's next
 * attempt together, from the newest step all of them hold verified. False without a shared store
 * or such a group.
 */
async function restartSharedGroup(id: string): Promise<boolean> {
  const shared = await openSharedRuns();
  if (shared === null) return false;
  try {
    const live = (await shared.runs.groupRuns(id)).filter((run) => run.status === 'running');
    if (live.length === 0) return false;
    const attemptsNow = async () => {
      const attempts = await shared.runs.attemptsOf(live.map((run) => run.id));
      return live.map((run) => attempts.get(run.id)?.length ?? 0);
    };
    const before = await attemptsNow();
    await shared.runs.requestGroup(id, 'restart', thisNode());
    process.stdout.write(`group ${id}: asked its ${live.length} nodes to restart together\n`);
    const restarted = async () => (await attemptsNow()).every((count, i) => count > (before[i] ?? 0));
    if (await waitFor(restarted, Math.max(...live.map((run) => run.stopTimeoutMs)) + START_SLACK_MS, 250))
      process.stdout.write(`group ${id}: every node started its next attempt (vigil show ${id})\n`);
    else {
      process.stdout.write(`group ${id}: not every node has started a new attempt yet (vigil show ${id})\n`);
      process.exitCode = ExitCode.failure;
    }
    return true;
  } finally {
    await shared.close();
  }
}
