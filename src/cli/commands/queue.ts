/** `vigil queue [--all] [--json]`: the jobs waiting and running (and with --all, those that ended), and whether a daemon serves them. */

import { formatDuration } from '../../core/duration.ts';
import { jobRow, type JobRow } from '../../core/queue/views.ts';
import { printable } from '../../core/text/printable.ts';
import { shellQuote } from '../../core/text/shell-quote.ts';
import { isSameProcessAlive } from '../../platform/proc.ts';
import { readDaemonLease } from '../../store/daemon-lease.ts';
import { localRunsOfJob } from '../../store/job-runs.ts';
import { openQueue } from '../../store/open-queue.ts';
import { observeRun } from '../../supervisor/reconcile.ts';
import { out } from '../colours.ts';
import { openContext } from '../context.ts';
import { table } from '../format.ts';

export async function queueCommand(options: { all?: boolean; json?: boolean }): Promise<void> {
  const { store } = openContext();
  const { queue, node, close } = await openQueue(() => store.db);
  const now = Date.now();
  const rows: JobRow[] = [];
  try {
    for (const job of await queue.list(options.all ? undefined : ['queued', 'claimed'])) {
      // A shared queue's jobs ran on several machines: those this home started are the runs it can show.
      const ids = new Set([...(await queue.runsOf(job.id)), ...localRunsOfJob(store.db, job.id)]);
      const runs = [...ids]
        .flatMap((id) => store.getRun(id) ?? [])
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((run) => ({ id: run.id, status: observeRun(store, run).observedStatus }));
      rows.push(jobRow(job, runs, now));
    }
  } finally {
    await close();
  }
  const daemon = daemonLine(store.db, now);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ daemon: daemon.json, jobs: rows }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${daemon.text}\n`);
  if (node !== null) process.stdout.write(`queue: shared (VIGIL_DATABASE_URL); this machine: ${node}\n`);
  if (rows.length === 0) {
    process.stdout.write(options.all ? 'no jobs yet\n' : 'no jobs queued or running (vigil queue --all lists ended ones)\n');
    return;
  }
  const shared = node !== null;
  const header = ['JOB', 'NAME', 'STATE', 'PRI', 'GPUS', ...(shared ? ['MACHINE'] : []), 'RUN', 'AGE', 'WAITING FOR / COMMAND'];
  const lines = rows.map((row) => [
    row.id,
    row.name === null ? '-' : printable(row.name),
    paint(row),
    String(row.priority),
    row.gpu_ids.length > 0 ? row.gpu_ids.join(',') : row.gpus > 0 ? `(${row.gpus})` : '-',
    ...(shared ? [row.claimed_by === null ? '-' : printable(row.claimed_by)] : []),
    row.run_id ?? '-',
    formatDuration(row.age_ms),
    row.wait_reason !== null ? printable(row.wait_reason) : shellQuote(row.command),
  ]);
  const limits = process.stdout.isTTY ? { lineWidth: process.stdout.columns || 80 } : { lastColumnWidth: 200 };
  process.stdout.write(`${table([header, ...lines], limits)}\n`);
}

function paint(row: JobRow): string {
  const colour =
    { queued: out.dim, starting: out.cyan, running: out.cyan, succeeded: out.green, failed: out.red, orphaned: out.magenta }[
      row.state as string
    ] ?? out.yellow;
  return colour(row.state);
}

function daemonLine(
  db: Parameters<typeof readDaemonLease>[0],
  now: number,
): { text: string; json: { pid: number; started_at: number } | null } {
  const holder = readDaemonLease(db);
  if (holder && isSameProcessAlive(holder.pid, holder.start))
    return {
      text: `daemon: running (pid ${holder.pid}, up ${formatDuration(now - holder.startedAt)})`,
      json: { pid: holder.pid, started_at: holder.startedAt },
    };
  return { text: 'daemon: not running — queued jobs wait (vigil daemon --detach, or the next vigil submit, starts one)', json: null };
}
