/**
 * The incident report of one run as plain data, built from its records (run, attempts, events),
 * the tails of its logs and what was learned of the machine: everything the markdown and HTML
 * renderers print, already redacted and cut to the limits given. Pure: the caller reads files.
 */

import type { Diagnosis } from '../diagnosis/diagnose.ts';
import { formatDuration } from '../duration.ts';
import { ProgressLineParser, type LossValue } from '../progress/parse-line.ts';
import type { AttemptFacts, RunFacts } from '../runs/views.ts';
import { formatSize } from '../size.ts';
import { shellQuote } from '../text/shell-quote.ts';
import type { ChartPoint, ChartSeries } from './chart.ts';
import { Redactor, type RedactionKind } from './redact.ts';
import { attemptEnd, type StoredEvent, timelineOf } from './timeline.ts';

/** The last lines of an attempt's log, read from its end (`complete`: they are the whole file). */
export type LogTail = { attempt: number; path: string; sizeBytes: number; lines: string[]; complete: boolean };

export type ReportInput = {
  run: RunFacts & { status: string };
  attempts: readonly AttemptFacts[];
  events: readonly StoredEvent[];
  logTails: readonly LogTail[];
  /** Facts of the machine and the code, as label and value (vigil, Python, GPU, git commit…). */
  environment: readonly { label: string; value: string }[];
  /** The variables the run declared (a queued job's --env / vigil.yaml env), if any. */
  declaredEnv: Readonly<Record<string, string>> | null;
  /** Literal values to redact wherever they appear (the values of secret-named variables). */
  secretValues: readonly string[];
  generatedAt: number;
};

/** How much of each part goes in; scaled down together when the rendered file is too big (see fit.ts). */
export type ReportLimits = {
  logLinesPerAttempt: number;
  attemptsWithLogs: number;
  lineChars: number;
  timelineEntries: number;
  stacks: number;
  stackChars: number;
  chartPointsPerSeries: number;
  chartSeries: number;
  evidenceLines: number;
};

export const DEFAULT_LIMITS: ReportLimits = {
  logLinesPerAttempt: 200,
  attemptsWithLogs: 4,
  lineChars: 1000,
  timelineEntries: 400,
  stacks: 16,
  stackChars: 20_000,
  chartPointsPerSeries: 1000,
  chartSeries: 6,
  evidenceLines: 6,
};

export type CauseView = {
  attempt: number;
  category: string;
  summary: string;
  retryable: boolean;
  confidence: number;
  process: string | null;
  where: string | null;
  exception: string | null;
  fixes: string[];
  evidence: { line: number; text: string }[];
};

/** The cause's facts as label/value rows, in the order both renderers show them. */
export function causeFacts(cause: CauseView): { label: string; value: string }[] {
  return [
    { label: 'category', value: cause.category },
    { label: 'attempt', value: String(cause.attempt) },
    { label: 'retryable', value: cause.retryable ? 'yes' : 'no' },
    { label: 'confidence', value: cause.confidence.toFixed(2) },
    ...(cause.exception ? [{ label: 'exception', value: cause.exception }] : []),
    ...(cause.process ? [{ label: 'process', value: cause.process }] : []),
    ...(cause.where ? [{ label: 'where', value: cause.where }] : []),
  ];
}

export type AttemptRow = {
  n: number;
  started: string;
  duration: string;
  end: string;
  peakMemory: string;
  stopReason: string | null;
  restart: string | null;
  cause: string | null;
};

export type ReportModel = {
  title: string;
  generatedAt: string;
  overview: { label: string; value: string }[];
  cause: CauseView | null;
  attempts: AttemptRow[];
  timeline: { at: string; attempt: number | null; text: string }[];
  timelineOmitted: number;
  stacks: { attempt: number; process: string; pid: number; text: string; truncated: boolean }[];
  chart: ChartSeries[];
  /** Where the chart's points come from, said under it. */
  chartSource: string;
  environment: { label: string; value: string }[];
  logs: { attempt: number; path: string; size: string; lines: string[]; omittedBefore: boolean }[];
  redactions: { kind: RedactionKind; count: number }[];
  /** What the limits left out, in words. */
  omissions: string[];
};

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());
const clip = (text: string, chars: number) =>
  text.length > chars ? `${text.slice(0, chars)}… [${text.length - chars} more characters]` : text;
