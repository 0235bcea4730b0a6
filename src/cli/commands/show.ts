import pc from 'picocolors';
import { formatDuration } from '../../core/duration.ts';
import type { Diagnosis } from '../../core/diagnosis/diagnose.ts';
import type { Progress } from '../../core/progress/progress-tracker.ts';
import { findRun, openContext } from '../context.ts';
import { renderDiagnosis } from '../render-diagnosis.ts';
import type { StageSnapshot } from '../../core/watchdog/stage-counters.ts';
import { colourStatus, formatPeakMemory, formatRate, formatStages, isoTime, shellQuote } from '../format.ts';

const firstLine = (text: string) => (text.split('\n').find((line) => line.trim() !== '') ?? '').slice(0, 200);

export function showCommand(query: string, options: { json?: boolean }): void {
  const context = openContext();
  const run = findRun(context, query);
  const attempts = context.store.attempts(run.id);
  const latest = attempts.at(-1);
  const view = {
    id: run.id,
    name: run.name,
    status: run.observedStatus,
    command: run.command,
    cwd: run.cwd,
    run_dir: run.runDir,
    log_path: latest?.logPath ?? null,
    created_at: isoTime(run.createdAt),
    ended_at: isoTime(run.endedAt),
    exit_code: run.exitCode,
    signal: run.signal,
    cgroup: run.cgroupPath,
    live_pids: run.livePids,
    progress: run.progress ?? null,
    flags: run.flags ?? [],
    stages: (run.stages ?? []) as StageSnapshot[],
    exceptions: context.store.events(run.id, 'python_exception').map((event) => ({
      attempt: event.attempt,
      at: isoTime(event.at),
      ...(event.data as { process: string; thread: string; type: string; message: string }),
    })),
    attempts: attempts.map((attempt) => ({
      n: attempt.n,
      pid: attempt.pid,
      pgid: attempt.pgid,
      exit_code: attempt.exitCode,
      signal: attempt.signal,
      started_at: isoTime(attempt.startedAt),
      ended_at: isoTime(attempt.endedAt),
      duration_ms: attempt.endedAt === null ? null : attempt.endedAt - attempt.startedAt,
      peak_rss_bytes: attempt.peakRssBytes,
      peak_memory_measure: attempt.memoryMeasure ?? (attempt.peakRssBytes === null ? null : 'rss'),
      log_path: attempt.logPath,
      stop_reason: attempt.stopReason,
      diagnosis: attempt.diagnosis,
    })),
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return;
  }
  const lines = [
    `run      ${run.id}${run.name ? ` (${run.name})` : ''}`,
    `status   ${colourStatus(run.observedStatus)}${run.observedStatus === 'unknown' ? ' (ended while unsupervised: exit status unknown)' : ''}`,
    `command  ${shellQuote(run.command)}`,
    `cwd      ${run.cwd}`,
    `started  ${view.created_at}`,
  ];
  if (run.endedAt !== null) lines.push(`ended    ${view.ended_at} (after ${formatDuration(run.endedAt - run.createdAt)})`);
  if (run.livePids.length > 0) lines.push(`alive    pids ${run.livePids.join(', ')} (no supervisor: vigil stop ${run.id})`);
  const progress = view.progress as Progress | null;
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
      `raised   ${raised.type} in ${raised.process}${raised.thread !== 'MainThread' ? ` (thread ${raised.thread})` : ''}: ${firstLine(raised.message)}`,
    );
  if (view.flags.length > 0) lines.push(`flags    ${pc.yellow(view.flags.join(', '))}`);
  lines.push(`logs     ${view.log_path}`);
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
      attempt.stop_reason ? `stopped by ${attempt.stop_reason}` : null,
    ].filter(Boolean);
    lines.push(`attempt ${attempt.n}: pid ${attempt.pid ?? '-'}, ${end}${extra.length ? `, ${extra.join(', ')}` : ''}`);
    if (attempt.diagnosis)
      lines.push(
        renderDiagnosis(attempt.diagnosis as Diagnosis)
          .trimEnd()
          .replace(/^/gm, '  '),
      );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
