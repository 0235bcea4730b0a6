import { formatDuration } from '../../core/duration.ts';
import { pauseRun, resumeRun } from '../../supervisor/pause.ts';
import { findRun, openContext } from '../context.ts';

export async function pauseCommand(query: string): Promise<void> {
  const context = openContext({ write: true }); // it records the pause: refuse a read-only home before stopping anything
  const run = findRun(context, query);
  const { method, pids } = await pauseRun(context.store, run);
  const how = method === 'cgroup' ? 'cgroup frozen' : 'SIGSTOP';
  process.stdout.write(`paused run ${run.id} (${pids} process${pids === 1 ? '' : 'es'}, ${how}); vigil resume ${run.id} continues it\n`);
}

export async function resumeCommand(query: string): Promise<void> {
  const context = openContext({ write: true });
  const run = findRun(context, query);
  const { pausedMs } = await resumeRun(context.store, run);
  process.stdout.write(`resumed run ${run.id}${pausedMs === null ? '' : ` (paused for ${formatDuration(pausedMs)})`}\n`);
}