const MEMORY_MEASURES: Record<string, string> = { pss: 'PSS', cgroup: 'cgroup', rss: 'RSS sum' };

const asDiagnosis = (value: unknown) => (value && typeof value === 'object' && 'category' in value ? (value as Diagnosis) : null);

export function buildReportModel(input: ReportInput, limits: ReportLimits = DEFAULT_LIMITS): ReportModel {
  const redactor = new Redactor(input.secretValues);
  const omissions: string[] = [];
  const { run, attempts } = input;

  const failed = [...attempts].reverse().find((attempt) => asDiagnosis(attempt.diagnosis) !== null);
  const cause = failed ? causeView(failed.n, asDiagnosis(failed.diagnosis) as Diagnosis, limits) : null;

  const timeline = timelineOf(attempts, input.events);
  const keptTimeline = headAndTail(timeline, limits.timelineEntries);
  if (keptTimeline.omitted > 0) omissions.push(`${keptTimeline.omitted} timeline entries in the middle of the run`);

  const stacks = attempts.flatMap((attempt) =>
    (asDiagnosis(attempt.diagnosis)?.stacks ?? []).map((stack) => ({
      attempt: attempt.n,
      process: stack.process,
      pid: stack.pid,
      text: clip(stack.text, limits.stackChars),
      truncated: stack.text.length > limits.stackChars,
    })),
  );
  if (stacks.length > limits.stacks) omissions.push(`${stacks.length - limits.stacks} stacks (the last ${limits.stacks} are kept)`);

  const withLogs = input.logTails.slice(-limits.attemptsWithLogs);
  if (input.logTails.length > withLogs.length)
    omissions.push(`the logs of ${input.logTails.length - withLogs.length} earlier attempts (vigil logs RUN --attempt N)`);

  const model: ReportModel = {
    title: `Incident report: run ${run.id}${run.name ? ` (${run.name})` : ''}`,
    generatedAt: iso(input.generatedAt),
    overview: overviewOf(input, cause),
    cause,
    attempts: attempts.map(attemptRow),
    timeline: keptTimeline.kept.map((entry) => ({ at: iso(entry.at), attempt: entry.attempt, text: entry.text })),
    timelineOmitted: keptTimeline.omitted,
    stacks: stacks.slice(-limits.stacks),
    chart: chartSeries(input, limits),
    chartSource:
      'loss against step: the progress vigil stored while the run went (every few seconds), then the loss lines of the log tails below',
    environment: [
      { label: 'command', value: shellQuote(redactor.argv(run.command)) },
      { label: 'cwd', value: run.cwd },
      ...input.environment,
      ...Object.entries(input.declaredEnv ? redactor.environment(input.declaredEnv) : {}).map(([name, value]) => ({
        label: `env ${name}`,
        value,
      })),
    ],
    logs: withLogs.map((tail) => {
      const lines = tail.lines.slice(-limits.logLinesPerAttempt).map((line) => clip(line, limits.lineChars));
      return {
        attempt: tail.attempt,
        path: tail.path,
        size: formatSize(tail.sizeBytes),
        lines,
        omittedBefore: !tail.complete || lines.length < tail.lines.length,
      };
    }),
    redactions: [],
    omissions,
  };
  const redacted = redactor.deep(model);
  redacted.redactions = redactor.summary();
  return redacted;
}

function causeView(n: number, diagnosis: Diagnosis, limits: ReportLimits): CauseView {
  return {
    attempt: n,
    category: diagnosis.category,
    summary: clip(diagnosis.summary, limits.lineChars),
    retryable: diagnosis.retryable,
    confidence: diagnosis.confidence,
    process: diagnosis.process,
    where: diagnosis.where ? `${diagnosis.where.file}:${diagnosis.where.line} in ${diagnosis.where.function}` : null,
    exception: diagnosis.exception ? clip(`${diagnosis.exception.type}: ${diagnosis.exception.message}`, limits.lineChars) : null,
    fixes: diagnosis.fixes,
    evidence: diagnosis.evidence.slice(0, limits.evidenceLines).map((e) => ({ line: e.line, text: clip(e.text, limits.lineChars) })),
  };
}

