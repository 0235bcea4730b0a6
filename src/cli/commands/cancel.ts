/** `vigil cancel JOB`: a queued job is taken out of the queue; one already running is its run's to stop. */

import { ExitCode, VigilError } from '../../errors.ts';
import { SqliteQueue } from '../../store/queue.ts';
import { openContext } from '../context.ts';
import { nudgeOrStartDaemon } from '../daemon-autostart.ts';
import { resolveJob } from './submit.ts';

export async function cancelCommand(query: string): Promise<void> {
  const context = openContext({ write: true });
  const queue = new SqliteQueue(context.store.db);
  const id = resolveJob(queue, query);
  if (queue.cancelNow(id, Date.now())) {
    process.stdout.write(`cancelled job ${id}\n`);
    await nudgeOrStartDaemon(context.home, { start: false }); // jobs that run --after it now fail their dependency
    return;
  }
  const job = queue.getNow(id);
  const run = queue.runsOfNow(id).at(-1);
  if (job?.state === 'claimed')
    throw new VigilError(`job ${id} is running${run ? ` as run ${run}: vigil stop ${run}` : ''}`, ExitCode.notQueued);
  throw new VigilError(`job ${id} is not queued (${job?.outcome ?? job?.state ?? 'gone'})`, ExitCode.notQueued);
}
