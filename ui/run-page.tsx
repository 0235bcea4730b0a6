/** One run: header and actions, progress, the loss chart, the diagnosis, history, and the log. */

import { useCallback, useState } from 'preact/hooks';
import { StatusBadge, FlagBadges } from './badges.tsx';
import { CheckpointsTable } from './checkpoints-table.tsx';
import { DiagnosisBox } from './diagnosis-box.tsx';
import { duration, eta, num, rate } from './format.ts';
import { useJson, useLiveRefresh } from './hooks.ts';
import { LogView } from './log-view.tsx';
import { LossChart } from './loss-chart.tsx';
import { RunActions } from './run-actions.tsx';
import { RunFacts } from './run-facts.tsx';
import { Timeline } from './timeline.tsx';
import type { RunDetail } from './types.ts';

export function RunPage({ id }: { id: string }) {
  const base = `/api/runs/${encodeURIComponent(id)}`;
  const { data: run, error, reload } = useJson<RunDetail>(base);
  // Bumped on each live change, so the chart refetches its series along with the run.
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => {
    reload();
    setVersion((n) => n + 1);
  }, [reload]);
  useLiveRefresh(refresh);

  if (error && !run) return <div class="banner error">{error}</div>;
  if (!run) return <p class="empty">Loading…</p>;
  const failed = [...run.attempts].reverse().find((attempt) => attempt.diagnosis);

  return (
    <article class="run">
      <div class="run-header">
        <h1>
          {run.name ?? run.id} <span class="muted mono">{run.name ? run.id : ''}</span>
        </h1>
        <StatusBadge status={run.status} paused={run.paused} />
        <FlagBadges flags={run.flags} />
        <RunActions run={run} base={base} onDone={refresh} />
      </div>
      {error && <div class="banner error">{error}</div>}
      <ProgressLine run={run} />
      <LossChart base={base} version={version} />
      {failed?.diagnosis && <DiagnosisBox diagnosis={failed.diagnosis} attempt={failed.n} />}
      <LogView base={base} attempts={run.attempts} live={run.status === 'running'} />
      <Timeline events={run.timeline} />
      <CheckpointsTable checkpoints={run.checkpoints} />
      <RunFacts run={run} />
    </article>
  );
}

function ProgressLine({ run }: { run: RunDetail }) {
  const progress = run.progress;
  const step = progress?.step ?? null;
  const total = progress?.total ?? null;
  const remaining = step != null && total && progress?.rate ? (total - step) / progress.rate : null;
  const loss = progress?.metrics.loss;
  return (
    <dl class="stats">
      <div>
        <dt>Step</dt>
        <dd>
          {step == null ? '—' : total ? `${num(step)} / ${num(total)}` : num(step)}
          {step != null && total ? <progress max={total} value={step} /> : null}
        </dd>
      </div>
      {progress?.epoch != null && (
        <div>
          <dt>Epoch</dt>
          <dd>{num(progress.epoch)}</dd>
        </div>
      )}
      <div>
        <dt>Loss</dt>
        <dd>{num(loss ?? null)}</dd>
      </div>
      <div>
        <dt>Rate</dt>
        <dd>{rate(progress?.rate)}</dd>
      </div>
      <div>
        <dt>ETA</dt>
        <dd>{run.status === 'running' ? eta(remaining) : '—'}</dd>
      </div>
      <div>
        <dt>Duration</dt>
        <dd>{duration(run.duration_ms ?? (run.ended_at ? null : Date.now() - Date.parse(run.created_at)))}</dd>
      </div>
      <div>
        <dt>Attempts</dt>
        <dd>{run.attempts.length}</dd>
      </div>
      {run.exit_code != null || run.signal ? (
        <div>
          <dt>Exit</dt>
          <dd>{run.signal ?? run.exit_code}</dd>
        </div>
      ) : null}
    </dl>
  );
}
