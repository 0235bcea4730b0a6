import pc from 'picocolors';
import { formatDuration } from '../../core/duration.ts';
import type { Progress } from '../../core/progress/progress-tracker.ts';
import { LIVE_STATUSES } from '../../core/run-status.ts';
import { observeRun } from '../../supervisor/reconcile.ts';
import { openContext } from '../context.ts';
import { colourStatus, isoTime, shellQuote, table } from '../format.ts';

export function psCommand(options: { all?: boolean; json?: boolean }): void {
  const { store } = openContext();
  const observed = store.listRuns(options.all ? {} : { onlyStatus: 'running' }).map((run) => observeRun(store, run));
  const shown = options.all ? observed : observed.filter((run) => LIVE_STATUSES.includes(run.observedStatus));
  const rows = shown.map((run) => {
    const attempts = store.attempts(run.id);
    const latest = attempts.at(-1);
    const progress = run.progress as Progress | null;
    return {
      id: run.id,
      name: run.name,
      status: run.observedStatus,
      pid: latest?.pid ?? null,
      created_at: isoTime(run.createdAt),
      ended_at: isoTime(run.endedAt),
      age_ms: Date.now() - run.createdAt,
      attempts: attempts.length,
      flags: run.flags ?? [],
      step: progress?.step ?? null,
      total: progress?.total ?? null,
      command: run.command,
    };
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(options.all ? 'no runs yet\n' : 'no live runs (vigil ps --all lists ended ones)\n');
    return;
  }
  const header = ['ID', 'NAME', 'STATUS', 'PID', 'AGE', 'ATTEMPTS', 'STEP', 'COMMAND'];
  const lines = rows.map((row) => [
    row.id,
    row.name ?? '-',
    colourStatus(row.status) + (row.flags.length > 0 ? pc.yellow(` (${row.flags.join(', ')})`) : ''),
    String(row.pid ?? '-'),
    formatDuration(row.age_ms),
    String(row.attempts),
    row.step === null ? '-' : `${row.step}${row.total !== null ? `/${row.total}` : ''}`,
    shellQuote(row.command),
  ]);
  process.stdout.write(`${table([header, ...lines])}\n`);
}
