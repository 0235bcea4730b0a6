/** `vigil cancel JOB`: a queued job is taken out of the queue; one already running is its run's to stop. */

import { ExitCode, VigilError } from '../../errors.ts';
import { localRunsOfJob } from '../../store/job-runs.ts';
import { openQueue } from '../../store/open-queue.ts';
import { openContext } from '../context.ts';
import { nudgeOrStartDaemon } from '../daemon-autostart.ts';
import { resolveJob } from './submit.ts';

export async function cancelCommand(query: string): Promise<void> {
  const context = openContext({ write: true });
  const { queue, node, close } = await openQueue(() => context.store.db);
  try {
    const id = await resolveJob(queue, query);
    if (await queue.cancel(id, Date.now())) {
      process.stdout.write(`cancelled job ${id}\n`);
      await nudgeOrStartDaemon(context.home, { start: false }); // jobs that run --after it now fail their dependency
      return;
    }
    const job = await queue.get(id);
    const run = localRunsOfJob(context.store.db, id).at(-1);
    const where = job?.claimedBy && job.claimedBy !== node ? ` on ${job.claimedBy}` : '';
    if (job?.state === 'claimed')
      throw new VigilError(`job ${id} is running${where}${run ? ` as run ${run}: vigil stop ${run}` : ''}`, ExitCode.notQueued);
    throw new VigilError(`job ${id} is not queued (${job?.outcome ?? job?.state ?? 'gone'})`, ExitCode.notQueued);
  } finally {
    await close();
  }
}