function overviewOf(input: ReportInput, cause: CauseView | null): { label: string; value: string }[] {
  const { run, attempts } = input;
  const first = attempts[0];
  const last = attempts.at(-1);
  const duration = first && last?.endedAt != null ? formatDuration(last.endedAt - first.startedAt) : '-';
  const progress = run.progress as { step?: number | null; total?: number | null; metrics?: Record<string, LossValue> } | null;
  const rows = [
    { label: 'run', value: `${run.id}${run.name ? ` (${run.name})` : ''}` },
    { label: 'status', value: run.status },
    { label: 'cause', value: cause ? `${cause.category}: ${cause.summary}` : 'no failure diagnosed' },
    { label: 'started', value: iso(run.createdAt) },
    { label: 'ended', value: iso(run.endedAt) },
    { label: 'duration', value: duration },
    { label: 'attempts', value: String(attempts.length) },
  ];
  if (progress?.step != null)
    rows.push({
      label: 'progress',
      value: `step ${progress.step}${progress.total != null ? `/${progress.total}` : ''}${progress.metrics?.loss !== undefined ? `, loss ${String(progress.metrics.loss)}` : ''}`,
    });
  if (run.flags && run.flags.length > 0) rows.push({ label: 'flags', value: run.flags.join(', ') });
  return rows;
}

function attemptRow(attempt: AttemptFacts): AttemptRow {
  const diagnosis = asDiagnosis(attempt.diagnosis);
  const measure = MEMORY_MEASURES[attempt.memoryMeasure ?? 'rss'] ?? attempt.memoryMeasure;
  return {
    n: attempt.n,
    started: iso(attempt.startedAt),
    duration: attempt.endedAt !== null ? formatDuration(attempt.endedAt - attempt.startedAt) : 'running',
    end: attemptEnd(attempt),
    peakMemory: attempt.peakRssBytes ? `${formatSize(attempt.peakRssBytes)} (${measure})` : '-',
    stopReason: attempt.stopReason,
    restart: attempt.restartReason ?? null,
    cause: diagnosis ? `${diagnosis.category}: ${diagnosis.summary}` : null,
  };
}

function headAndTail<T>(items: readonly T[], max: number): { kept: T[]; omitted: number } {
  if (items.length <= max) return { kept: [...items], omitted: 0 };
  const head = Math.floor(max / 2);
  return { kept: [...items.slice(0, head), ...items.slice(items.length - (max - head))], omitted: items.length - max };
}

/** One series per attempt (the last `chartSeries`): stored progress first, then the finer points of the log tail. */
function chartSeries(input: ReportInput, limits: ReportLimits): ChartSeries[] {
  const series: ChartSeries[] = [];
  for (const attempt of input.attempts.slice(-limits.chartSeries)) {
    const stored = input.events
      .filter((event) => event.kind === 'progress' && event.attempt === attempt.n)
      .map((event) => pointOf(event.data as { step?: unknown; metrics?: Record<string, unknown> }))
      .filter((point): point is ChartPoint => point !== null);
    const tail = pointsOfLines(input.logTails.find((t) => t.attempt === attempt.n)?.lines ?? []);
    const firstTailStep = tail[0]?.step ?? Number.POSITIVE_INFINITY;
    const points = [...stored.filter((point) => point.step < firstTailStep), ...tail];
    if (points.length > 0) series.push({ label: `attempt ${attempt.n}`, points: thin(points, limits.chartPointsPerSeries) });
  }
  return series;
}

function pointOf(progress: { step?: unknown; metrics?: Record<string, unknown> } | null): ChartPoint | null {
  const loss = progress?.metrics?.loss;
  if (typeof progress?.step !== 'number' || (typeof loss !== 'number' && typeof loss !== 'string')) return null;
  return { step: progress.step, loss: loss as LossValue };
}

/** Step and loss of the lines that carry both, as vigil's progress parser reads them. */
export function pointsOfLines(lines: readonly string[]): ChartPoint[] {
  const parser = new ProgressLineParser();
  const points: ChartPoint[] = [];
  for (const line of lines) {
    const update = parser.parse(line);
    if (update?.step !== undefined && update.loss !== undefined) points.push({ step: update.step, loss: update.loss });
  }
  return points;
}

/** At most `max` points, evenly spread; every non-finite loss and the last point are kept. */
function thin(points: readonly ChartPoint[], max: number): ChartPoint[] {
  if (points.length <= max) return [...points];
  const every = Math.ceil(points.length / max);
  return points.filter((point, index) => index % every === 0 || index === points.length - 1 || typeof point.loss !== 'number');
}
