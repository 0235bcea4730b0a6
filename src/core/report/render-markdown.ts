/**
 * The report as Markdown, for pasting into an issue: tables and fenced blocks. The chart becomes
 * a short table of sampled points (issue trackers do not draw inline SVG); the HTML report draws it.
 */

import { causeFacts, type ReportModel } from './model.ts';

/** Inline text that Markdown would otherwise read as markup (or raw HTML), on one line. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*[\]<>|~&]/g, (char) => `\\${char}`);
}

/** A fenced block whose fence is longer than any run of backticks inside it, so no line can close it. */
export function fenced(lines: readonly string[]): string {
  const text = lines.join('\n');
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => ' --- ').join('|')}|`,
    ...rows.map((row) => `| ${row.map(escapeMarkdown).join(' | ')} |`),
  ].join('\n');

const facts = (rows: readonly { label: string; value: string }[]) =>
  table(
    ['', ''],
    rows.map((row) => [row.label, row.value]),
  );

const SAMPLED_POINTS = 12;

function chartTable(model: ReportModel): string {
  if (model.chart.length === 0) return 'No step with a loss was recorded.';
  const rows = model.chart.flatMap((series) => {
    const every = Math.max(1, Math.ceil(series.points.length / SAMPLED_POINTS));
    return series.points
      .filter((point, index) => index % every === 0 || index === series.points.length - 1 || typeof point.loss !== 'number')
      .map((point) => [series.label, String(point.step), String(point.loss)]);
  });
  return `${table(['attempt', 'step', 'loss'], rows)}\n\n_${escapeMarkdown(model.chartSource)} (sampled; the HTML report draws the chart)._`;
}

export function renderMarkdown(model: ReportModel): string {
  const out: string[] = [
    `# ${escapeMarkdown(model.title)}`,
    '',
    `_made by vigil report at ${model.generatedAt}_`,
    '',
    '## Summary',
    '',
    facts(model.overview),
  ];
  const cause = model.cause;
  out.push('', '## Cause', '');
  if (!cause) out.push('No failed attempt was diagnosed.');
  else {
    out.push(`**${escapeMarkdown(cause.summary)}**`, '');
    out.push(facts(causeFacts(cause)));
    if (cause.evidence.length) out.push('', 'Evidence:', '', fenced(cause.evidence.map((e) => `${e.line}: ${e.text}`)));
    if (cause.fixes.length) out.push('', 'What to do:', '', ...cause.fixes.map((fix) => `- ${escapeMarkdown(fix)}`));
  }
  out.push('', '## Loss by step', '', chartTable(model));
  out.push(
    '',
    '## Attempts and resource peaks',
    '',
    table(
      ['attempt', 'started', 'duration', 'end', 'peak memory', 'stopped by', 'restart', 'cause'],
      model.attempts.map((a) => [
        String(a.n),
        a.started,
        a.duration,
        a.end,
        a.peakMemory,
        a.stopReason ?? '',
        a.restart ?? '',
        a.cause ?? '',
      ]),
    ),
  );
  out.push(
    '',
    '## Timeline',
    '',
    table(
      ['time', 'attempt', 'what happened'],
      model.timeline.map((e) => [e.at, String(e.attempt ?? ''), e.text]),
    ),
  );
  if (model.timelineOmitted) out.push('', `_${model.timelineOmitted} entries in the middle are left out._`);
  if (model.stacks.length) {
    out.push('', '## Stacks taken');
    for (const stack of model.stacks)
      out.push('', `### attempt ${stack.attempt}: ${escapeMarkdown(stack.process)} (pid ${stack.pid})`, '', fenced([stack.text]));
  }
  out.push('', '## Environment', '', facts(model.environment));
  out.push('', '## Last lines of the logs');
  for (const log of model.logs) {
    out.push('', `### attempt ${log.attempt}: ${escapeMarkdown(log.path)} (${log.size})`, '');
    if (log.omittedBefore) out.push('_… earlier lines left out_', '');
    out.push(fenced(log.lines));
  }
  out.push('', '## Redacted', '', 'Values are replaced by [redacted]; none is kept in this file.', '');
  out.push(model.redactions.length ? model.redactions.map((r) => `- ${r.count} × ${r.kind}`).join('\n') : 'Nothing looked secret.');
  if (model.omissions.length) out.push('', 'Left out to keep the file small:', '', ...model.omissions.map((o) => `- ${escapeMarkdown(o)}`));
  return `${out.join('\n')}\n`;
}
