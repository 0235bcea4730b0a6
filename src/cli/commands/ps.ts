import { formatDuration } from '../../core/duration.ts';
import { LIVE_STATUSES } from '../../core/run-status.ts';
import { runListRow } from '../../core/runs/views.ts';
import { printable } from '../../core/text/printable.ts';
import { shellQuote } from '../../core/text/shell-quote.ts';
import { observeRun } from '../../supervisor/reconcile.ts';
import { out } from '../colours.ts';
import { openContext } from '../context.ts';
import { colourStatus, table } from '../format.ts';

/** Where stdout is no terminal, the COMMAND column is cut here: a listing, not a dump of a 2 MB argv (--json has it whole). */
const PIPED_COMMAND_WIDTH = 200;

export function psCommand(options: { all?: boolean; json?: boolean }): void {
  const { store } = openContext();
  const observed = store.listRuns(options.all ? {} : { onlyStatus: 'running' }).map((run) => observeRun(store, run));
  const shown = options.all ? observed : observed.filter((run) => LIVE_STATUSES.includes(run.observedStatus));
  const now = Date.now();
  const rows = shown.map((run) =>
    runListRow({ run, status: run.observedStatus, attempts: store.attempts(run.id), now, pausedAt: store.pausedSince(run.id) }),
  );
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
    row.name === null ? '-' : printable(row.name),
    (row.paused ? out.yellow('paused') : colourStatus(row.status, out)) +
      (row.flags.length > 0 ? out.yellow(` (${row.flags.join(', ')})`) : ''),
    String(row.pid ?? '-'),
    formatDuration(row.age_ms),
    String(row.attempts),
    row.step === null ? '-' : `${row.step}${row.total !== null ? `/${row.total}` : ''}`,
    shellQuote(row.command),
  ]);
  const limits = process.stdout.isTTY ? { lineWidth: process.stdout.columns || 80 } : { lastColumnWidth: PIPED_COMMAND_WIDTH };
  process.stdout.write(`${table([header, ...lines], limits)}\n`);
}
