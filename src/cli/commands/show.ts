import { formatDuration } from '../../core/duration.ts';
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import type { DrillResult } from '../../core/drill/judge.ts';
import { isoTime, runView } from '../../core/runs/views.ts';
import { printable } from '../../core/text/printable.ts';
import { shellQuote } from '../../core/text/shell-quote.ts';
import { out } from '../colours.ts';
import { findRun, namesNoRun, openContext } from '../context.ts';
import { readGroupView, readSharedGroupView, renderGroup } from '../group-views.ts';
import type { GroupView } from '../../core/group/view.ts';
import type { Context } from '../context.ts';
import { openSharedRuns } from '../shared-store.ts';
import { renderDiagnosis } from '../render-diagnosis.ts';
import { renderSeenBefore } from '../render-seen-before.ts';
import type { SeenBefore } from '../../core/memory/seen-before.ts';
import { seenBeforeOf } from '../../store/failure-memory.ts';
import { colourStatus, formatPeakMemory, formatRate, formatStages } from '../format.ts';

const firstLine = (text: string) => (text.split('\n').find((line) => line.trim() !== '') ?? '').slice(0, 200);

export async function showCommand(query: string, options: { json?: boolean }): Promise<void> {
  const context = openContext();
  const group = namesNoRun(context, query) ? await groupNamed(context, query) : null;
  if (group !== null) {
    process.stdout.write(options.json ? `${JSON.stringify(group, null, 2)}\n` : renderGroup(group));
    return;
  }
  const run = findRun(context, query);
  const view = runView({
    run,
    status: run.observedStatus,
    livePids: run.livePids,
    attempts: context.store.attempts(run.id),
    exceptions: context.store.events(run.id, 'python_exception'),
    pausedAt: context.store.pausedSince(run.id),
    seenBefore: seenBeforeOf(context.store.db, run.id),
  });
  // A run a drill ran: its verdict (`vigil drill`), with the run it is about.
  const drill = context.store.events(run.id, 'drill').at(-1)?.data as DrillResult | undefined;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(drill ? { ...view, drill } : view, null, 2)}\n`);
    return;
  }
  const lines = [
    `run      ${run.id}${run.name ? ` (${printable(run.name)})` : ''}`,
    `status   ${colourStatus(view.status, out)}${view.status === 'unknown' ? ' (ended while unsupervised: exit status unknown)' : ''}${
      view.paused ? out.yellow(`, paused since ${view.paused_at} (vigil resume ${run.id})`) : ''
    }`,
    `command  ${shellQuote(run.command)}`,
    `cwd      ${printable(run.cwd)}`,
    `started  ${view.created_at}`,
  ];
  if (view.ended_at !== null)
    lines.push(`ended    ${view.ended_at}${view.duration_ms !== null ? ` (after ${formatDuration(view.duration_ms)})` : ''}`);
  if (run.livePids.length > 0) lines.push(`alive    pids ${run.livePids.join(', ')} (no supervisor: vigil stop ${run.id})`);
  const progress = view.progress;
  if (progress?.step !== null && progress?.step !== undefined) {
    const loss = progress.metrics.loss !== undefined ? `, loss ${String(progress.metrics.loss)}` : '';
    const epoch = progress.epoch !== null ? `, epoch ${progress.epoch}` : '';
    const rate = progress.rate ? `, ${formatRate(progress.rate)}` : '';
    const moved = progress.updated_at !== null ? ` (last step ${isoTime(progress.updated_at)})` : '';
    lines.push(`progress step ${progress.step}${progress.total !== null ? `/${progress.total}` : ''}${epoch}${loss}${rate}${moved}`);
  }
  if (view.stages.length > 0) lines.push(`stages   ${formatStages(view.stages)}`);
  for (const raised of view.exceptions.slice(-3))
    lines.push(
      printable(
        `raised   ${raised.type} in ${raised.process}${raised.thread !== 'MainThread' ? ` (thread ${raised.thread})` : ''}: ${firstLine(raised.message)}`,
      ),
    );
  if (view.flags.length > 0) lines.push(`flags    ${out.yellow(view.flags.join(', '))}`);
  if (drill)
    lines.push(
      `drill    ${drill.kind}: ${drill.status === 'pass' ? out.green('pass') : out.red(drill.status)}, ${printable(drill.detail)}`,
    );
  lines.push(`logs     ${view.log_path === null ? '-' : printable(view.log_path)}`);
  for (const attempt of view.attempts) {
    const end = attempt.signal
      ? `killed by ${attempt.signal}`
      : attempt.exit_code !== null
        ? `exit ${attempt.exit_code}`
        : attempt.ended_at
          ? 'exit unknown'
          : 'running';
    const extra = [
      attempt.duration_ms !== null ? formatDuration(attempt.duration_ms) : null,
      attempt.peak_rss_bytes ? `peak ${formatPeakMemory(attempt.peak_rss_bytes, attempt.peak_memory_measure)}` : null,
      attempt.stop_reason ? `stopped by ${printable(attempt.stop_reason)}` : null,
    ].filter(Boolean);
    lines.push(`attempt ${attempt.n}: pid ${attempt.pid ?? '-'}, ${end}${extra.length ? `, ${extra.join(', ')}` : ''}`);
    if (attempt.diagnosis) {
      const { seen_before: seen, ...diagnosis } = attempt.diagnosis as Diagnosis & { seen_before: SeenBefore | null };
      lines.push((renderDiagnosis(diagnosis, out) + (seen ? renderSeenBefore(seen, out) : '')).trimEnd().replace(/^/gm, '  '));
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A group: every node's runs from the shared store when there is one, else the runs recorded here. */
async function groupNamed(context: Context, id: string): Promise<GroupView | null> {
  const shared = await openSharedRuns();
  if (shared === null) return readGroupView(context.store, id);
  try {
    return await readSharedGroupView(shared.runs, id);
  } finally {
    await shared.close();
  }
}
