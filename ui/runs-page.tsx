/** The runs page: every run (filterable, sortable) and the queue, kept current by the live stream. */

import { useMemo, useState } from 'preact/hooks';
import { useJson, useLiveRefresh } from './hooks.ts';
import { GpuStrip } from './gpu-strip.tsx';
import { QueueTable } from './queue-table.tsx';
import { filterRuns, type Sort, sortRuns } from './run-sort.ts';
import { RunsTable } from './runs-table.tsx';
import type { RunsResponse } from './types.ts';

/** The first screenful, asked for beside the whole list: it comes back sooner when there are thousands of runs. */
export const FIRST_SCREEN = '/api/runs?limit=60';

export function RunsPage() {
  const first = useJson<RunsResponse>(FIRST_SCREEN);
  const all = useJson<RunsResponse>('/api/runs');
  const { error, reload } = all;
  const data = all.data ?? first.data;
  useLiveRefresh(reload);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort | null>(null);
  const runs = useMemo(() => sortRuns(filterRuns(data?.runs ?? [], query), sort), [data, query, sort]);

  return (
    <section>
      <div class="toolbar">
        <h1>Runs</h1>
        <input
          type="search"
          class="filter"
          placeholder="Filter by name, id, status…"
          value={query}
          onInput={(event) => setQuery(event.currentTarget.value)}
          aria-label="Filter runs"
        />
        {data && (
          <span class="muted">
            {all.data === null && (data.total_runs ?? 0) > data.runs.length
              ? `the newest ${data.runs.length} of ${data.total_runs} runs (the rest on their way)`
              : runs.length === data.runs.length
                ? `${data.runs.length} runs`
                : `${runs.length} of ${data.runs.length} runs`}
          </span>
        )}
      </div>
      {error && <div class="banner error">{error}</div>}
      {!data && !error && <p class="empty">Loading…</p>}
      {data && <RunsTable runs={runs} sort={sort} onSort={setSort} />}
      {data && data.queue.length > 0 && <QueueTable queue={data.queue} onChange={reload} />}
      {data?.gpus && data.gpus.length > 0 && <GpuStrip gpus={data.gpus} />}
    </section>
  );
}
