/** The table of runs: one plain row per run, cheap enough for a thousand of them. */

import { Component } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { FlagBadges, StatusBadge } from './badges.tsx';
import { duration, eta, num } from './format.ts';
import { Link, runPath } from './router.tsx';
import type { Sort, SortKey } from './run-sort.ts';
import { Sparkline } from './sparkline.tsx';
import type { RunRow } from './types.ts';

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: 'status', label: 'Status' },
  { key: 'name', label: 'Name' },
  { key: 'id', label: 'Id' },
  { key: 'progress', label: 'Progress' },
  { key: 'eta', label: 'ETA' },
  { key: 'loss', label: 'Loss' },
  { key: 'attempts', label: 'Attempts' },
  { key: null, label: 'GPUs' },
  { key: null, label: 'Flags' },
  { key: 'age', label: 'Age' },
];

type Props = { runs: readonly RunRow[]; sort: Sort | null; onSort: (sort: Sort | null) => void };

/** Rows in the first paint; the rest follow right after it, so a long list shows at once. */
const FIRST_ROWS = 60;

export function RunsTable({ runs, sort, onSort }: Props) {
  const [limit, setLimit] = useState(FIRST_ROWS);
  useEffect(() => setLimit(Infinity), []);
  // Ascending, then descending, then back to the server's order (newest first).
  const toggle = (key: SortKey) =>
    onSort(sort?.key !== key ? { key, descending: false } : sort.descending ? null : { key, descending: true });
  return (
    <table class="runs">
      <thead>
        <tr>
          {COLUMNS.map(({ key, label }) => (
            <th key={label} aria-sort={sort && sort.key === key ? (sort.descending ? 'descending' : 'ascending') : undefined}>
              {key ? (
                <button type="button" class="sort" onClick={() => toggle(key)}>
                  {label}
                  {sort?.key === key ? (sort.descending ? ' ▾' : ' ▴') : ''}
                </button>
              ) : (
                label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {runs.slice(0, limit).map((run) => (
          <Row key={run.id} run={run} />
        ))}
      </tbody>
      {runs.length === 0 && (
        <tfoot>
          <tr>
            <td colSpan={COLUMNS.length} class="empty">
              No runs.
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

/** What a row shows: a refetch re-renders only the rows where it changed. */
function sameRow(a: RunRow, b: RunRow): boolean {
  return (
    a.status === b.status &&
    a.paused === b.paused &&
    a.name === b.name &&
    a.step === b.step &&
    a.total === b.total &&
    a.loss === b.loss &&
    a.eta_s === b.eta_s &&
    a.attempts === b.attempts &&
    a.cause === b.cause &&
    a.flags.join() === b.flags.join() &&
    duration(a.age_ms) === duration(b.age_ms) &&
    a.sparkline.length === b.sparkline.length &&
    a.sparkline.at(-1) === b.sparkline.at(-1)
  );
}

class Row extends Component<{ run: RunRow }> {
  override shouldComponentUpdate(next: { run: RunRow }): boolean {
    return !sameRow(this.props.run, next.run);
  }
  override render() {
    return <RowCells run={this.props.run} />;
  }
}

function RowCells({ run }: { run: RunRow }) {
  const href = runPath(run.id);
  return (
    <tr>
      <td>
        <StatusBadge status={run.status} paused={run.paused} />
      </td>
      <td class="name">
        <Link href={href}>{run.name ?? '—'}</Link>
      </td>
      <td class="mono">
        <Link href={href}>{run.id}</Link>
      </td>
      <td class="progress">
        {run.step != null && run.total ? <progress max={run.total} value={run.step} /> : null}
        <span class="num">{run.step == null ? '—' : run.total ? `${num(run.step)} / ${num(run.total)}` : num(run.step)}</span>
      </td>
      <td class="num">{run.status === 'running' ? eta(run.eta_s) : '—'}</td>
      <td class="loss">
        <span class="num">{num(run.loss)}</span>
        <Sparkline values={run.sparkline} />
      </td>
      <td class="num" title={run.cause ? `last failure: ${run.cause}` : undefined}>
        {run.attempts}
        {run.restarts > 0 ? ` (${run.restarts} restart${run.restarts > 1 ? 's' : ''})` : ''}
      </td>
      <td class="num">{run.gpus?.length ? run.gpus.join(',') : '—'}</td>
      <td>
        <FlagBadges flags={run.flags} />
        {run.cause && run.status !== 'succeeded' ? <span class="badge cause">{run.cause}</span> : null}
      </td>
      <td class="num">{duration(run.age_ms)}</td>
    </tr>
  );
}
