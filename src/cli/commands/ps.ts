import { formatDuration } from '../../core/duration.ts';
import { LIVE_STATUSES } from '../../core/run-status.ts';
import { type RunListRow, runListRow } from '../../core/runs/views.ts';
import { printable } from '../../core/text/printable.ts';
import { shellQuote } from '../../core/text/shell-quote.ts';
import { observeRun } from '../../supervisor/reconcile.ts';
import { out } from '../colours.ts';
import { openContext } from '../context.ts';
import { openSharedRuns } from '../shared-store.ts';
import { silentForMs } from '../../core/group/view.ts';
import { colourStatus, table } from '../format.ts';

/** Where stdout is no terminal, the COMMAND column is cut here: a listing, not a dump of a 2 MB argv (--json has it whole). */
const PIPED_COMMAND_WIDTH = 200;

export async function psCommand(options: { all?: boolean; json?: boolean }): Promise<void> {
  const rows = (await sharedRows(options)) ?? localRows(options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write(options.all ? 'no runs yet\n' : 'no live runs (vigil ps --all lists ended ones)\n');
    return;
  }
  // Runs of a group sit together, each saying its node; the column shows only when some run has a group.
  const grouped = rows.some((row) => row.group !== null);
  const shared = rows.some((row) => row.node !== undefined);
  const header = [
    'ID',
    'NAME',
    'STATUS',
    ...(shared ? ['NODE'] : []),
    'PID',
    'AGE',
    'ATTEMPTS',
    'STEP',
    ...(grouped ? ['GROUP'] : []),
    'COMMAND',
  ];
  const lines = (grouped ? groupedTogether(rows) : rows).map((row) => [
    row.id,
    row.name === null ? '-' : printable(row.name),
    (row.paused ? out.yellow('paused') : colourStatus(row.status, out)) +
      (row.flags.length > 0 ? out.yellow(` (${row.flags.join(', ')})`) : ''),
    ...(shared ? [printable(row.node ?? '-')] : []),
    String(row.pid ?? '-'),
    formatDuration(row.age_ms),
    String(row.attempts),
    row.step === null ? '-' : `${row.step}${row.total !== null ? `/${row.total}` : ''}`,
    ...(grouped ? [row.group === null ? '-' : printable(groupCell(row.group))] : []),
    shellQuote(row.command),
  ]);
  const limits = process.stdout.isTTY ? { lineWidth: process.stdout.columns || 80 } : { lastColumnWidth: PIPED_COMMAND_WIDTH };
  process.stdout.write(`${table([header, ...lines], limits)}\n`);
}

type PsRow = RunListRow & { node?: string | null };

/** The runs this home recorded, as observed now (a supervisor that died: orphaned or settled). */
function localRows(options: { all?: boolean }): PsRow[] {
  const { store } = openContext();
  const observed = store.listRuns(options.all ? {} : { onlyStatus: 'running' }).map((run) => observeRun(store, run));
  const shown = options.all ? observed : observed.filter((run) => LIVE_STATUSES.includes(run.observedStatus));
  const now = Date.now();
  return shown.map((run) =>
    runListRow({ run, status: run.observedStatus, attempts: store.attempts(run.id), now, pausedAt: store.pausedSince(run.id) }),
  );
}

/** With a shared store (VIGIL_DATABASE_URL): every machine's runs, each with its node; a live one whose supervisor went silent is orphaned. */
async function sharedRows(options: { all?: boolean }): Promise<PsRow[] | null> {
  let shared: Awaited<ReturnType<typeof openSharedRuns>>;
  try {
    shared = await openSharedRuns();
  } catch (error) {
    // A listing is still worth having: this machine's own.
    process.stderr.write(`vigil: ${(error as Error).message}; listing this machine's runs\n`);
    return null;
  }
  if (shared === null) return null;
  try {
    const runs = await shared.runs.listRuns({ live: !options.all });
    const attempts = await shared.runs.attemptsOf(runs.map((run) => run.id));
    const now = Date.now();
    return runs.map((run) => {
      const silent = silentForMs(run, now) !== null;
      return {
        ...runListRow({ run, status: silent ? 'orphaned' : run.status, attempts: attempts.get(run.id) ?? [], now }),
        node: run.node,
      };
    });
  } finally {
    await shared.close();
  }
}

/** `GROUP node#rank`: which job over several machines, and which node of it. */
function groupCell(group: NonNullable<RunListRow['group']>): string {
  return `${group.id} ${group.node}${group.node_rank === null ? '' : `#${group.node_rank}`}`;
}

/** Newest first as listed, but a group's runs follow its newest one, by node rank. */
function groupedTogether(rows: readonly PsRow[]): PsRow[] {
  const byGroup = new Map<string, PsRow[]>();
  for (const row of rows) if (row.group) byGroup.set(row.group.id, [...(byGroup.get(row.group.id) ?? []), row]);
  const placed = new Set<string>();
  return rows.flatMap((row) => {
    if (!row.group) return [row];
    if (placed.has(row.group.id)) return [];
    placed.add(row.group.id);
    return (byGroup.get(row.group.id) ?? []).sort((a, b) => (a.group?.node_rank ?? Infinity) - (b.group?.node_rank ?? Infinity));
  });
}
